"""Front-end assets come from package registries and are served by the app itself."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from sascop.core.pages.staticfiles import NodeModulesFinder

CHART = "vendor/chart.js/chart.umd.min.js"


def test_the_finder_publishes_only_the_named_files_of_node_modules():
    finder = NodeModulesFinder()

    listed = [(path, storage.prefix) for path, storage in finder.list([])]

    # Each script and stylesheet with the source map it names (production's collectstatic
    # needs both).
    assert listed == [
        ("chart.umd.min.js", "vendor/chart.js"),
        ("chart.umd.min.js.map", "vendor/chart.js"),
        ("tabulator.min.js", "vendor/tabulator"),
        ("tabulator.min.js.map", "vendor/tabulator"),
        ("tabulator.min.css", "vendor/tabulator"),
        ("tabulator.min.css.map", "vendor/tabulator"),
    ]
    assert finder.find(CHART).endswith("node_modules/chart.js/dist/chart.umd.min.js")
    assert finder.find("vendor/chart.js/chart.js") is None
    assert finder.find(CHART, find_all=True) == [finder.find(CHART)]
    assert finder.check() == []


def test_a_missing_package_is_a_warning_that_says_what_to_run(settings, tmp_path):
    settings.NODE_MODULES_DIR = tmp_path

    warnings = NodeModulesFinder().check()

    assert [warning.id for warning in warnings] == ["sascop.W003"] * 6
    assert all("npm ci" in warning.msg for warning in warnings)
    assert NodeModulesFinder().find(CHART) is None
    assert list(NodeModulesFinder().list([])) == []


def test_collectstatic_gathers_the_chart_library_htmx_and_the_stylesheet(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path

    call_command("collectstatic", "--noinput", verbosity=0)

    assert (tmp_path / CHART).is_file()
    assert not (tmp_path / "vendor" / "chart.js" / "chart.js").exists()
    assert (tmp_path / "django_htmx" / "htmx-2.min.js").is_file()
    assert (tmp_path / "core" / "sascop.css").is_file()
    assert finders.find("core/sascop.js")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        CHART,
        "django_htmx/htmx-2.min.js",
        "core/sascop.css",
        "core/sascop.js",
        "vendor/tabulator/tabulator.min.js",
        "vendor/tabulator/tabulator.min.css",
    ],
)
def test_the_app_serves_its_assets(client, path):
    response = client.get(f"/static/{path}")

    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content)


@pytest.mark.django_db
def test_pages_load_htmx_and_the_stylesheet_from_this_server(client):
    page = client.get("/accounts/login/").content.decode()

    assert '<script src="/static/django_htmx/htmx-2.min.js"' in page
    assert '<link rel="stylesheet" href="/static/core/sascop.css">' in page
    assert "//cdn" not in page and "https://" not in page
