"""The cycle's market download, before and after it moved to the task worker (run by hand,
on PostgreSQL, against a scale dataset of web_bench.py; it writes exports, so point it at a
copy of the dataset, not the one the other benchmarks share):

    createdb -T te_bench_100000 te_market_copy
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/te_market_copy \\
        DJANGO_SETTINGS_MODULE=talent_exchange.settings.local DEBUG=false DEMO_MODE=false \\
        .venv/bin/python manage.py migrate
    (same environment) .venv/bin/python bench/market_export_bench.py --repeat 5

Measured, each as the program's administrator through Django's test client (server time in
the process, the body read whole; ``cpu`` is this process's CPU, PostgreSQL's not included):

- **in the request**: the market built and written while the request waits (what every
  download did before; the threshold set out of reach);
- **page**: a large market's first GET (the page that offers to prepare it);
- **worker**: the export's task body once (``execute_export``: build, write, gzip);
- **file**: a GET once it is ready (the stored gzip file sent as it is), and the API's GET.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent_exchange.accounts.models import User
from talent_exchange.accounts.two_factor import SATISFIED as TWO_FACTOR_SATISFIED
from talent_exchange.accounts.two_factor import SESSION_KEY as TWO_FACTOR_SESSION_KEY
from talent_exchange.matches import reports as downloads
from talent_exchange.matches.market import default_tolerance
from talent_exchange.nonprod.scale import PROGRAM_NAME
from talent_exchange.preferences.models import ParticipantRanking
from talent_exchange.programs.models import Cycle
from talent_exchange.reports import services
from talent_exchange.reports.models import Export


def timed(client: Client, url: str, repeat: int, headers: dict | None = None) -> dict:
    times, cpu, queries, size, status = [], [], 0, 0, 0
    for attempt in range(repeat + 1):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, headers=headers or {})
            body = b"".join(response) if response.streaming else response.content
            elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu_started
        if attempt:  # the first is a warm-up
            times.append(elapsed)
            cpu.append(cpu_used)
        queries, size, status = len(captured), len(body), response.status_code
    return {
        "median": statistics.median(times),
        "max": max(times),
        "cpu": statistics.median(cpu),
        "queries": queries,
        "bytes": size,
        "status": status,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings.EXPORTS_DIR.mkdir(parents=True, exist_ok=True)
    cycle = Cycle.objects.select_related("program").get(program__name=PROGRAM_NAME)
    admin = User.objects.filter(
        role_grants__role="program_admin", role_grants__program=cycle.program
    ).first()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(admin)
    session = client.session
    session[TWO_FACTOR_SESSION_KEY] = TWO_FACTOR_SATISFIED
    session.save()
    url = reverse("matches:market_export", args=[cycle.pk])
    api = f"/api/cycles/{cycle.pk}/market"
    filters = downloads.market_filters(cycle, 1, default_tolerance(cycle))
    Export.objects.of_download(downloads.MARKET, **filters).delete()
    rows = {
        "participants' rankings": ParticipantRanking.objects.filter(nomination__cycle=cycle).count()
    }

    threshold = settings.MARKET_EXPORT_SYNC_RANKINGS
    settings.MARKET_EXPORT_SYNC_RANKINGS = 10**12
    rows["in the request (before)"] = timed(client, url, min(args.repeat, 3))
    settings.MARKET_EXPORT_SYNC_RANKINGS = threshold
    rows["page: offers to prepare it"] = timed(client, url, args.repeat)
    rows["API GET before it is prepared (409)"] = timed(client, api, args.repeat)

    export = services.request_export(
        cycle.program, downloads.MARKET, "json.gz", filters, actor=admin
    )
    with CaptureQueriesContext(connection) as captured:
        started, cpu_started = time.perf_counter(), time.process_time()
        services.execute_export(export.pk)
        elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu_started
    export.refresh_from_db()
    rows["worker: execute_export"] = {
        "median": elapsed,
        "cpu": cpu_used,
        "queries": len(captured),
        "bytes": export.size,
        "status": export.status,
    }
    rows["file, gzip"] = timed(client, url, args.repeat, {"Accept-Encoding": "gzip"})
    rows["file, decompressed on the way"] = timed(client, url, min(args.repeat, 3))
    rows["API file, gzip"] = timed(client, api, args.repeat, {"Accept-Encoding": "gzip"})
    Export.objects.filter(pk=export.pk).delete()
    export.path.unlink(missing_ok=True)
    print(json.dumps(rows, indent=2, default=str))


if __name__ == "__main__":
    main()
