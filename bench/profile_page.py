"""Where a page's CPU goes: profile requests to one page with cProfile (run by hand).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/te_bench_1000 \\
      .venv/bin/python bench/profile_page.py --user scale-admin --url / --repeat 20

Signs in as ``--user`` like bench/web_pages.py (the second factor counted as done), requests
the page once to warm caches, then ``--repeat`` times under the profiler, with production-like
settings (DEBUG off). Prints the CPU milliseconds per request (without the profiler's
overhead: measured first), the SQL statements of one request (``--sql``) and the functions
that cost the most, by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_exchange.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DEMO_MODE", "false")  # as in production
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)

import django

django.setup()

from django.db import connection
from django.test import Client

from talent_exchange.accounts.models import User
from talent_exchange.accounts.two_factor import SATISFIED as TWO_FACTOR_SATISFIED
from talent_exchange.accounts.two_factor import SESSION_KEY as TWO_FACTOR_SESSION_KEY


def signed_in(username: str) -> Client:
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    session = client.session
    session[TWO_FACTOR_SESSION_KEY] = TWO_FACTOR_SATISFIED
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="scale-admin")
    parser.add_argument("--url", default="/")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sql", action="store_true", help="print the statements of a request")
    parser.add_argument("--save", default="", help="also write the profile to this file")
    args = parser.parse_args()

    client = signed_in(args.user)
    response = client.get(args.url)
    assert response.status_code == 200, f"{args.url} answered {response.status_code}"
    statements: list[str] = []

    def note(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        client.get(args.url)
    started = time.process_time()
    for _ in range(args.repeat):
        client.get(args.url)
    cpu_ms = (time.process_time() - started) * 1000 / args.repeat
    print(
        f"{args.url} as {args.user}: {cpu_ms:.1f} ms CPU per request, "
        f"{len(statements)} queries, {len(response.content) / 1024:.0f} KB, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    if args.sql:
        for sql in statements:
            print(" ", sql[:300])

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(args.repeat):
        client.get(args.url)
    profiler.disable()
    if args.save:
        profiler.dump_stats(args.save)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
