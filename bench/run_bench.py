"""Measure match runs and publishing through the app at two sizes (run by hand, PostgreSQL).

    .venv/bin/python bench/run_bench.py                       # 1,000 and 10,000 participants
    .venv/bin/python bench/run_bench.py --sizes 10000 --repeat 3
    .venv/bin/python bench/run_bench.py --with-100000          # also 100,000 (long: builds it)
    BENCH_DB_PREFIX=te_mine_ .venv/bin/python bench/run_bench.py --sizes 100000 \
        --steps stable,download --profile                      # a database of one's own, profiled

For each size N (participants) the scale dataset (``talent-exchange seed_scale``: N people and
up to 10,000 more, 500 organisations — 10 below 5,000 — one cycle of N endorsed nominations, about
as many places, ~20 rankings per nominee and the hosts' rankings) is built once into the
PostgreSQL database ``te_runs_<N>`` (``$BENCH_DB_PREFIX<N>``; kept between runs: drop it to
rebuild).

Then each measurement runs in a fresh child process (so that its peak memory is its own), as
the worker does it, with production-like settings:

- **market build**: ``build_arrays`` (flat queries into arrays) — time and queries;
- **run, stable / optimal**: ``services.execute_run`` of a queued run, from the claim to the
  stored result (market build, the snapshot as compressed arrays, engine, compressed result,
  its blocks of rows and summary); the run's own progress steps time its phases;
- **download**: the stable run's input snapshot as JSON, written from the stored arrays as
  the download page sends it;
- **publish**: ``services.execute_publish`` of that stable run (one offer per pair with
  history rows, in batches), then the offers are removed again so the bench can be repeated.

Peak memory is the child's maximum resident set size (``resource.getrusage``), which
includes Django and numpy (about 100 MB before any work). Results are also written as JSON
to ``bench/results/runs-<date>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# The datasets' database names: ``<prefix><N>`` (a session of its own can take another prefix).
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "te_runs_")
STEPS = ("market", "stable", "optimal", "download", "publish")


def _env(size: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talent_exchange.settings.local",
        "DATABASE_URL": f"{PG}/{DB_PREFIX}{size}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
    }


def _psql(sql: str) -> str:
    return subprocess.run(  # noqa: S603
        ["psql", f"{PG}/postgres", "-Atqc", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def ensure_dataset(size: int) -> None:
    name = f"{DB_PREFIX}{size}"
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):  # noqa: S608  (an int)
        _psql(f"CREATE DATABASE {name}")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=_env(size), check=True)  # noqa: S603
    if _child(size, "probe")["ready"]:
        return
    print(f"Building the dataset of {size:,} participants into {name}…", flush=True)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [
            *manage,
            "seed_scale",
            "--people",
            str(size + min(size, 10_000)),
            "--organizations",
            str(500 if size >= 5_000 else 10),
            "--participants",
            str(size),
        ],
        env=_env(size),
        check=True,
    )
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def _child(size: int, step: str, profile: bool = False) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", step, "--sizes", str(size)]
        + (["--profile"] if profile else []),
        env=_env(size),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- in the child process ----------------------------------------------------------------------


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _count_queries():
    from django.db import connection

    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    return counter, connection.execute_wrapper(wrapper)


@contextlib.contextmanager
def _profiled(on: bool, name: str) -> Iterator[None]:
    """With ``--profile``: cProfile the block, the 40 costliest calls to bench/results."""
    if not on:
        yield
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        out = ROOT / "bench" / "results" / f"profile-{name}-{datetime.now(UTC):%H%M%S}.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w") as stream:
            pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(30)


def child(step: str, profile: bool = False) -> dict:
    import django
    from django.conf import settings

    django.setup()
    # Tasks are queued as the pages queue them, and run here as the worker runs them: the
    # dummy backend keeps what is enqueued without running it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from talent_exchange.accounts.models import User
    from talent_exchange.matches import services
    from talent_exchange.matches.market import build_arrays, default_tolerance
    from talent_exchange.matches.models import MatchRun, Offer, ResultBlock, RunStatus
    from talent_exchange.nonprod.scale import PROGRAM_NAME
    from talent_exchange.programs.models import Cycle

    cycle = (
        Cycle.objects.filter(program__name=PROGRAM_NAME).select_related("program").order_by("pk")
    ).first()
    if step == "probe":
        return {"ready": cycle is not None}
    assert cycle is not None
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.get(
        username="scale-admin"
    )
    if cycle.state != "matching":  # runs start in the matching phase (the dataset is built
        Cycle.objects.filter(pk=cycle.pk).update(state="matching")  # in interviews)
        cycle.refresh_from_db()
    tolerance = default_tolerance(cycle)
    counter, wrapper = _count_queries()
    base = _peak_mb()
    if step == "market":
        with wrapper:
            started, cpu = time.perf_counter(), _cpu()
            market = build_arrays(cycle, balance_tolerance=tolerance)
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "queries": counter["n"],
            "peak_mb": _peak_mb(),
            "base_mb": base,
            "participants": market.n_participants,
            "rankings": len(market.participant_prefs) + len(market.slot_prefs),
        }
    if step in ("stable", "optimal"):
        # Queued as the page does it (the task row waits for a worker that is not there),
        # then run here exactly as the worker runs it; each progress step is timed.
        run = services.start_run(cycle, actor=admin, mode=step, balance_tolerance=tolerance)
        phases: list[tuple[str, float, float]] = []
        record_step = services._step

        def timed_step(run_id: int, progress: int, note: str, **fields: object) -> int:
            done = record_step(run_id, progress, note, **fields)
            phases.append((str(note), time.perf_counter(), _cpu()))
            return done

        services._step = timed_step
        with wrapper, _profiled(profile, f"{step}-{cycle.pk}"):
            started, cpu = time.perf_counter(), _cpu()
            phases.append(("claimed", started, cpu))
            status = services.execute_run(run.pk)
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        run = MatchRun.objects.defer("market_data", "result_data").get(pk=run.pk)
        assert status == RunStatus.SUCCEEDED, run.error
        stored = MatchRun.objects.filter(pk=run.pk).values_list("market_data", "result_data")[0]
        blocks = ResultBlock.objects.filter(run=run).values_list("data", flat=True)
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "queries": counter["n"],
            "peak_mb": _peak_mb(),
            "base_mb": base,
            "run": run.pk,
            "matched": run.summary["assignment_count"],
            "snapshot_mb": len(stored[0]) / 1e6,
            "result_mb": run.result_bytes / 1e6,
            "stored_mb": (len(stored[0]) + len(stored[1]) + sum(map(len, blocks))) / 1e6,
            # Time and CPU from one progress step to the next, named by the later one.
            "phases": [
                {"step": note, "seconds": t - t0, "cpu_seconds": c - c0}
                for (_, t0, c0), (note, t, c) in itertools.pairwise(phases)
            ],
        }
    if step == "download":
        # The stable run's input snapshot as JSON, written from the stored arrays: what the
        # task worker does once for a large run's download (matches/reports.py).
        from talent_exchange.matches.models import snapshot_chunks

        run = (
            MatchRun.objects.filter(cycle=cycle, mode="stable", status=RunStatus.SUCCEEDED)
            .defer("market_data", "result_data")
            .order_by("-pk")
            .first()
        )
        assert run is not None, "run the stable step first"
        with wrapper, _profiled(profile, f"download-{cycle.pk}"):
            started, cpu = time.perf_counter(), _cpu()
            blob = MatchRun.objects.filter(pk=run.pk).values_list("market_data", flat=True)[0]
            size = sum(len(chunk) for chunk in snapshot_chunks(bytes(blob)))
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "queries": counter["n"],
            "peak_mb": _peak_mb(),
            "base_mb": base,
            "json_mb": size / 1e6,
        }
    if step == "publish":
        run = (
            MatchRun.objects.filter(cycle=cycle, mode="stable", status=RunStatus.SUCCEEDED)
            .defer("market_data", "result_data")
            .order_by("-pk")
            .first()
        )
        assert run is not None, "run the stable step first"
        # A previous bench's publication is undone, so that this one starts afresh.
        Offer.history.filter(run_id=run.pk).delete()
        Offer.objects.filter(run=run).delete()
        MatchRun.objects.filter(cycle=cycle).update(published_at=None, publish_status="")
        services.publish_run(run, actor=admin)
        with wrapper, _profiled(profile, f"publish-{cycle.pk}"):
            started, cpu = time.perf_counter(), _cpu()
            made = services.execute_publish(run.pk)
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        peak = _peak_mb()
        Offer.history.filter(run_id=run.pk).delete()
        Offer.objects.filter(run=run).delete()
        MatchRun.objects.filter(pk=run.pk).update(published_at=None, publish_status="")
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "queries": counter["n"],
            "peak_mb": peak,
            "base_mb": base,
            "offers": made,
        }
    raise SystemExit(f"unknown step {step}")


# --- the table ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="participants, comma-separated")
    parser.add_argument("--with-100000", action="store_true", help="also 100,000 participants")
    parser.add_argument("--repeat", type=int, default=1, help="measurements per step (median)")
    parser.add_argument(
        "--steps", default=",".join(STEPS), help="which steps, comma-separated (in order)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile each step (to bench/results/)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.child, args.profile)))
        return
    steps = [s for s in args.steps.split(",") if s]
    sizes = [int(s) for s in args.sizes.split(",")] + ([100_000] if args.with_100000 else [])
    load = os.getloadavg()
    results: dict[int, dict[str, dict]] = {}
    for size in sizes:
        ensure_dataset(size)
        results[size] = {}
        for step in steps:
            samples = [_child(size, step, args.profile) for _ in range(args.repeat)]
            best = sorted(samples, key=lambda s: s["seconds"])[len(samples) // 2]
            best["median_seconds"] = statistics.median(s["seconds"] for s in samples)
            results[size][step] = best
            print(
                f"  {size:>7,} {step:<8} {best['median_seconds']:7.2f} s, "
                f"CPU {best['cpu_seconds']:.2f} s, {best['peak_mb']:.0f} MB",
                flush=True,
            )
            for phase in best.get("phases", []):
                print(
                    f"      {phase['step']:<40} {phase['seconds']:6.2f} s, "
                    f"CPU {phase['cpu_seconds']:.2f} s",
                    flush=True,
                )
    print()
    print(f"load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    header = (
        "| step | "
        + " | ".join(f"{s:,}: time | worker CPU | peak MB | queries" for s in sizes)
        + (" | ratio (time) |" if len(sizes) > 1 else " |")
    )
    print(header)
    print("|---" * (1 + 4 * len(sizes) + (len(sizes) > 1)) + "|")
    for step in steps:
        cells = []
        for size in sizes:
            r = results[size][step]
            cells += [
                f"{r['median_seconds']:.2f} s",
                f"{r['cpu_seconds']:.2f} s",
                f"{r['peak_mb']:.0f}",
                str(r["queries"]),
            ]
        ratio = ""
        if len(sizes) > 1:
            first = results[sizes[0]][step]["median_seconds"]
            ratio = " | " + " / ".join(
                f"{results[s][step]['median_seconds'] / first:.1f}×" for s in sizes[1:]
            )
        print(f"| {step} | " + " | ".join(cells) + ratio + " |")
    for size in sizes:
        got = results[size]
        if not {"market", "stable"} <= set(got):
            continue
        stable = got["stable"]
        json_mb = f", {got['download']['json_mb']:.1f} MB as JSON" if "download" in got else ""
        print(
            f"{size:,} participants: {got['market']['rankings']:,} rankings, "
            f"{stable['matched']:,} matched; snapshot {stable['snapshot_mb']:.1f} MB of "
            f"arrays{json_mb}; result {stable['result_mb']:.1f} MB of JSON; all stored in "
            f"{stable['stored_mb']:.1f} MB (result blocks included)"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"runs-{datetime.now(UTC):%Y%m%d-%H%M}.json"
    path.write_text(json.dumps({"load": load, "results": results}, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
