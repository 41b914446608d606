#!/usr/bin/env python3
"""What the request deadline costs per query: the project's backend vs Django's own.

Opens one connection through Django's stock PostgreSQL backend and one through
`sascop.core.db.postgresql` (both as while serving a request, so the deadline is armed on
every call), then times `SELECT 1` round trips through the ORM's cursor, alternating the
two in many short rounds (the order flips every round) so that noise from other work on
the machine falls on both alike. Also times the arm/disarm alone, without the database
(best of several repeats, as timeit does). Prints medians and the ratio ours / stock.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dbdeadline.py \
        [--queries 1000] [--rounds 25]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""

import django

django.setup()

from django.db import connections  # noqa: E402
from django.db.backends.postgresql.base import DatabaseWrapper as StockWrapper  # noqa: E402

from sascop.core.db.postgresql import serving_request  # noqa: E402


def _per_call_us(db: Any, queries: int) -> float:
    with db.cursor() as cursor:
        started = time.perf_counter()
        for _ in range(queries):
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return (time.perf_counter() - started) / queries * 1e6


def _wrap_only_ns(db: Any, calls: int) -> float:
    wrap = db.wrap_database_errors

    def enter_exit() -> None:
        with wrap:
            pass

    return min(timeit.repeat(enter_exit, number=calls, repeat=7)) / calls * 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=25)
    args = parser.parse_args()

    ours = connections["default"]
    if ours.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    stock = StockWrapper({**ours.settings_dict, "ENGINE": "django.db.backends.postgresql"})
    # The stock backend passes OPTIONS to libpq, which knows no such parameter.
    stock.settings_dict["OPTIONS"] = {
        k: v for k, v in ours.settings_dict["OPTIONS"].items() if k != "request_statement_timeout"
    }
    serving_request.set(True)
    _per_call_us(ours, 200)  # connect and warm up both
    _per_call_us(stock, 200)

    timings: dict[str, list[float]] = {"stock": [], "ours": []}
    pair = [("stock", stock), ("ours", ours)]
    for _ in range(args.rounds):
        for name, db in pair:
            timings[name].append(_per_call_us(db, args.queries))
        pair.reverse()
    wrap = {name: _wrap_only_ns(db, 100_000) for name, db in (("stock", stock), ("ours", ours))}

    stock_us, ours_us = (statistics.median(timings[n]) for n in ("stock", "ours"))
    print(f"SELECT 1 through the ORM cursor, median of {args.rounds} rounds x {args.queries}")
    print(f"  Django's backend          {stock_us:8.1f} us/query")
    print(f"  sascop.core.db.postgresql    {ours_us:8.1f} us/query")
    print(f"  ratio ours / stock        {ours_us / stock_us:8.3f}")
    print("Arming and disarming the deadline alone (error wrapper, no database)")
    print(f"  Django's backend          {wrap['stock']:8.0f} ns/call")
    print(f"  sascop.core.db.postgresql    {wrap['ours']:8.0f} ns/call")
    print(f"  added per call            {wrap['ours'] - wrap['stock']:8.0f} ns")
    for db in (ours, stock):
        db.close()


if __name__ == "__main__":
    main()
