"""The engine's front door: a market in, a complete, explained result out."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from .arrays import ArrayMarket, compile_arrays
from .explain import explain
from .locks import Infeasible
from .market import InvalidMarket, Market, compile_market
from .metrics import compute_metrics
from .optimal import maximum_weight, weight_scale
from .stable import deferred_acceptance

FORMAT_VERSION = 1
MODES = ("stable", "optimal")
STABLE_SOLVER: dict[str, Any] = {
    "name": "deferred acceptance (participant-proposing, with capacities)",
    "status": "STABLE",
    "proof": (
        "deferred acceptance ends in the participant-optimal stable matching, which is "
        "unique; the metrics recount blocking pairs independently"
    ),
}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects.

    A large market is millions of dicts and lists; every few hundred new containers the
    collector would walk all of them again (this tripled the time to parse and explain a
    100,000-participant market).  Nothing here creates reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def make_result(mode: str, status: str, **fields: Any) -> dict[str, Any]:
    result = {
        "format_version": FORMAT_VERSION,
        "mode": mode,
        "status": status,
        "seed": None,
        "solver": None,
        "assignments": [],
        "unmatched": [],
        "metrics": None,
        "problems": [],
    }
    result.update(fields)
    return result


def solve_market(market: Market, mode: str = "stable") -> dict[str, Any]:
    """Solve a compiled market (see :func:`solve` for the result)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    with gc_paused():
        return _solve_market(market, mode)


def _solve_market(market: Market, mode: str) -> dict[str, Any]:
    try:
        if mode == "stable":
            assigned = deferred_acceptance(market)
            solver: dict[str, Any] = dict(STABLE_SOLVER)
            decimals, exact = weight_scale(market.weight, float(np.iinfo(np.int64).max))
        else:
            outcome = maximum_weight(market)
            assigned = outcome.assigned
            solver = outcome.solver
            decimals, exact = solver["weight_decimals"], solver["exact"]
    except Infeasible as error:
        return make_result(mode, "infeasible", seed=market.seed, problems=error.problems)
    assignments, unmatched = explain(market, assigned, mode)
    return make_result(
        mode,
        "stable" if mode == "stable" else "optimal",
        seed=market.seed,
        solver=solver,
        assignments=assignments,
        unmatched=unmatched,
        metrics=compute_metrics(market, assigned, decimals if exact else None),
    )


def solve_arrays(market: ArrayMarket, mode: str = "stable") -> dict[str, Any]:
    """:func:`solve` for a market given as arrays (see ``arrays.py``): the same result as
    ``solve(market.to_json(), mode)``, without building the JSON."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    with gc_paused():
        try:
            compiled = compile_arrays(market)
        except InvalidMarket as error:
            return make_result(mode, "invalid", problems=error.problems)
        return solve_market(compiled, mode)


def solve(market: Any, mode: str = "stable", *, seed: int | None = None) -> dict[str, Any]:
    """Match a market given as parsed JSON (a dict); never raises on bad input.

    Returns a JSON-ready dict with ``status`` (``stable``, ``optimal``, ``infeasible`` or
    ``invalid``), ``assignments``, ``unmatched``, ``metrics``, ``solver``, ``seed`` and
    ``problems``; see ``docs/matching.md``.  ``seed`` overrides the market's lottery seed.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    with gc_paused():
        try:
            compiled = compile_market(market, seed=seed)
        except InvalidMarket as error:
            return make_result(mode, "invalid", problems=error.problems)
        return solve_market(compiled, mode)
