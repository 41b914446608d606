"""Browser tests: Debian's Chromium, driven by Playwright, against the live test server.

pytest-playwright supplies `browser`, `context` and `page` (and its `--headed`, `--slowmo`
and `--screenshot` options); this file points it at /usr/bin/chromium (Playwright cannot
download its own builds here) and at pytest-django's `live_server`, so a test reads and
writes the same test database as the server it drives. `python3 dev.py test` installs
Chromium when it can; without it these tests skip.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from playwright.sync_api import Locator, Page, Playwright, ViewportSize, expect

from conftest import MIGRATED_ROWS

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
# axe-core, from the npm registry through package.json (`npm ci`, run by dev.py).
AXE = HERE.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parent.parent / "build" / "screenshots"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
# Quiet and self-contained: no GPU, no sandbox (root in containers), no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests run after every other test: once Playwright is up, Django's async-safety
    # check is off in this process (see `playwright` below), and no other test should run
    # in that window.
    items.sort(key=lambda item: item.path.is_relative_to(HERE))


def _unavailable(reason: str) -> None:
    """Skip, saying why; under CI a browser test that cannot run is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.path.is_relative_to(HERE) and not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (python3 dev.py test installs it as root)")


@pytest.fixture(scope="session")
def playwright(playwright: Playwright) -> Iterator[Playwright]:
    """pytest-playwright's Playwright, with Django's async-safety check off while it runs.

    Playwright's sync API runs its event loop in this thread and leaves it marked as running
    between calls, so Django would take every ORM call made here (factories, the test
    database's flush) for one made from async code and refuse it. Nothing in these tests is
    async; the check is off exactly for Playwright's lifetime, which starts with the first
    browser test and, as those run last, ends with the session.
    """
    # Two cores shared with the rest of the suite: give a busy machine time before failing.
    expect.set_options(timeout=15_000)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield playwright


def _request_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")}


@pytest.fixture(autouse=True)
def _live_server_requests_finish() -> Iterator[None]:
    """Once a test's pages are closed, wait for the live server to finish their requests.

    Its request threads share the in-memory SQLite connection; one still closing after the
    live server stops (at the end of the session) fails with "DatabaseWrapper objects created
    in a thread can only be used in that same thread". Closing a page closes its keep-alive
    connections, so this takes milliseconds. Threads of earlier tests are not waited for.
    """
    before = _request_threads()
    yield  # set up before pytest-playwright's `context`, so this runs after it is closed
    for thread in _request_threads() - before:
        thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _migrated_rows(transactional_db: None) -> None:
    """Each browser test starts from the migrated database, roles included.

    `serialized_rollback` cannot restore it here: Playwright's sync API runs the test in a
    greenlet of its own, where Django's connection handler hands out a fresh connection
    object that never saw the copy the test runner took. After an earlier test flushed the
    database (the roles are gone), the rows are put back from the copy the root conftest took
    at set-up.
    """
    if MIGRATED_ROWS and not Group.objects.exists():
        # A flush without `serialized_rollback` recreates content types and permissions
        # (post_migrate) under new ids but not the roles: empty it all, then put back.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(MIGRATED_ROWS[0])
        # The rows came back with their ids: the sequences continue after them (PostgreSQL),
        # as loaddata leaves them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    headless = browser_type_launch_args.get("headless", True)  # False with --headed
    args = ["--headless", *CHROMIUM_ARGS] if headless else CHROMIUM_ARGS
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Relative URLs in `page.goto()` go to pytest-django's live server."""
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": DESKTOP, "locale": "es-MX"}


@pytest.fixture
def screenshot() -> Callable[..., list[Path]]:
    """Save what `page` shows at desktop (1280 px) and phone (390 px) width.

    `screenshot(page, "name")` writes build/screenshots/name-1280.png and name-390.png and
    returns their paths. With `focus`, each shot shows that element (scrolled into view)
    instead of the whole page. The page is left at desktop width.
    """

    def take(page: Page, name: str, *, focus: Locator | None = None) -> list[Path]:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        paths = []
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            path = SCREENSHOTS / f"{name}-{size['width']}.png"
            if focus is None:
                page.screenshot(path=path, full_page=True)
            else:
                focus.scroll_into_view_if_needed()
                page.screenshot(path=path)
            paths.append(path)
        page.set_viewport_size(DESKTOP)
        return paths

    return take


@pytest.fixture
def browser_login(page: Page) -> Callable[[str, str], None]:
    """Log `page` in through the HTML login form, as a person would."""

    def login(username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Usuario o correo electrónico").fill(username)
        page.get_by_label("Contraseña").fill(password)
        page.get_by_role("button", name="Iniciar sesión").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return login


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Every console error and uncaught exception of `page`, as they happen."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _unavailable(f"{AXE} is missing (python3 dev.py test runs npm ci)")
    return AXE.read_text()


@pytest.fixture
def axe(axe_source: str) -> Callable[[Page], list[dict[str, Any]]]:
    """`axe(page)`: the serious and critical accessibility violations axe-core finds on what
    `page` shows now (injected into the page, run there)."""

    def check(page: Page) -> list[dict[str, Any]]:
        # Through the DevTools protocol, as a function: an inline <script> tag would be (and
        # must be) refused by the pages' Content-Security-Policy.
        page.evaluate(f"() => {{\n{axe_source}\n}}")
        violations: list[dict[str, Any]] = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.map(n => n.target.join(" "))}))"""
        )
        serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
        if serious:
            print(json.dumps(serious, indent=2, ensure_ascii=False))
        return serious

    return check


def page_wide_scroll(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )
