"""GET /metrics under gunicorn adds up what every worker observed."""

from __future__ import annotations

import re

import requests

from tests.server import gunicorn, manage


def test_metrics_add_up_every_worker(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
        "PROMETHEUS_MULTIPROC_DIR": "",  # gunicorn.conf.py makes one for this server
    }
    manage("migrate", "--noinput", env=env)
    with gunicorn(env, workers=2) as url, requests.Session() as http:
        for _ in range(40):
            answer = http.get(f"{url}/api/csrf/", headers={"Connection": "close"}, timeout=15)
            assert answer.status_code == 200
            assert len(answer.headers["X-Request-ID"]) == 32
        scraped = requests.get(f"{url}/metrics", timeout=15).text
    # Whichever worker answered the scrape, the sums are the two workers' files together.
    counts = [
        line
        for line in scraped.splitlines()
        if line.startswith("sascop_http_request_duration_seconds_count")
        and 'route="/api/csrf/"' in line
    ]
    assert len(counts) == 1, scraped
    assert float(counts[0].rsplit(" ", 1)[1]) == 40.0, scraped
    assert re.search(r'sascop_db_queries_per_request_count\{route="/api/csrf/"\} 40\.0', scraped)
