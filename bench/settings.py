"""Benchmark settings: the service's own, plus a bare view to measure against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
