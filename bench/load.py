#!/usr/bin/env python3
"""Mixed read/write load: many logged-in sessions at once against the real service.

Starts the service under gunicorn on DATABASE_URL / REDIS_URL as the environment gives them
(default: a fresh SQLite file in a temporary directory, no Redis), migrates, loads demo data
when the database has no PTEs, and creates one user per session (roles Ingeniería and
Captura de producción: they can create and edit PTEs and record production). Then every
session logs in (before the clock starts) and, until time is up, loops over a weighted mix of
the dashboard
statistics, PTE lists with filters, PTE detail, OT list and detail, production list,
catalog lists, PTE creation, PTE edits sent with `If-Match`, production capture, the odd
logout and login again, and a bare Django view served by the same process (the yardstick
every latency is divided by). Then, for a third of that time (at most 10 s), the same
sessions ask for the bare view alone: the throughput ceiling at the same concurrency.

It prints requests, requests/s, errors by status, p50/p95/p99 overall and per kind of
request with their ratios to the bare view, the bare view alone, and the RSS of each
gunicorn worker after the load. Then it checks in the database that every PTE and
production row answered 201 is there (by `oficio_pte`, and by the row's unique OT, line,
date, kind of time and site), that every edit answered 200 left its value, and that nothing
answered 5xx, 4xx (the mix needs none) or not at all; any failed check makes the exit
status 1. Every loop stops at its deadline or after --max-requests, whichever comes first.

With --baseline-sessions N (4) the same mix also runs with N sessions, alternating with the
full load in --rounds short phases (the shared machine's speed drifts), and it prints the
issue-11 targets: throughput at --sessions >= 90 % of at N, p99 <= 4 x p50, RSS per worker
<= 100 MB. With --instances 2 it starts two gunicorn instances behind Debian's nginx, run
with the deployed proxy rules (bench/nginx.py, deploy/nginx/), which sends each request to the
next one: every session is used on both. --kill-after S then kills one instance (master and
workers, SIGKILL) S seconds into the load: nginx must route around it. A write in flight on
the killed instance is answered 502 (nginx does not send a POST again once it was sent); those
answers are allowed, at most one per session, and the check becomes: every write answered
2xx is stored, none is stored twice, and a write answered 502 is stored at most once.

    .venv/bin/python bench/load.py [--sessions 50] [--seconds 60] [--workers 2] [--threads 1]
        [--baseline-sessions 4] [--rounds 3] [--instances 1] [--kill-after S]
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/load.py
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import datetime
import itertools
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_ENV, ROOT, gunicorn, manage, median, percentile
from bench.nginx import Balancer, balancer
from tests.server import child_pids

PASSWORD = "Carga-De-Prueba-2026"
USER_PREFIX = "carga"
TIMEOUT = 30.0  # seconds per request, gunicorn's own worker timeout
MAX_RECORDED_FAILURES = 10
BUSCAR = ["ducto", "Inspección", "Akal", "ROV", "Ku-S", "SOL-0", "Mantenimiento"]
ORDEN_PTE = ["fecha_solicitud", "-fecha_solicitud", "oficio_pte", "-total_homologado", "estatus"]
CATALOGOS = ["tipos", "clientes", "responsables", "pasos", "frentes", "sitios", "partidas"]

# Kind of request -> weight in the mix. "relogin" is a logout plus a login; "pte edit" is a
# detail read for the ETag plus the PATCH or PUT that sends it back.
MIX = {
    "stats": 10,
    "pte list": 16,
    "pte detail": 12,
    "ot list": 8,
    "ot detail": 8,
    "production list": 10,
    "catalog list": 6,
    "pte create": 6,
    "pte edit": 6,
    "production create": 6,
    "bare view": 10,
    "relogin": 2,
}
KINDS = [k for k in MIX if k != "relogin"] + ["login", "logout"]
BARE = "bare view"
# Kinds whose request is not a GET: the only ones that may fail when an instance is killed.
WRITES = {"login", "logout", "pte create", "pte edit", "production create"}


# --- Inside Django (run through `manage.py shell`): set up users, then check the writes ----


def prepare(path: str) -> None:
    """Create (or reset) the load users; write to `path` what the sessions will pick from."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db.models import Min

    from sascop.accounts.models import User
    from sascop.catalogos.estatus import EstatusOT, EstatusPTE
    from sascop.catalogos.models import Cliente, Partida, ResponsableProyecto, Tipo
    from sascop.ots.models import OT
    from sascop.precios.models import PartidaAnexoOT
    from sascop.produccion.models import Produccion
    from sascop.ptes.models import PTE

    request = json.loads(Path(path).read_text())
    groups = list(Group.objects.filter(name__in=["Ingeniería", "Captura de producción"]))
    password = make_password(request["password"])  # one Argon2 hash for every user
    for n in range(request["sessions"]):
        username = f"{USER_PREFIX}{n:03d}"
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@carga.local"}
        )
        user.password, user.is_active = password, True
        user.save()
        user.groups.set(groups)
    oldest = Produccion.objects.aggregate(m=Min("fecha_produccion"))["m"]
    today = datetime.date.today()
    plan = {
        "ptes": list(PTE.objects.order_by("-id").values_list("id", flat=True)[:5000]),
        "ots": list(
            OT.objects.filter(sitio__isnull=False, sitio__activo=True)
            .order_by("-id")
            .values_list("id", "sitio_id")[:2000]
        ),
        "partidas": list(Partida.objects.filter(activo=True).values_list("id", flat=True)),
        # Production is reported on a line of an OT's active anexo.
        "lineas": list(
            PartidaAnexoOT.objects.filter(
                anexo_ot__activo=True,
                anexo_ot__ot__sitio__isnull=False,
                anexo_ot__ot__sitio__activo=True,
                anexo_ot__ot__eliminado_en__isnull=True,
            )
            .order_by("-id")
            .values_list("anexo_ot__ot_id", "anexo_ot__ot__sitio_id", "id")[:5000]
        ),
        "clientes": list(Cliente.objects.filter(activo=True).values_list("id", flat=True)),
        "responsables": list(
            ResponsableProyecto.objects.filter(activo=True).values_list("id", flat=True)
        ),
        "tipos": list(
            Tipo.objects.filter(activo=True, aplica_a=Tipo.AplicaA.PTE).values_list("id", flat=True)
        ),
        "estatus_pte": list(EstatusPTE.values),
        "estatus_ot": list(EstatusOT.values),
        "total_ptes": PTE.objects.count(),
        "total_ots": OT.objects.count(),
        "total_produccion": Produccion.objects.count(),
        # Rows written under load are dated before any existing one, one day each: no two
        # can collide with each other or with what is stored.
        "primera_fecha": (min(oldest, today) if oldest else today).isoformat(),
    }
    Path(path).write_text(json.dumps(plan))


