"""CPU per request over the load test's mix of pages, without the load test (run by hand).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/te_bench_100000 \\
      .venv/bin/python bench/cpu_mix.py [role …] [--repeat 6]

The load test (load_test.py) tells how many requests per second the machine serves, but only
on an idle machine: anything else running takes its cores. This tells what each request
costs, which holds on a busy machine too: for every role of ``load_plan.MIX`` and every page
of its plan, it requests the page ``--repeat`` times (ids drawn from the plan's samples, as
the load test does) through Django's test client with production-like settings, and
measures the CPU time of this process (the app) and of the PostgreSQL backend serving it
(from /proc; PostgreSQL counts in 10 ms ticks, so its figure per page is coarse). It then
weighs the pages as the load test does (a role's share of users × the page's share of that
role's clicks) and prints the average per request and the pages that cost the most of it.

Two cores serve about 2,000 ms of CPU per second: at 60 requests per second a request may
cost about 33 ms in all (app + PostgreSQL + the load generator's ~2 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_exchange.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DEMO_MODE", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)

import load_plan  # sets Django up
from django.db import connection
from profile_page import signed_in

TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (here: the PostgreSQL backend)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roles", nargs="*", help="only these roles (default: all)")
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument("--plan", default="", help="a plan written by load_plan.py")
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text()) if args.plan else load_plan.plan()
    rng = random.Random(1)
    rows: list[tuple[float, str, str, float, float]] = []
    for role, share in load_plan.MIX.items():
        if args.roles and role not in args.roles:
            continue
        spec = plan["roles"][role]
        user = spec["users"][0]
        client = signed_in(user)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        clicks = sum(weight for _name, _url, weight in spec["pages"])
        for name, url, weight in spec["pages"]:

            def fill(match: re.Match, user: str = user, role: str = role) -> str:
                if match.group(1) == "nomination" and role == "participant":
                    return str(plan["nomination_of"][user])
                return str(rng.choice(plan["samples"][match.group(1)]))

            urls = [re.sub(r"\{(\w+)\}", fill, url) for _ in range(args.repeat)]
            for warm in urls[:2]:
                status = client.get(warm).status_code
                assert status == 200, f"{warm} answered {status} to {user}"
            app, database = time.process_time(), backend_cpu(pid)
            for each in urls:
                client.get(each)
            app_ms = (time.process_time() - app) * 1000 / args.repeat
            pg_ms = (backend_cpu(pid) - database) * 1000 / args.repeat
            rows.append((share * weight / clicks, role, name, app_ms, pg_ms))
            print(f"{role:13} {name:30} app {app_ms:6.1f} ms  PostgreSQL {pg_ms:6.1f} ms")
    total = sum(w for w, *_ in rows)
    app = sum(w * a for w, _r, _n, a, _p in rows) / total
    pg = sum(w * p for w, _r, _n, _a, p in rows) / total
    print(
        f"\nper request, weighted as the load test: app {app:.1f} ms, PostgreSQL {pg:.1f} ms "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    print("the pages that cost the most of it (ms of an average request):")
    ranked = sorted(rows, key=lambda r: r[0] * (r[3] + r[4]), reverse=True)
    for w, role, name, app_ms, pg_ms in ranked[:15]:
        print(f"  {w * (app_ms + pg_ms) / total:5.2f}  {role}: {name} ({app_ms:.0f} + {pg_ms:.0f})")


if __name__ == "__main__":
    main()
