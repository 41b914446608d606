"""Every message the code and templates mark for translation is in its app's es_MX catalog,
translated and not fuzzy, and every catalog entry is still used.

makemessages runs on a copy of `sascop/`: the working tree is left as it is. An app that marks
messages without having a catalog yet gets an empty one in the copy, so its messages are
reported as missing rather than refused by makemessages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

SASCOP = Path(settings.BASE_DIR) / "sascop"
CATALOG = Path("locale") / "es_MX" / "LC_MESSAGES" / "django.po"


def _app_dirs() -> list[Path]:
    return sorted(
        Path(config.path).relative_to(SASCOP)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(SASCOP)
    )


def _problems(catalog_path: Path, app: Path) -> list[str]:
    catalog = polib.pofile(str(catalog_path))
    problems = []
    if "nplurals=2" not in catalog.metadata.get("Plural-Forms", ""):
        problems.append(f"{app}: the catalog's header lacks Plural-Forms: nplurals=2; …")
    for entry in catalog:
        text = f"{app}: {entry.msgid!r}" + (
            f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
        )
        if entry.obsolete:
            problems.append(f"{text} is in the catalog but no longer in the code")
        elif "fuzzy" in entry.flags:
            problems.append(f"{text} is fuzzy")
        elif not entry.translated():
            problems.append(f"{text} is not translated")
    return problems


@pytest.fixture(scope="module")
def copia(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sascop/ copied, with makemessages run over it for es_MX."""
    root = tmp_path_factory.mktemp("catalogos") / "sascop"
    shutil.copytree(
        SASCOP,
        root,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "static", "migrations"),
    )
    for app in _app_dirs():
        (root / app / "locale").mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        call_command("makemessages", locale=["es_MX"], add_location="file", verbosity=0)
    return root


def test_every_marked_message_is_translated_in_its_apps_catalog(copia: Path) -> None:
    problems: list[str] = []
    for app in _app_dirs():
        catalog = copia / app / CATALOG
        if catalog.exists():
            problems.extend(_problems(catalog, app))
    assert problems == []


def test_the_catalogs_compile_with_matching_placeholders(copia: Path) -> None:
    """msgfmt --check-format: a translation whose %(name)s placeholders differ from its
    msgid's fails here rather than when the page is drawn."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copia)
        call_command("compilemessages", verbosity=0)
    assert sorted(copia.glob("**/django.mo"))


def test_a_catalog_is_where_django_finds_it() -> None:
    """Catalogs live beside the app that owns the messages (an installed app's locale/):
    one elsewhere would never be read."""
    found = sorted(path.relative_to(SASCOP) for path in SASCOP.glob("**/locale/*/LC_MESSAGES/*.po"))
    expected = sorted(app / CATALOG for app in _app_dirs() if (SASCOP / app / CATALOG).exists())
    assert found and found == expected


def test_the_pages_show_each_catalogs_own_translation() -> None:
    """What Django answers for each entry is the entry's translation: an app listed earlier
    (Django REST framework, Django's own) translating the same msgid would win, and a
    catalog not compiled (dev.py compiles them) would leave the English."""
    shadowed = []
    with translation.override("es-mx"):
        for app in _app_dirs():
            path = SASCOP / app / CATALOG
            if not path.exists():
                continue
            for entry in polib.pofile(str(path)).translated_entries():
                if entry.msgid_plural:
                    got = [
                        translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                        for n in (1, 2)
                    ]
                    wanted = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
                else:
                    got = [
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt
                        else translation.gettext(entry.msgid)
                    ]
                    wanted = [entry.msgstr]
                if got != wanted:
                    shadowed.append(f"{app}: {entry.msgid!r} shows {got!r}, not {wanted!r}")
    assert shadowed == []