def verify(path: str) -> None:
    """Read what the load wrote (answered 201 or 200); print what the database lacks."""
    from django.db.models import Count

    from sascop.produccion.models import Produccion
    from sascop.produccion.services import CLAVE
    from sascop.ptes.models import PTE

    writes = json.loads(Path(path).read_text())
    oficios = writes["oficios"]
    stored: set[str] = set()
    for start in range(0, len(oficios), 500):
        chunk = oficios[start : start + 500]
        stored |= set(PTE.objects.filter(oficio_pte__in=chunk).values_list("oficio_pte", flat=True))
    rows = {tuple(row) for row in writes["produccion"]}
    stored_rows: set[tuple[Any, ...]] = set()
    if rows:
        fechas = [row[2] for row in rows]
        for fila in Produccion.objects.filter(
            fecha_produccion__range=(min(fechas), max(fechas))
        ).values_list(*CLAVE):
            ot, partida, fecha, tipo, sitio = fila
            stored_rows.add((ot, partida, fecha.isoformat(), tipo, sitio))
    edits = {int(k): v for k, v in writes["ediciones"].items()}
    # Edits answered 502/412 after the last one answered 200: they may have been applied.
    maybe = {int(k): set(v) for k, v in writes["ediciones_dudosas"].items()}
    comentarios = dict(
        PTE.objects.filter(pk__in=set(edits) | set(maybe)).values_list("id", "comentario")
    )
    lost = sorted(
        k
        for k in set(edits) | set(maybe)
        if comentarios.get(k) != edits.get(k) and comentarios.get(k) not in maybe.get(k, set())
    )
    # A write never applied twice: each PTE written (or maybe written) has one row at most.
    every = oficios + writes["oficios_dudosos"]
    twice: list[str] = []
    for start in range(0, len(every), 500):
        chunk = every[start : start + 500]
        counted = (
            PTE.objects.filter(oficio_pte__in=chunk)
            .values("oficio_pte")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        twice += [row["oficio_pte"] for row in counted]
    print(
        json.dumps(
            {
                "ptes_missing": sorted(set(oficios) - stored),
                "rows_missing": sorted(rows - stored_rows),
                "edits_lost": lost,
                "ptes_twice": sorted(twice),
            }
        )
    )


# --- The load generator ----------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """What one session saw; merged after the run (each thread writes only its own)."""

    latencies: dict[str, list[float]] = dataclasses.field(
        default_factory=lambda: collections.defaultdict(list)
    )
    statuses: collections.Counter[tuple[str, int]] = dataclasses.field(
        default_factory=collections.Counter
    )
    oficios: list[str] = dataclasses.field(default_factory=list)
    produccion: list[list[Any]] = dataclasses.field(default_factory=list)
    # PTE -> (when it was answered, the comment): a session takes part in both loads, whose
    # phases alternate, so the last edit is the latest, not the last merged.
    ediciones: dict[int, tuple[int, str]] = dataclasses.field(default_factory=dict)
    # Writes answered neither success nor a refusal of their content (502 while an instance
    # died, or a 412 after nginx sent a PUT again): they may or may not have been applied.
    oficios_dudosos: list[str] = dataclasses.field(default_factory=list)
    ediciones_dudosas: dict[int, list[tuple[int, str]]] = dataclasses.field(
        default_factory=lambda: collections.defaultdict(list)
    )
    failures: list[str] = dataclasses.field(default_factory=list)

    def merge(self, other: Tally) -> None:
        for kind, values in other.latencies.items():
            self.latencies[kind] += values
        self.statuses.update(other.statuses)
        self.oficios += other.oficios
        self.produccion += other.produccion
        for pte_id, edicion in other.ediciones.items():
            self.ediciones[pte_id] = max(edicion, self.ediciones.get(pte_id, edicion))
        self.oficios_dudosos += other.oficios_dudosos
        for pte_id, dudosas in other.ediciones_dudosas.items():
            self.ediciones_dudosas[pte_id] += dudosas
        self.failures += other.failures[: max(0, MAX_RECORDED_FAILURES - len(self.failures))]


class LoadSession:
    """One user in one thread: logs in, then loops over the mix until the deadline."""

    def __init__(
        self,
        number: int,
        base: str,
        plan: dict[str, Any],
        run_id: str,
        days: Callable[[], int],
        seed: int,
    ) -> None:
        self.number, self.base, self.plan, self.run_id = number, base, plan, run_id
        self.days = days
        self.rng = random.Random(seed * 1000 + number)
        self.http = requests.Session()
        self.http.trust_env = False  # straight to 127.0.0.1: no proxy from the environment
        self.tally = Tally()
        self.logged_in = False
        self.created = 0
        self.crash = ""
        sessions = plan["sessions"]
        # Each session edits only its own share of the PTEs (and those it creates): a 412
        # would then be a bug, not two sessions racing for the same record.
        self.editable: list[int] = plan["ptes"][number::sessions][:20]
        self.actions: dict[str, Callable[[], object]] = {
            "stats": lambda: self.get("stats", "/operaciones/api/estadisticas/"),
            "pte list": self.pte_list,
            "pte detail": lambda: self.get(
                "pte detail", f"/operaciones/api/ptes/{self.rng.choice(plan['ptes'])}/"
            ),
            "ot list": self.ot_list,
            "ot detail": lambda: self.get(
                "ot detail", f"/operaciones/api/ots/{self.rng.choice(plan['ots'])[0]}/"
            ),
            "production list": self.production_list,
            "catalog list": self.catalog_list,
            "pte create": self.pte_create,
            "pte edit": self.pte_edit,
            "production create": self.production_create,
            BARE: lambda: self.get(BARE, "/bench/bare/"),
            "relogin": self.relogin,
        }

    def call(
        self,
        kind: str,
        method: str,
        path: str,
        expect: int = 200,
        **kwargs: Any,
    ) -> requests.Response | None:
        token = self.http.cookies.get("csrftoken")
        if method != "GET" and token:  # a login without a cookie yet goes tokenless
            kwargs.setdefault("headers", {})["X-CSRFToken"] = token
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            self.tally.statuses[(kind, 0)] += 1
            self.note(f"{kind} {method} {path}: no answer ({exc.__class__.__name__})")
            return None
        self.tally.latencies[kind].append(time.perf_counter() - started)
        self.tally.statuses[(kind, response.status_code)] += 1
        if response.status_code != expect:
            self.note(f"{kind} {method} {path}: {response.status_code} {response.text[:200]}")
            return None
        return response

    def note(self, failure: str) -> None:
        if len(self.tally.failures) < MAX_RECORDED_FAILURES:
            self.tally.failures.append(failure)

    def get(self, kind: str, path: str, params: Any = None) -> requests.Response | None:
        return self.call(kind, "GET", path, params=params)

    def login(self) -> None:
        body = {"username": f"{USER_PREFIX}{self.number:03d}", "password": PASSWORD}
        self.logged_in = self.call("login", "POST", "/api/login/", json=body) is not None

    def relogin(self) -> None:
        self.call("logout", "POST", "/api/logout/")
        self.logged_in = False
        self.login()

    def pte_list(self) -> None:
        size = self.rng.choice([10, 20, 50])
        params: list[tuple[str, Any]] = [("elementos_por_pagina", size)]
        if self.rng.random() < 0.4:  # a plain page, anywhere in the first few
            pages = max(1, min(5, self.plan["total_ptes"] // size))
            params.append(("pagina", self.rng.randint(1, pages)))
        else:  # the first page of a filtered list
            rng, plan = self.rng, self.plan
            for estatus in rng.sample(plan["estatus_pte"], rng.randint(0, 2)):
                params.append(("estatus", estatus))
            choices: list[tuple[str, Callable[[], Any]]] = [
                ("cliente", lambda: rng.choice(plan["clientes"])),
                ("responsable", lambda: rng.choice(plan["responsables"])),
                ("tipo", lambda: rng.choice(plan["tipos"])),
                ("fecha_desde", lambda: self.day_ago(rng.randint(30, 1500))),
                ("buscar", lambda: rng.choice(BUSCAR)),
                ("orden", lambda: rng.choice(ORDEN_PTE)),
            ]
            for name, value in rng.sample(choices, rng.randint(1, 3)):
                params.append((name, value()))
        self.get("pte list", "/operaciones/api/ptes/", params)

    def ot_list(self) -> None:
        params: list[tuple[str, Any]] = [("elementos_por_pagina", 20)]
        if self.rng.random() < 0.5:
            pages = max(1, min(5, self.plan["total_ots"] // 20))
            params.append(("pagina", self.rng.randint(1, pages)))
        else:
            params.append(("estatus", self.rng.choice(self.plan["estatus_ot"])))
            params.append(("cliente", self.rng.choice(self.plan["clientes"])))
        self.get("ot list", "/operaciones/api/ots/", params)

    def production_list(self) -> None:
        params: list[tuple[str, Any]] = [("elementos_por_pagina", 50)]
        roll = self.rng.random()
        if roll < 0.4:
            pages = max(1, min(20, self.plan["total_produccion"] // 50))
            params.append(("pagina", self.rng.randint(1, pages)))
        elif roll < 0.8:
            params.append(("ot", self.rng.choice(self.plan["ots"])[0]))
        else:
            params += [
                ("partida_anexo", self.rng.choice(self.plan["lineas"])[2]),
                ("fecha_desde", self.day_ago(90)),
                ("tipo_tiempo", "TE"),
            ]
        self.get("production list", "/operaciones/api/produccion/", params)

    def catalog_list(self) -> None:
        nombre = self.rng.choice([*CATALOGOS, "estatus"])
        self.get("catalog list", f"/operaciones/api/catalogos/{nombre}/")

    def pte_create(self) -> None:
        self.created += 1
        oficio = f"CARGA-{self.run_id}-{self.number:03d}-{self.created:05d}"
        body = {
            "oficio_pte": oficio,
            "oficio_solicitud": f"SOL-{oficio}",
            "descripcion_trabajo": "Inspección submarina (prueba de carga)",
            "fecha_solicitud": self.day_ago(self.rng.randint(0, 365)),
            "plazo_dias": self.rng.randint(5, 60),
            "responsable_proyecto": self.rng.choice(self.plan["responsables"]),
            "cliente": self.rng.choice(self.plan["clientes"]),
            "tipo": self.rng.choice(self.plan["tipos"]),
            "prioridad": self.rng.randint(1, 3),
            "total_homologado": f"{self.rng.randint(50_000, 25_000_000) / 100:.2f}",
        }
        response = self.call("pte create", "POST", "/operaciones/api/ptes/", 201, json=body)
        if response is not None:
            self.tally.oficios.append(oficio)
            self.editable.append(response.json()["id"])
        else:
            self.tally.oficios_dudosos.append(oficio)

    def pte_edit(self) -> None:
        if not self.editable:
            return
        pte_id = self.rng.choice(self.editable)
        path = f"/operaciones/api/ptes/{pte_id}/"
        current = self.get("pte detail", path)
        if current is None:
            return
        comentario = f"carga {self.run_id} sesión {self.number} {time.time_ns()}"
        headers = {"If-Match": current.headers["ETag"]}
        if self.rng.random() < 0.5:
            body: dict[str, Any] = {"comentario": comentario}
            method = "PATCH"
        else:
            pte = current.json()
            body = {
                name: pte[name]
                for name in (
                    "oficio_pte",
                    "oficio_solicitud",
                    "descripcion_trabajo",
                    "fecha_solicitud",
                    "fecha_entrega",
                    "plazo_dias",
                    "prioridad",
                    "total_homologado",
                    "estatus",
                )
            }
            body |= {
                "responsable_proyecto": pte["responsable_proyecto_id"],
                "cliente": pte["cliente_id"],
                "tipo": pte["tipo_id"],
                "comentario": comentario,
            }
            method = "PUT"
        if self.call("pte edit", method, path, json=body, headers=headers) is not None:
            self.tally.ediciones[pte_id] = (time.monotonic_ns(), comentario)
        else:
            self.tally.ediciones_dudosas[pte_id].append((time.monotonic_ns(), comentario))

    def production_create(self) -> None:
        ot, sitio, partida = self.rng.choice(self.plan["lineas"])
        primera = datetime.date.fromisoformat(self.plan["primera_fecha"])
        fecha = (primera - datetime.timedelta(days=self.days())).isoformat()
        tipo = self.rng.choice(["TE", "CMA"])
        body = {
            "ot": ot,
            "partida_anexo": partida,
            "sitio": sitio,
            "fecha_produccion": fecha,
            "volumen_produccion": f"{self.rng.randint(1, 500_000) / 100:.2f}",
            "tipo_tiempo": tipo,
            "comentario": f"carga {self.run_id}",
        }
        path = "/operaciones/api/produccion/"
        if self.call("production create", "POST", path, 201, json=body) is not None:
            self.tally.produccion.append([ot, partida, fecha, tipo, sitio])

    def day_ago(self, days: int) -> str:
        return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()

    def run(self, deadline: float, max_requests: int) -> None:
        """Loop until the deadline or `max_requests` rounds, whichever comes first."""
        kinds, weights = list(MIX), list(MIX.values())
        for _ in range(max_requests):
            if time.monotonic() >= deadline:
                break
            if not self.logged_in:
                break  # the failed login is counted; looping on it would only measure that
            self.actions[self.rng.choices(kinds, weights)[0]]()

    def run_bare(self, deadline: float, max_requests: int) -> None:
        """Only the bare view, same session and pace: the ceiling the mix is compared with."""
        for _ in range(max_requests):
            if time.monotonic() >= deadline or not self.logged_in:
                break
            self.get(BARE, "/bench/bare/")
        self.http.close()


def day_counter() -> Callable[[], int]:
    """Thread-safe 1, 2, 3...: each production row written gets its own day."""
    counter: Iterator[int] = itertools.count(1)
    lock = threading.Lock()

    def take() -> int:
        with lock:
            return next(counter)

    return take


@dataclasses.dataclass
class Phase:
    tally: Tally
    elapsed: float
    stuck: int  # sessions still running after the deadline plus one request's timeout
    logins: Tally  # the logins made before the clock started (not in `tally`)


def run_phase(
    sessions: list[LoadSession],
    loop: Callable[[LoadSession, float, int], None],
    seconds: float,
    max_requests: int,
    clock_started: Callable[[], None] | None = None,
) -> Phase:
    """Every session runs `loop` in its own thread at once, until `seconds` have passed."""

    def guarded(session: LoadSession, deadline: float) -> None:
        try:
            loop(session, deadline, max_requests)
        except Exception as exc:  # an answer the bench did not expect: report, don't hide
            session.crash = f"session {session.number}: {exc.__class__.__name__}: {exc}"

    # Every session logs in before the clock starts: 50 logins at once cost seconds of hashing,
    # and would count as the phase's throughput. Logins inside the mix (relogin) still count.
    for session in sessions:
        session.tally = Tally()
    logging_in = [threading.Thread(target=s.login, daemon=True) for s in sessions]
    for thread in logging_in:
        thread.start()
    for thread in logging_in:
        thread.join(timeout=TIMEOUT + 5)
    logins = Tally()
    for session in sessions:
        logins.merge(session.tally)
        session.tally = Tally()
    started = time.monotonic()
    if clock_started is not None:
        clock_started()
    deadline = started + seconds
    threads = [threading.Thread(target=guarded, args=(s, deadline), daemon=True) for s in sessions]
    for thread in threads:
        thread.start()
    # A request started just before the deadline may take up to TIMEOUT to answer.
    for thread in threads:
        thread.join(timeout=max(0.0, deadline + TIMEOUT + 5 - time.monotonic()))
    elapsed = time.monotonic() - started
    total = Tally()
    for session in sessions:
        total.merge(session.tally)
    return Phase(total, elapsed, sum(thread.is_alive() for thread in threads), logins)


# --- Gunicorn's workers ----------------------------------------------------------------------


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def gunicorn_rss() -> list[tuple[tuple[int, float], list[tuple[int, float]]]]:
    """For each gunicorn we started: (pid, RSS MiB) of its master and of each of its workers."""
    found = []
    for pid in child_pids(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in cmdline:
            workers = [(w, _rss_mib(w)) for w in sorted(child_pids(pid))]
            found.append(((pid, _rss_mib(pid)), workers))
    return found


def service_rate(phase: Phase) -> float:
    """Requests per second to the service (the bare view left out)."""
    n = sum(n for (kind, _), n in phase.tally.statuses.items() if kind != BARE)
    return n / phase.elapsed


# --- Report -----------------------------------------------------------------------------------


def _ms(values: list[float], fraction: float) -> float:
    return (median(values) if fraction == 0.5 else percentile(values, fraction)) * 1000


def report(tally: Tally, elapsed: float, args: argparse.Namespace, backend: str) -> None:
    answered = sum(n for (_, status), n in tally.statuses.items() if status)
    total = sum(tally.statuses.values())
    bare_count = sum(n for (kind, _), n in tally.statuses.items() if kind == BARE)
    cpus = os.cpu_count() or 0
    print(
        f"\n== {backend}: {args.sessions} sessions x {args.seconds:g} s, gunicorn "
        f"{args.workers} workers x {args.threads} threads"
    )
    print(
        f"  Caveat: the load generator runs on this same {cpus}-core machine as gunicorn and "
        "the database;\n  its own CPU use inflates every latency: read the ratios to the bare "
        "view, not the absolute figures."
    )
    print(
        f"  requests {total} in {elapsed:.1f} s: {total / elapsed:.0f} req/s "
        f"({(total - bare_count) / elapsed:.0f} req/s to the service, "
        f"{bare_count / elapsed:.0f} to the bare view); answered {answered}"
    )
    errors = collections.Counter[int]()
    for (_, status), n in tally.statuses.items():
        if status == 0 or status >= 400:
            errors[status] += n
    shown = ", ".join(
        f"{'no answer' if status == 0 else status} x{n}" for status, n in sorted(errors.items())
    )
    print(f"  errors by status: {shown or 'none'}")
    bare = tally.latencies.get(BARE, [])
    if not bare:
        print("  (no bare-view samples: no ratios)")
    counts, failed = collections.Counter[str](), collections.Counter[str]()
    for (kind, status), n in tally.statuses.items():
        counts[kind] += n
        failed[kind] += n if status == 0 or status >= 400 else 0
    everything = "all but bare"
    counts[everything] = counts.total() - counts[BARE]
    failed[everything] = failed.total() - failed[BARE]
    service = [v for kind, values in tally.latencies.items() if kind != BARE for v in values]
    print(
        f"  {'kind':18s} {'count':>7s} {'errors':>6s} {'p50 ms':>8s} {'p95 ms':>8s} "
        f"{'p99 ms':>8s}   {'x bare p50':>10s} {'p95':>6s} {'p99':>6s}"
    )
    for kind, values in [(everything, service)] + [(k, tally.latencies[k]) for k in KINDS]:
        line = f"  {kind:18s} {counts[kind]:7d} {failed[kind]:6d}"
        if values:
            p50, p95, p99 = (_ms(values, f) for f in (0.5, 0.95, 0.99))
            line += f" {p50:8.1f} {p95:8.1f} {p99:8.1f}"
            if bare:
                b50, b95, b99 = (_ms(bare, f) for f in (0.5, 0.95, 0.99))
                line += f"   {p50 / b50:9.1f}x {p95 / b95:5.1f}x {p99 / b99:5.1f}x"
        print(line)


def report_bare_alone(alone: Phase, mixed: Tally, elapsed: float, args: argparse.Namespace) -> None:
    bare = alone.tally.latencies.get(BARE, [])
    if not bare:
        return
    service = sum(n for (kind, _), n in mixed.statuses.items() if kind != BARE) / elapsed
    ceiling = len(bare) / alone.elapsed
    p50, p95, p99 = (_ms(bare, f) for f in (0.5, 0.95, 0.99))
    print(
        f"  then the bare view alone, same {args.sessions} sessions, {alone.elapsed:.1f} s: "
        f"{ceiling:.0f} req/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms"
    )
    print(f"  ratio service req/s under the mix / bare view alone: {service / ceiling:.1%}")


def kill_gunicorn(port: int) -> None:
    """SIGKILL the gunicorn serving `port` (one we started) and its workers, all at once: a
    machine that dies, not a graceful stop."""
    bind = f"127.0.0.1:{port}".encode()
    for pid in child_pids(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in cmdline and bind in cmdline.split(b"\0"):
            workers = child_pids(pid)
            for victim in [pid, *workers]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim, signal.SIGKILL)


# --- Main -------------------------------------------------------------------------------------


def _shell(code: str, env: dict[str, str]) -> str:
    return manage("shell", "--no-imports", "-c", code, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions (50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load (60)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1)")
    parser.add_argument(
        "--max-requests", type=int, default=100_000, help="per session, whatever the time"
    )
    parser.add_argument("--ptes", type=int, default=2000, help="demo PTEs on an empty database")
    parser.add_argument("--produccion", type=int, default=20_000, help="demo production rows")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--baseline-sessions",
        type=int,
        default=4,
        help="first run the mix with this many sessions, as long, to compare throughput (4; 0: no)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the two loads (3)")
    parser.add_argument(
        "--instances",
        type=int,
        default=1,
        help="gunicorn instances behind nginx (bench/nginx.py) when more than 1",
    )
    parser.add_argument(
        "--kill-after",
        type=float,
        default=None,
        help="with --instances 2 or more: kill the last instance this many seconds after the "
        "full load starts",
    )
    args = parser.parse_args()
    if args.sessions < 1 or args.seconds <= 0:
        parser.error("--sessions and --seconds must be positive")
    if args.kill_after is not None and args.instances < 2:
        parser.error("--kill-after needs --instances 2 or more")

    with tempfile.TemporaryDirectory() as tmp:
        database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/load.sqlite3"
        redis = os.environ.get("REDIS_URL", "")
        env = {**BASE_ENV, "DATABASE_URL": database, "REDIS_URL": redis}
        backend = database.split(":", 1)[0] + (" + Redis" if redis else "")
        if not os.environ.get("DATABASE_URL"):
            backend += " (fresh file)"
        manage("migrate", "--noinput", env=env)
        demo = ["--ptes", str(args.ptes), "--produccion", str(args.produccion)]
        print(manage("cargar_demo", "--si-vacio", *demo, env=env).strip())
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(json.dumps({"sessions": args.sessions, "password": PASSWORD}))
        _shell(f"from bench.load import prepare; prepare({str(plan_file)!r})", env)
        plan = {**json.loads(plan_file.read_text()), "sessions": args.sessions}
        lacking = [
            k
            for k in ("ptes", "ots", "partidas", "clientes", "responsables", "tipos")
            if not plan[k]
        ]
        if lacking:
            sys.exit(f"The database has no {', '.join(lacking)}: load some (cargar_demo).")
        print(
            f"Database: {plan['total_ptes']} PTEs, {plan['total_ots']} OTs, "
            f"{plan['total_produccion']} production rows; {args.sessions} users ready"
        )
        front: Balancer | None = None
        killer: threading.Timer | None = None
        killed: list[float] = []
        with contextlib.ExitStack() as stack:
            urls = [
                stack.enter_context(gunicorn(env, workers=args.workers, threads=args.threads))
                for _ in range(args.instances)
            ]
            url = urls[0]
            ports = [int(u.rsplit(":", 1)[1]) for u in urls]
            if args.instances > 1:
                front = stack.enter_context(balancer(ports))
                url = front.url
            if args.kill_after is not None:
                victim = ports[-1]

                def kill() -> None:
                    killed.append(time.monotonic())
                    kill_gunicorn(victim)

                killer = threading.Timer(args.kill_after, kill)
                stack.callback(killer.cancel)
            run_id = datetime.datetime.now().strftime("%y%m%d%H%M%S")
            days = day_counter()
            sessions = [
                LoadSession(n, url, plan, run_id, days, args.seed) for n in range(args.sessions)
            ]
            baseline: Phase | None = None
            mixed = Phase(Tally(), 0.0, 0, Tally())
            # The machine is shared and its speed drifts: the two loads alternate, in
            # --rounds short phases each, so both see the same conditions.
            compare = 0 < args.baseline_sessions < args.sessions
            if compare:
                baseline = Phase(Tally(), 0.0, 0, Tally())

            armed: list[bool] = []

            def start_killer() -> None:
                # Once, when the clock of the first full load starts (after its logins).
                if killer is not None and not armed:
                    armed.append(True)
                    killer.start()

            for _ in range(args.rounds):
                if baseline is not None:
                    phases = [(baseline, sessions[: args.baseline_sessions]), (mixed, sessions)]
                else:
                    phases = [(mixed, sessions)]
                for into, who in phases:
                    one = run_phase(
                        who,
                        LoadSession.run,
                        args.seconds / args.rounds,
                        args.max_requests,
                        start_killer if into is mixed else None,
                    )
                    into.tally.merge(one.tally)
                    into.logins.merge(one.logins)
                    into.elapsed += one.elapsed
                    into.stuck += one.stuck
            if killer is not None:
                # Not killed by the end of the load: the check below says so.
                killer.cancel()
                if armed:
                    killer.join()
            written = Tally()
            if baseline is not None:
                written.merge(baseline.tally)
            bare_seconds = min(10.0, args.seconds / 3)
            alone = run_phase(sessions, LoadSession.run_bare, bare_seconds, args.max_requests)
            servers = gunicorn_rss()
            served = front.answered_by() if front is not None else []
            retried = front.retried() if front is not None else 0
        tally, elapsed = mixed.tally, mixed.elapsed
        written.merge(tally)
        stuck = mixed.stuck + alone.stuck + (baseline.stuck if baseline else 0)
        crashes = [session.crash for session in sessions if session.crash]
        report(tally, elapsed, args, backend)
        report_bare_alone(alone, tally, elapsed, args)
        worst_rss = 0.0
        for (_, master_mib), workers in servers:
            worst_rss = max([worst_rss, *(mib for _, mib in workers)])
            print(
                "  RSS after the load: "
                + ", ".join(f"worker {pid} {mib:.1f} MiB" for pid, mib in workers)
                + f"; master {master_mib:.1f} MiB"
            )
        if front is not None:
            print(
                f"  {args.instances} gunicorn instances behind nginx (round robin); requests "
                f"per instance: {served}" + ("" if killed else " (every session used each of them)")
            )
        if killed:
            print(
                f"  instance on port {ports[-1]} killed {args.kill_after:g} s into the load; "
                f"nginx sent {retried} requests to another instance after one failed"
            )
        targets: list[tuple[str, bool, str]] = []
        service = [v for kind, values in tally.latencies.items() if kind != BARE for v in values]
        if service:
            p50, p99 = _ms(service, 0.5), _ms(service, 0.99)
            targets.append(
                (f"p99 {p99:.0f} ms <= 4 x p50 {p50:.0f} ms ({p99 / p50:.1f}x)", p99 <= 4 * p50, "")
            )
        if baseline is not None:
            low, high = service_rate(baseline), service_rate(mixed)
            targets.append(
                (
                    f"throughput at {args.sessions} sessions {high:.0f} req/s >= 90 % of at "
                    f"{args.baseline_sessions} sessions {low:.0f} req/s ({high / low:.0%})",
                    high >= 0.9 * low,
                    "",
                )
            )
        if worst_rss:
            targets.append(
                (f"RSS per worker {worst_rss:.0f} MiB <= 100 MB", worst_rss * 1.048576 <= 100, "")
            )
        print("  targets (issue 11):")
        for name, ok, _ in targets:
            print(f"    {'met   ' if ok else 'MISSED'} {name}")
        writes_file = Path(tmp) / "writes.json"
        writes_file.write_text(
            json.dumps(
                {
                    "oficios": written.oficios,
                    "produccion": written.produccion,
                    "ediciones": {k: v for k, (_, v) in written.ediciones.items()},
                    "oficios_dudosos": written.oficios_dudosos,
                    "ediciones_dudosas": {
                        k: [v for when, v in dudosas if when > written.ediciones.get(k, (0, ""))[0]]
                        for k, dudosas in written.ediciones_dudosas.items()
                    },
                }
            )
        )
        out = _shell(f"from bench.load import verify; verify({str(writes_file)!r})", env)
        missing = json.loads(out.strip().splitlines()[-1])

    statuses = tally.statuses + alone.tally.statuses + mixed.logins.statuses
    if baseline is not None:
        statuses += baseline.tally.statuses + baseline.logins.statuses
    # With an instance killed, a write in flight on it is answered 502 (or, for a PUT nginx
    # sent again, 412); and any request whose answer nginx was relaying when the instance died
    # has its connection cut (no answer): nginx can retry only what it has not begun to
    # answer. Either way the client is not told it succeeded. At most one per session (each
    # has one request in flight).
    told_failed = 0
    if killed:
        for (kind, status), n in list(statuses.items()):
            if (kind in WRITES and status in (502, 412)) or status == 0:
                told_failed += n
                del statuses[(kind, status)]
    server_errors = sum(n for (_, status), n in statuses.items() if status >= 500)
    client_errors = sum(n for (_, status), n in statuses.items() if 400 <= status < 500)
    unanswered = sum(n for (_, status), n in statuses.items() if status == 0)
    checks = [
        (
            f"{len(written.oficios)} PTEs answered 201 are stored",
            not missing["ptes_missing"],
            f"missing: {missing['ptes_missing'][:5]}",
        ),
        (
            f"{len(written.produccion)} production rows answered 201 are stored",
            not missing["rows_missing"],
            f"missing: {missing['rows_missing'][:5]}",
        ),
        (
            f"{len(written.ediciones)} edited PTEs keep their last edit",
            not missing["edits_lost"],
            f"lost: {missing['edits_lost'][:5]}",
        ),
        (
            "no PTE stored twice",
            not missing["ptes_twice"],
            f"twice: {missing['ptes_twice'][:5]}",
        ),
        ("no 5xx", server_errors == 0, f"{server_errors} answers 5xx"),
        # Nothing in the mix should be refused: a 4xx is a fault of the service or the bench.
        ("no 4xx", client_errors == 0, f"{client_errors} answers 4xx"),
        ("every request answered", unanswered == 0, f"{unanswered} without an answer"),
        ("every session stopped by itself", stuck == 0, f"{stuck} still running"),
        ("no session crashed", not crashes, "; ".join(crashes[:3])),
    ]
    if args.kill_after is not None:
        checks += [
            ("the instance was killed during the load", bool(killed), "the load ended first"),
            (
                f"{told_failed} requests in flight on the killed instance answered 502 or cut "
                f"(at most one per session, {args.sessions})",
                told_failed <= args.sessions,
                f"{told_failed} writes answered 502",
            ),
        ]
    print("  checks:")
    for name, ok, detail in checks:
        print(f"    {'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f" ({detail})"))
    failures = mixed.logins.failures + tally.failures
    if failures:
        print("  first unexpected answers:")
        for failure in failures[:MAX_RECORDED_FAILURES]:
            print(f"    {failure}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
