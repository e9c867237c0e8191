"""Measure every main page at two dataset sizes, side by side (run by hand, on PostgreSQL).

    .venv/bin/python bench/web_bench.py                       # 1,000 and 100,000 people
    .venv/bin/python bench/web_bench.py --sizes 1000,20000 --repeat 5

For each size N the scale dataset (``talent-exchange seed_scale``: N people, N/200
organisations, N/10 participants in one cycle) is built once into its own PostgreSQL database
``te_bench_<N>`` (``--prefix`` for another name; kept between runs: drop it to rebuild).
Then, in a child process per size, every page is requested ``--repeat`` times (after one
warm-up) as the role that uses it, through Django's test client with production-like settings
(DEBUG off, no debug toolbar, no demo persona switcher): the
time is server time in the process, without a network or a browser. The table gives the
median and 95th percentile, the app's CPU time (median; on a busy machine a steadier figure
than the wall-clock time), the number of SQL queries and the size of the answer at both
sizes, and the ratio of the medians — a page whose time grows with the data shows a ratio
far above 1.

A statement that runs longer than ``--statement-timeout`` seconds is cancelled by
PostgreSQL and the page is reported as "timeout". Results are also written as JSON to
``bench/results/web-<date>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


# The dataset of N people lives in the database <prefix>_<N> (``--prefix``: people who
# benchmark on one server keep their own).
PREFIX = "te_bench"


def _database_name(size: int, prefix: str = PREFIX) -> str:
    return f"{prefix}_{size}"


def _env(size: int, prefix: str = PREFIX) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talent_exchange.settings.local",
        "DATABASE_URL": f"{PG}/{_database_name(size, prefix)}",
        "DEBUG": "false",
        "DEMO_MODE": "false",  # as in production: no persona switcher on every page
        "SECRET_KEY": "bench-" + "x" * 50,
    }


def _psql(sql: str) -> str:
    return subprocess.run(  # noqa: S603
        ["psql", f"{PG}/postgres", "-Atqc", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def ensure_dataset(size: int, prefix: str = PREFIX) -> None:
    name = _database_name(size, prefix)
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):  # noqa: S608  (size is an int)
        _psql(f"CREATE DATABASE {name}")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=_env(size, prefix), check=True)  # noqa: S603
    probe = subprocess.run(  # noqa: S603
        [*manage, "shell", "-v", "0", "-c", _HAS_DATA],
        env=_env(size, prefix),
        check=True,
        capture_output=True,
        text=True,
    )
    if probe.stdout.strip().endswith("yes"):
        return
    started = time.perf_counter()
    print(f"Building the dataset of {size:,} people into {name}…", flush=True)
    subprocess.run(  # noqa: S603
        [
            *manage,
            "seed_scale",
            "--people",
            str(size),
            "--organizations",
            str(max(10, size // 200)),
            "--participants",
            str(max(50, size // 10)),
        ],
        env=_env(size, prefix),
        check=True,
    )
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


_HAS_DATA = (
    "from talent_exchange.programs.models import Program;"
    "from talent_exchange.nonprod.scale import PROGRAM_NAME;"
    "print('yes' if Program.objects.filter(name=PROGRAM_NAME).exists() else 'no')"
)


def measure(
    size: int, repeat: int, statement_timeout: int, only: str, prefix: str = PREFIX
) -> list[dict]:
    """Run the page measurements in a child process bound to the size's database."""
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(Path(__file__).resolve().parent / "web_pages.py"),
            "--repeat",
            str(repeat),
            "--statement-timeout",
            str(statement_timeout),
            "--only",
            only,
        ],
        env=_env(size, prefix),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _fmt_time(row: dict | None, key: str) -> str:
    if row is None:
        return "–"
    if row.get("error"):
        return row["error"]
    return f"{row[key] * 1000:,.0f}"


def print_table(sizes: list[int], results: dict[int, list[dict]]) -> None:
    small, large = sizes[0], sizes[-1]
    by_page = {size: {r["page"]: r for r in results[size]} for size in sizes}
    pages = [r["page"] for r in results[small]]
    head = (
        f"| page | median ms ({small:,}) | p95 | CPU ms | queries | KB "
        f"| median ms ({large:,}) | p95 | CPU ms | queries | KB | ratio |"
    )
    print(head)
    print("|" + "---|" * 12)
    for page in pages:
        a, b = by_page[small].get(page), by_page[large].get(page)
        ratio = "–"
        if a and b and not a.get("error") and not b.get("error") and a["median"] > 0:
            ratio = f"{b['median'] / a['median']:.1f}×"
        cells = [page]
        for row in (a, b):
            cells += [
                _fmt_time(row, "median"),
                _fmt_time(row, "p95"),
                _fmt_time(row, "cpu") if row and "cpu" in row else "–",
                str(row["queries"]) if row and not row.get("error") else "–",
                f"{row['bytes'] / 1024:,.0f}" if row and not row.get("error") else "–",
            ]
        cells.append(ratio)
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--statement-timeout", type=int, default=60)
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    parser.add_argument("--prefix", default=PREFIX, help="the databases: <prefix>_<size>")
    args = parser.parse_args()
    if not args.prefix.replace("_", "").isalnum():
        parser.error("--prefix: letters, digits and underscores")
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    for size in sizes:
        ensure_dataset(size, args.prefix)
    results = {}
    for size in sizes:
        print(f"Measuring at {size:,} people…", flush=True)
        results[size] = measure(size, args.repeat, args.statement_timeout, args.only, args.prefix)
    load = os.getloadavg()
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load[0]:.2f}, "
        f"{os.cpu_count()} cores; server time in-process, median of {args.repeat}\n"
    )
    print_table(sizes, results)
    target = ROOT / "bench" / "results"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"web-{datetime.now(UTC):%Y%m%d-%H%M}.json"
    path.write_text(json.dumps({"sizes": sizes, "load": load, "results": results}, indent=1))
    print(f"\nWritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
