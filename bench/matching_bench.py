"""Benchmark the matching engine against what a user would pick instead (run by hand).

    .venv/bin/python bench/matching_bench.py                     # N = 1k, 10k, 50k, 100k
    .venv/bin/python bench/matching_bench.py --sizes 1000,10000 --timeout 60

For each N, one synthetic market (``market_generator.py``) is compiled once and every solver
gets the same instance:

- stable mode: this engine's deferred acceptance, and the PyPI package ``matching``
  (``HospitalResident``, resident-optimal) through its public API, up to ``--matching-max-n``
  (its solver is pure Python and deep-copies its game; it crashes with a recursion error
  around N = 50,000);
- optimal mode with balance tolerance 1: this engine (OR-Tools min-cost flow), the same model
  as an LP and as a MILP for SciPy's HiGHS, and as a CP-SAT model (up to ``--cpsat-max-n``),
  each with a time limit.

Every solver runs in a forked child process, so a crash or a timeout cannot take the
benchmark down and the peak memory of each is measured alone (growth of the child's peak
resident set over its size at the fork).  Then the whole command line is run at
``--cli-n`` on a JSON file, in both modes, for wall time and peak resident memory.

Times are wall-clock seconds of the solve phase: the problem is in memory, the clock stops
when the assignment is known.  Building each solver's own input (dicts for ``matching``,
sparse matrices for HiGHS, the CP-SAT model) is timed apart and reported as "build".
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pickle
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from market_generator import generate_market

from talent_exchange.matching.engine import solve_market
from talent_exchange.matching.market import Market, compile_market
from talent_exchange.matching.optimal import maximum_weight
from talent_exchange.matching.stable import deferred_acceptance

TOLERANCE = 1


# --- running things in isolation ---------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def isolated(work: Callable[[], dict], timeout: float) -> dict:
    """Run ``work`` in a forked child; return its dict plus ``peak_mb``, or a failure."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            with contextlib.suppress(OSError):
                Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS
            start = _status_kb("VmRSS")
            out = work()
            out["peak_mb"] = max(_status_kb("VmHWM") - start, 0) / 1024
            payload = pickle.dumps(("ok", out))
        except BaseException as error:  # report everything, even RecursionError
            payload = pickle.dumps(("error", f"{type(error).__name__}: {error}"[:160]))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([pipe], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(pipe.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return {"status": f"no answer in {timeout:.0f} s (stopped)"}
    _, exit_status = os.waitpid(pid, 0)
    if not chunks:
        return {"status": f"crashed (exit status {exit_status})"}
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's output
    return value if kind == "ok" else {"status": f"crashed: {value}"}


# --- this engine ----------------------------------------------------------------------------


def _best_of(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    """The fastest of ``repeat`` runs (the machine may be shared), and the last answer."""
    best, answer = float("inf"), None
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        answer = work()
        best = min(best, time.perf_counter() - start)
    return best, answer


def engine_stable(market: Market, repeat: int = 1) -> dict:
    seconds, assigned = _best_of(repeat, lambda: deferred_acceptance(market))
    whole, _ = _best_of(repeat, lambda: solve_market(market, "stable"))
    chosen = assigned[assigned >= 0]
    return {
        "status": "stable",
        "seconds": seconds,
        "with_explanations": whole,
        "matched": len(chosen),
        "objective": float(market.weight[chosen].sum()),
        "pairs": sorted(zip(assigned.tolist(), range(len(assigned)), strict=True)),
    }


def engine_optimal(market: Market, repeat: int = 1) -> dict:
    seconds, outcome = _best_of(repeat, lambda: maximum_weight(market))
    whole, _ = _best_of(repeat, lambda: solve_market(market, "optimal"))
    chosen = outcome.assigned[outcome.assigned >= 0]
    return {
        "status": "optimal (proven)",
        "seconds": seconds,
        "with_explanations": whole,
        "matched": len(chosen),
        "objective": float(market.weight[chosen].sum()),
    }


# --- PyPI `matching` --------------------------------------------------------------------------


def _matching_inputs(market: Market) -> tuple[dict, dict, dict]:
    """The acceptable pairs as the package wants them: names, preference lists, capacities."""
    pid, sid = market.participant_ids, market.slot_ids
    start_p = market.pair_start
    resident_prefs = {
        pid[p]: [sid[s] for s in market.pair_slot[start_p[p] : start_p[p + 1]].tolist()]
        for p in range(market.n_participants)
        if start_p[p + 1] > start_p[p]
    }
    by_slot = np.lexsort((market.slot_rank, market.pair_slot))
    slots_sorted = market.pair_slot[by_slot]
    bounds = np.searchsorted(slots_sorted, np.arange(market.n_slots + 1))
    participants_sorted = market.pair_participant[by_slot].tolist()
    hospital_prefs = {
        sid[s]: [pid[p] for p in participants_sorted[bounds[s] : bounds[s + 1]]]
        for s in range(market.n_slots)
        if bounds[s + 1] > bounds[s]
    }
    capacity = dict(zip(sid, market.capacity.tolist(), strict=True))
    capacities = {name: capacity[name] for name in hospital_prefs}
    return resident_prefs, hospital_prefs, capacities


def _matching_result(market: Market, solution: dict) -> dict:
    slot_index = {name: j for j, name in enumerate(market.slot_ids)}
    participant_index = {name: i for i, name in enumerate(market.participant_ids)}
    pair_of = {
        (p, s): e
        for e, (p, s) in enumerate(
            zip(market.pair_participant.tolist(), market.pair_slot.tolist(), strict=True)
        )
    }
    assigned = np.full(market.n_participants, -1, dtype=np.int64)
    for hospital, residents in solution.items():
        for resident in residents:
            i = participant_index[resident.name]
            assigned[i] = pair_of[(i, slot_index[hospital.name])]
    chosen = assigned[assigned >= 0]
    return {
        "status": "stable",
        "matched": len(chosen),
        "objective": float(market.weight[chosen].sum()),
        "pairs": sorted(zip(assigned.tolist(), range(len(assigned)), strict=True)),
    }


def _in_deep_thread(work: Callable[[], object]) -> object:
    """Run ``work`` with a deep Python stack and a big C stack, in a thread of its own.

    The package's players refer to each other, and building a game deep-copies that web,
    recursing about as deep as the market is large.
    """
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # carried to the caller's thread
            outcome["error"] = error

    sys.setrecursionlimit(10_000_000)
    threading.stack_size(2**30)
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def matching_public(market: Market) -> dict:
    """The package through its public API: build the game, then solve it."""
    from matching.games import HospitalResident

    resident_prefs, hospital_prefs, capacities = _matching_inputs(market)

    def build_and_solve():
        start = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        created = time.perf_counter()
        solution = game.solve(optimal="resident")
        return solution, start, created, time.perf_counter()

    solution, start, created, done = _in_deep_thread(build_and_solve)
    result = _matching_result(market, solution)
    result.update(seconds=done - start, solve_only=done - created)
    return result


def matching_inner(market: Market) -> dict:
    """The package's algorithm alone, on players built without the game's deep copy."""
    from matching.algorithms.hospital_resident import hospital_resident
    from matching.games.hospital_resident import _make_players

    residents, hospitals = _make_players(*_matching_inputs(market))

    def solve():
        start = time.perf_counter()
        solution = hospital_resident(residents, hospitals, optimal="resident")
        return solution, time.perf_counter() - start

    solution, seconds = _in_deep_thread(solve)
    result = _matching_result(market, solution)
    result["seconds"] = seconds
    return result


# --- optimal mode as an LP / MILP / CP-SAT model ----------------------------------------------


def constraint_matrix(market: Market):
    """Rows: participants (<= 1), slots (<= capacity), organizations (-t <= net <= t)."""
    import scipy.sparse as sp

    n_pairs = market.n_pairs
    cols = np.arange(n_pairs)
    p_org = market.participant_org[market.pair_participant]
    s_org = market.slot_org[market.pair_slot]
    n_p, n_s = market.n_participants, market.n_slots
    rows = np.concatenate(
        [market.pair_participant, n_p + market.pair_slot, n_p + n_s + s_org, n_p + n_s + p_org]
    )
    values = np.concatenate([np.ones(3 * n_pairs), -np.ones(n_pairs)])
    n_orgs = len(market.organization_ids)
    matrix = sp.csr_matrix(
        (values, (rows, np.concatenate([cols, cols, cols, cols]))),
        shape=(n_p + n_s + n_orgs, n_pairs),
    )
    upper = np.concatenate([np.ones(n_p), market.capacity, np.full(n_orgs, TOLERANCE)])
    lower = np.concatenate([np.full(n_p + n_s, -np.inf), np.full(n_orgs, -TOLERANCE)])
    return matrix, lower, upper


def highs_lp(market: Market, time_limit: float) -> dict:
    import scipy.sparse as sp
    from scipy.optimize import linprog

    build = time.perf_counter()
    matrix, lower, upper = constraint_matrix(market)
    n_p_s = market.n_participants + market.n_slots
    org_rows = matrix[n_p_s:]
    a_ub = sp.vstack([matrix, -org_rows]).tocsr()
    b_ub = np.concatenate([upper, -lower[n_p_s:]])
    start = time.perf_counter()
    result = linprog(
        -market.weight,
        A_ub=a_ub,
        b_ub=b_ub,
        bounds=(0, 1),
        method="highs",
        options={"time_limit": time_limit},
    )
    seconds = time.perf_counter() - start
    if result.x is None:
        return {"status": f"no answer ({result.message[:60]})", "seconds": seconds}
    fractional = int(np.sum(np.abs(result.x - np.round(result.x)) > 1e-6))
    return {
        "status": "optimal LP" if result.status == 0 else "time limit: not optimal",
        "seconds": seconds,
        "build": start - build,
        "objective": -float(result.fun),
        "matched": int(np.round(result.x).sum()),
        "note": f"{fractional} fractional values",
    }


def highs_milp(market: Market, time_limit: float) -> dict:
    from scipy.optimize import Bounds, LinearConstraint, milp

    build = time.perf_counter()
    matrix, lower, upper = constraint_matrix(market)
    start = time.perf_counter()
    result = milp(
        -market.weight,
        integrality=np.ones(market.n_pairs),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, lower, upper),
        options={"time_limit": time_limit, "presolve": False},
    )
    seconds = time.perf_counter() - start
    if result.x is None:
        return {"status": f"no answer ({result.message[:60]})", "seconds": seconds}
    return {
        "status": "optimal MILP" if result.status == 0 else "time limit: best found, not proven",
        "seconds": seconds,
        "build": start - build,
        "objective": -float(result.fun),
        "matched": int(np.round(result.x).sum()),
        "note": "presolve off",
    }


def cp_sat(market: Market, time_limit: float) -> dict:
    import pandas as pd
    from ortools.sat.python import cp_model

    build = time.perf_counter()
    model = cp_model.CpModel()
    x = model.new_bool_var_series("x", pd.Index(np.arange(market.n_pairs)))
    order = np.argsort(market.pair_participant, kind="stable")
    bounds = np.searchsorted(market.pair_participant[order], np.arange(market.n_participants + 1))
    variables = list(x)
    for p in range(market.n_participants):
        members = order[bounds[p] : bounds[p + 1]]
        if len(members) > 1:
            model.add_at_most_one(variables[e] for e in members.tolist())
    order = np.argsort(market.pair_slot, kind="stable")
    bounds = np.searchsorted(market.pair_slot[order], np.arange(market.n_slots + 1))
    for s in range(market.n_slots):
        members = order[bounds[s] : bounds[s + 1]]
        if len(members) > int(market.capacity[s]):
            model.add(sum(variables[e] for e in members.tolist()) <= int(market.capacity[s]))
    p_org = market.participant_org[market.pair_participant]
    s_org = market.slot_org[market.pair_slot]
    for o in range(len(market.organization_ids)):
        incoming = np.flatnonzero((s_org == o) & (p_org != o)).tolist()
        outgoing = np.flatnonzero((p_org == o) & (s_org != o)).tolist()
        net = sum(variables[e] for e in incoming) - sum(variables[e] for e in outgoing)
        model.add_linear_constraint(net, -TOLERANCE, TOLERANCE)
    scaled = np.round(market.weight * 10).astype(np.int64)
    model.maximize(cp_model.LinearExpr.weighted_sum(variables, scaled.tolist()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    start = time.perf_counter()
    status = solver.solve(model)
    seconds = time.perf_counter() - start
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {"status": f"{name}: no solution", "seconds": seconds, "build": start - build}
    return {
        "status": "optimal (proven)" if status == cp_model.OPTIMAL else "feasible, not proven",
        "seconds": seconds,
        "build": start - build,
        "objective": solver.objective_value / 10,
        "note": f"bound {solver.best_objective_bound / 10:.1f}",
    }


# --- the whole command line -------------------------------------------------------------------


def run_cli(path: Path, mode: str) -> dict:
    out = path.with_suffix(f".{mode}.out.json")
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "talent_exchange.matching",
            str(path),
            "--mode",
            mode,
            "-o",
            str(out),
        ],
        cwd=Path(__file__).resolve().parents[1],
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    summary = child.stderr.read().decode().strip() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    size = out.stat().st_size / 1e6 if out.exists() else 0
    return {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "exit": child.returncode,
        "summary": summary,
        "output_mb": size,
    }


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def _compare(theirs: dict, ours: dict) -> None:
    if "pairs" in theirs and "pairs" in ours:
        same = theirs.pop("pairs") == ours["pairs"]
        theirs["note"] = "same matching" if same else "DIFFERENT matching"


# --- reporting --------------------------------------------------------------------------------


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def row(name: str, result: dict, reference: dict | None) -> str:
    seconds = result.get("seconds")
    ratio = ""
    objective = result.get("objective")
    if reference and seconds and reference.get("seconds") and "objective" in result:
        ratio = f"{seconds / reference['seconds']:.0f}x"
    elif reference and seconds and reference.get("seconds"):
        ratio = f"({seconds / reference['seconds']:.0f}x, no answer)"
    objective_ratio = ""
    if reference and objective is not None and reference.get("objective"):
        objective_ratio = f"{objective / reference['objective']:.4f}"
    parts = [
        name,
        result.get("status", ""),
        fmt_seconds(seconds),
        f"{result['peak_mb']:.0f} MB" if "peak_mb" in result else "-",
        f"{objective:.1f}" if objective is not None else "-",
        ratio,
        objective_ratio,
        "; ".join(
            filter(
                None,
                [
                    result.get("note", ""),
                    f"build {fmt_seconds(result['build'])}" if "build" in result else "",
                    f"solve() alone {fmt_seconds(result['solve_only'])}"
                    if "solve_only" in result
                    else "",
                    f"whole result with explanations {fmt_seconds(result['with_explanations'])}"
                    if "with_explanations" in result
                    else "",
                ],
            )
        ),
    ]
    return "| " + " | ".join(parts) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=300.0, help="per HiGHS solve (s)")
    parser.add_argument("--cpsat-timeout", type=float, default=120.0)
    parser.add_argument("--matching-max-n", type=int, default=10_000)
    parser.add_argument("--matching-inner-max-n", type=int, default=100_000)
    parser.add_argument("--cpsat-max-n", type=int, default=10_000)
    parser.add_argument("--highs-max-n", type=int, default=100_000)
    parser.add_argument("--cli-n", type=int, default=100_000, help="0: skip the CLI run")
    parser.add_argument("--cli-repeat", type=int, default=1, help="best time of this many runs")
    parser.add_argument("--engine-only", action="store_true", help="skip the alternatives")
    parser.add_argument(
        "--repeat", type=int, default=3, help="this engine: best of this many runs (default 3)"
    )
    args = parser.parse_args(argv)

    print(
        f"# matching benchmark: {os.cpu_count()} cores, tolerance {TOLERANCE}, this engine best "
        f"of {args.repeat}; load average at start {_load()}\n"
    )
    header = (
        "| solver | status | time | peak memory | objective | time ratio | objective ratio "
        "| notes |\n|---|---|---|---|---|---|---|---|"
    )
    growth = []
    for n in [int(v) for v in args.sizes.split(",") if v]:
        data = generate_market(n, seed=args.seed, balance_tolerance=TOLERANCE)
        start = time.perf_counter()
        market = compile_market(data)
        compile_seconds = time.perf_counter() - start
        del data
        print(
            f"## N = {n:,}: {market.n_slots:,} slots, {int(market.capacity.sum()):,} places, "
            f"{len(market.organization_ids):,} organizations, {market.n_pairs:,} acceptable "
            f"pairs (compiled from the JSON-shaped dict in {fmt_seconds(compile_seconds)}); "
            f"load average {_load()}\n"
        )
        print("### stable mode\n")
        print(header)
        ours = isolated(lambda m=market: engine_stable(m, args.repeat), timeout=600)
        print(row("this engine (deferred acceptance)", ours, None), flush=True)
        if not args.engine_only and n <= args.matching_max_n:
            theirs = isolated(lambda m=market: matching_public(m), timeout=args.timeout * 4)
            _compare(theirs, ours)
            print(row("PyPI matching 1.4.3, public API", theirs, ours), flush=True)
        elif not args.engine_only:
            print(
                f"| PyPI matching, public API | not run above N = {args.matching_max_n:,} |||||||"
            )
        if not args.engine_only and n <= args.matching_inner_max_n:
            inner = isolated(lambda m=market: matching_inner(m), timeout=args.timeout * 4)
            _compare(inner, ours)
            print(row("PyPI matching 1.4.3, its algorithm alone", inner, ours), flush=True)
        print("\n### optimal mode, balance tolerance 1\n")
        print(header)
        best = isolated(lambda m=market: engine_optimal(m, args.repeat), timeout=600)
        print(row("this engine (OR-Tools min-cost flow)", best, None), flush=True)
        if not args.engine_only and n <= args.highs_max_n:
            lp = isolated(lambda m=market: highs_lp(m, args.timeout), args.timeout + 120)
            print(row("SciPy HiGHS LP", lp, best), flush=True)
            mip = isolated(lambda m=market: highs_milp(m, args.timeout), args.timeout + 120)
            print(row("SciPy HiGHS MILP", mip, best), flush=True)
        if not args.engine_only and n <= args.cpsat_max_n:
            cp = isolated(lambda m=market: cp_sat(m, args.cpsat_timeout), args.cpsat_timeout + 300)
            print(row("OR-Tools CP-SAT (2 workers)", cp, best), flush=True)
        elif not args.engine_only:
            print(f"| OR-Tools CP-SAT | not run above N = {args.cpsat_max_n:,} | | | | | | |")
        print()
        growth.append((n, market.n_pairs, ours.get("seconds"), best.get("seconds")))

    print("### growth of this engine's solve time\n")
    print("| N | acceptable pairs | stable | per pair | optimal | per pair |")
    print("|---|---|---|---|---|---|")
    for n, pairs, stable, optimal in growth:
        print(
            f"| {n:,} | {pairs:,} | {fmt_seconds(stable)} | {stable / pairs * 1e9:.0f} ns | "
            f"{fmt_seconds(optimal)} | {optimal / pairs * 1e9:.0f} ns |"
        )

    if args.cli_n:
        print(f"\n### the whole command line at N = {args.cli_n:,}\n")
        import orjson

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "market.json"
            data = generate_market(args.cli_n, seed=args.seed, balance_tolerance=TOLERANCE)
            path.write_bytes(orjson.dumps(data))
            del data
            size = path.stat().st_size / 1e6
            print(f"load average {_load()}\n")
            print("| mode | wall time | peak resident memory | input | output | exit | summary |")
            print("|---|---|---|---|---|---|---|")
            for mode in ("stable", "optimal"):
                runs = [run_cli(path, mode) for _ in range(max(args.cli_repeat, 1))]
                result = min(runs, key=lambda r: r["seconds"])
                result["peak_mb"] = max(r["peak_mb"] for r in runs)
                print(
                    f"| {mode} | {fmt_seconds(result['seconds'])} | {result['peak_mb']:.0f} MB "
                    f"| {size:.0f} MB | {result['output_mb']:.0f} MB | {result['exit']} "
                    f"| {result['summary']} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
