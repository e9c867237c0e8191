"""The load test's per-request timing (core/timing.py): off unless asked for."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_no_timing_header_unless_asked_for(client):
    assert "Server-Timing" not in client.get("/healthz")


def test_the_header_gives_server_and_cpu_milliseconds(client):
    timed = ["talent_exchange.core.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=timed):
        header = client.get("/healthz")["Server-Timing"]
    match = re.fullmatch(r"app;dur=([\d.]+), cpu;dur=([\d.]+)", header)
    assert match is not None, header
    assert float(match.group(1)) >= 0 and float(match.group(2)) >= 0
