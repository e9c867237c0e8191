"""The child of web_bench.py: measure each page against the database in DATABASE_URL.

Prints a JSON list of {page, median, p95, cpu, queries, bytes, status} (times in seconds;
``cpu`` is the median CPU time of this process per request, PostgreSQL's not included)."""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import CaptureQueriesContext
from profile_page import signed_in  # bench/: one signed-in client for every script

from talent_exchange.nonprod.scale import scale_pages as pages


class PageTimeout(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--statement-timeout", type=int, default=60)
    parser.add_argument("--only", default="")
    args = parser.parse_args()

    def limit_statements(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {args.statement_timeout * 1000}")

    connection_created.connect(limit_statements)

    def on_alarm(signum, frame):
        raise PageTimeout

    signal.signal(signal.SIGALRM, on_alarm)
    results = []
    clients: dict[str, Client] = {}
    for name, username, url in pages():
        if args.only and args.only not in name:
            continue
        client = clients.get(username)
        if client is None:
            client = clients[username] = signed_in(username)
        times, cpu, queries, size, status, error = [], [], 0, 0, 0, ""
        for attempt in range(args.repeat + 1):
            signal.alarm(args.statement_timeout * 2)
            try:
                with CaptureQueriesContext(connection) as captured:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    content = b"".join(response) if response.streaming else response.content
                    elapsed = time.perf_counter() - started
                    cpu_used = time.process_time() - cpu_started
            except PageTimeout:
                error = "timeout"
                break
            except Exception as exc:  # a page that fails is reported, not fatal
                error = type(exc).__name__
                break
            finally:
                signal.alarm(0)
            if attempt:  # the first request warms caches
                times.append(elapsed)
                cpu.append(cpu_used)
            queries, size, status = len(captured), len(content), response.status_code
        row = {"page": name, "url": url, "status": status, "error": error}
        if not error:
            times.sort()
            row.update(
                median=statistics.median(times),
                p95=times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                # The app's own CPU time (not PostgreSQL's): less swayed by a busy machine.
                cpu=statistics.median(cpu),
                queries=queries,
                bytes=size,
            )
        results.append(row)
        print(f"{name}: {row.get('median', error)}", file=sys.stderr, flush=True)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
