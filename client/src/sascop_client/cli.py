"""`sascop`: the command line over `SascopClient`.

Exit codes: 0 ok, 1 error, 2 usage, 3 not logged in or session expired, 4 permission denied.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from http.cookiejar import LWPCookieJar
from pathlib import Path
from typing import Any

from sascop_client.client import SascopClient
from sascop_client.errors import (
    AuthenticationRequired,
    CSRFFailed,
    InvalidCredentials,
    PermissionDenied,
    SascopError,
    ValidationError,
)

OK, ERROR, USAGE, NOT_LOGGED_IN, FORBIDDEN = 0, 1, 2, 3, 4
DEFAULT_URL = "http://127.0.0.1:8000"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sascop"


def cookie_file(url: str) -> Path:
    # One jar per server, so logins to two servers do not overwrite each other.
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return config_dir() / f"cookies-{digest}.txt"


def _client(url: str) -> SascopClient:
    client = SascopClient(url)
    path = cookie_file(url)
    if path.exists():
        stored = LWPCookieJar(str(path))
        stored.load(ignore_discard=True, ignore_expires=True)
        for cookie in stored:
            client.http.cookies.set_cookie(cookie)
    return client


def _save(client: SascopClient, url: str) -> None:
    path = cookie_file(url)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Create the file 0600 before anything is written to it: the jar holds a live session.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)
    stored = LWPCookieJar(str(path))
    for cookie in client.http.cookies:
        stored.set_cookie(cookie)
    stored.save(ignore_discard=True, ignore_expires=True)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _table(rows: Sequence[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    widths = [
        max(len(title), *(len(str(row.get(key) or "")) for row in rows)) if rows else len(title)
        for key, title in columns
    ]
    widths = [min(w, 50) for w in widths]
    print("  ".join(title.ljust(w) for (_, title), w in zip(columns, widths, strict=True)))
    for row in rows:
        cells = [
            str(row.get(key) if row.get(key) is not None else "")[:w]
            for (key, _), w in zip(columns, widths, strict=True)
        ]
        print("  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)))


def cmd_login(args: argparse.Namespace) -> int:
    user = args.user or input("Usuario: ")
    password = getpass.getpass("Contraseña: ")
    client = _client(args.url)
    client.http.cookies.clear()
    result = client.login(user, password)
    if result.get("mfa_required"):
        result = client.login_code(getpass.getpass("Código de verificación: "))
    _save(client, args.url)
    print(f"Logged in to {args.url} as {result['user']['username']}.")
    return OK


def cmd_logout(args: argparse.Namespace) -> int:
    client = _client(args.url)
    with contextlib.suppress(AuthenticationRequired):  # already gone server-side
        client.logout()
    path = cookie_file(args.url)
    if path.exists():
        path.unlink()
    print("Logged out.")
    return OK


def cmd_whoami(args: argparse.Namespace) -> int:
    user = _client(args.url).whoami()
    if args.json:
        _print_json(user)
    else:
        print(f"{user['username']} <{user['email']}>")
    return OK


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _client(args.url).estadisticas()
    if args.json:
        _print_json(stats)
        return OK
    print(f"PTEs:        {stats['total_ptes']}")
    print(f"OTs:         {stats['total_otes']}")
    print(f"Producción:  {stats['total_produccion']} registros, volumen {stats['volumen_total']}")
    return OK


def cmd_ptes_list(args: argparse.Namespace) -> int:
    filters: dict[str, Any] = {}
    if args.estatus is not None:
        filters["estatus"] = args.estatus
    if args.buscar:
        filters["buscar"] = args.buscar
    rows = list(_client(args.url).ptes.list(**filters))
    if args.json:
        _print_json(rows)
        return OK
    _table(
        rows,
        [
            ("id", "ID"),
            ("oficio_pte", "OFICIO"),
            ("fecha_solicitud", "SOLICITUD"),
            ("estatus_texto", "ESTATUS"),
            ("progreso", "AVANCE %"),
            ("responsable_proyecto", "RESPONSABLE"),
            ("descripcion_trabajo", "DESCRIPCIÓN"),
        ],
    )
    print(f"{len(rows)} PTE(s)")
    return OK


def cmd_ptes_show(args: argparse.Namespace) -> int:
    _print_json(_client(args.url).ptes.get(args.id))
    return OK


@contextlib.contextmanager
def _printing_error_body() -> Iterator[None]:
    """`get` and `post` print what the server answered, the error envelope included; the
    exit code and the message on stderr still follow the error."""
    try:
        yield
    except SascopError as exc:
        if isinstance(exc.body, dict) and "code" in exc.body:
            _print_json(exc.body)
        raise


def cmd_get(args: argparse.Namespace) -> int:
    with _printing_error_body():
        _print_json(_client(args.url).get(args.path))
    return OK


def cmd_post(args: argparse.Namespace) -> int:
    try:
        data = json.loads(args.data)
    except ValueError as exc:
        print(f"sascop: --data is not valid JSON: {exc}", file=sys.stderr)
        return USAGE
    client = _client(args.url)
    with _printing_error_body():
        _print_json(client.post(args.path, json=data))
    _save(client, args.url)
    return OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sascop", description="SASCOP from the command line.")
    url_help = f"server (default: $SASCOP_URL or {DEFAULT_URL})"
    parser.add_argument("--url", default=os.environ.get("SASCOP_URL", DEFAULT_URL), help=url_help)
    # `--url` is accepted after the command too (`sascop login --url …`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=argparse.SUPPRESS, help=url_help)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str, parent: Any = commands) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(name, help=text, parents=[common])
        return sub

    login = command("login", "log in (asks for the password)")
    login.add_argument("--user", help="username or e-mail")
    login.set_defaults(func=cmd_login)
    command("logout", "log out").set_defaults(func=cmd_logout)
    for name, func, text in [
        ("whoami", cmd_whoami, "who you are"),
        ("stats", cmd_stats, "dashboard totals"),
    ]:
        sub = command(name, text)
        sub.add_argument("--json", action="store_true")
        sub.set_defaults(func=func)

    ptes = command("ptes", "technical-economic proposals").add_subparsers(
        dest="ptes_command", required=True
    )
    listing = command("list", "list PTEs (all pages)", ptes)
    listing.add_argument("--estatus", type=int, help="1, 2, 3, 4 or 9")
    listing.add_argument("--buscar", help="text in oficio or descripción")
    listing.add_argument("--json", action="store_true", help="JSON for scripts")
    listing.set_defaults(func=cmd_ptes_list)
    show = command("show", "one PTE with its steps", ptes)
    show.add_argument("id", type=int)
    show.set_defaults(func=cmd_ptes_show)

    get = command("get", "GET any API path, print the JSON")
    get.add_argument("path")
    get.set_defaults(func=cmd_get)
    post = command("post", "POST JSON to any API path")
    post.add_argument("path")
    post.add_argument("--data", required=True, help="the JSON body")
    post.set_defaults(func=cmd_post)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except InvalidCredentials as exc:
        print(f"sascop: {exc}", file=sys.stderr)
        return ERROR
    except AuthenticationRequired as exc:
        print(f"sascop: {exc} Run `sascop login`.", file=sys.stderr)
        return NOT_LOGGED_IN
    except (PermissionDenied, CSRFFailed) as exc:
        print(f"sascop: permission denied: {exc}", file=sys.stderr)
        return FORBIDDEN
    except ValidationError as exc:
        print(f"sascop: {exc}", file=sys.stderr)
        for field, messages in exc.fields.items():
            print(f"  {field}: {' '.join(messages)}", file=sys.stderr)
        return ERROR
    except SascopError as exc:
        print(f"sascop: {exc}", file=sys.stderr)
        return ERROR
    except OSError as exc:  # connection refused, unreadable cookie file…
        print(f"sascop: {exc}", file=sys.stderr)
        return ERROR
    except (KeyboardInterrupt, EOFError):
        print(file=sys.stderr)
        return ERROR


if __name__ == "__main__":
    sys.exit(main())
