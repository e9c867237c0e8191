"""Optimal mode: maximum total weight under the program's rules, as a min-cost circulation.

The network (one unit of flow = one placement):

    org(p) --1--> participant p --1, cost -w(p,s)--> slot s --capacity--> org(s)

Flow leaves an organization through each participant it sends and comes back through each
slot it fills, so for organization o, ``received(o) - sent(o)`` is the net flow into o's node.
The balance rule ``|received - sent| <= t`` becomes an arc between o and one extra node X with
lower bound ``-t`` and upper bound ``t`` (shifted to ``[0, 2t]`` with node supplies).  Locked
pairs are placed beforehand: they use capacity and shift each organization's bounds by the
balance they already create.  Without a tolerance, all organizations share one hub node.

Every node-arc incidence matrix is totally unimodular, so the optimum of this network is
integral and OR-Tools' ``SimpleMinCostFlow`` (cost-scaling push-relabel, exact integer
arithmetic) proves it optimal.  Weights are scaled to integers by the smallest power of ten
that makes them all whole numbers, so the optimum is exact for the decimals in the input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from .locks import Infeasible, check_locks, pair_names, residual
from .market import Market

MAX_DECIMALS = 9
SOLVER_NAME = "OR-Tools SimpleMinCostFlow (cost-scaling push-relabel)"


@dataclass
class OptimalResult:
    assigned: np.ndarray  # pair index per participant, -1 when unmatched
    solver: dict[str, Any]


def _ortools_version() -> str:
    try:
        import ortools

        return str(ortools.__version__)
    except (ImportError, AttributeError):  # pragma: no cover - the version is informative only
        return "unknown"


def weight_scale(weights: np.ndarray, cost_limit: float) -> tuple[int, bool]:
    """Smallest number of decimals k <= 9 with every weight * 10**k whole; (k, exact).

    When no such k exists (weights computed in floating point, like 1/3), take the largest k
    whose scaled costs stay within ``cost_limit`` — negative for astronomically large
    weights — and say that the weights were rounded.
    """
    largest = float(np.abs(weights).max(initial=0.0))
    if largest == 0.0:
        return 0, True
    k_max = min(MAX_DECIMALS, math.floor(math.log10(cost_limit / largest)))
    for k in range(k_max + 1):
        scaled = weights * 10.0**k
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-12 * np.maximum(1.0, np.abs(scaled))):
            return k, True
    return k_max, False


def _network(
    market: Market,
    capacity: np.ndarray,
    is_locked: np.ndarray,
    pair_cost: np.ndarray,
    elastic: bool,
) -> tuple[min_cost_flow.SimpleMinCostFlow, int, np.ndarray, tuple[int, int] | None]:
    """Build the circulation; return (solver, first pair arc, pairs on arcs, elastic arcs)."""
    n_orgs = len(market.organization_ids)
    n_p, n_s = market.n_participants, market.n_slots
    tolerance = market.balance_tolerance
    org_nodes = n_orgs if tolerance is not None else 1
    x_node = org_nodes  # the balance node (unused without a tolerance)
    p_base = org_nodes + 1
    s_base = p_base + n_p

    # Pairs that can still be chosen: participant not locked, slot with room left.
    usable = ~is_locked[market.pair_participant] & (capacity[market.pair_slot] > 0)
    pairs = np.flatnonzero(usable)
    participants = np.unique(market.pair_participant[pairs])
    slots = np.unique(market.pair_slot[pairs])
    p_org = (
        market.participant_org[participants]
        if tolerance is not None
        else np.zeros(len(participants))
    )
    s_org = market.slot_org[slots] if tolerance is not None else np.zeros(len(slots))

    tails = [p_org, p_base + market.pair_participant[pairs], s_base + slots]
    heads = [p_base + participants, s_base + market.pair_slot[pairs], s_org]
    caps = [np.ones(len(participants)), np.ones(len(pairs)), capacity[slots]]
    costs = [np.zeros(len(participants)), pair_cost[pairs], np.zeros(len(slots))]
    supplies = np.zeros(s_base + n_s, dtype=np.int64)
    elastic_arcs = None
    if tolerance is not None:
        locks = market.locked_pairs
        already = np.bincount(
            market.slot_org[market.pair_slot[locks]], minlength=n_orgs
        ) - np.bincount(market.participant_org[market.pair_participant[locks]], minlength=n_orgs)
        orgs = np.arange(n_orgs)
        tails.append(orgs)
        heads.append(np.full(n_orgs, x_node))
        caps.append(np.full(n_orgs, 2 * tolerance))
        costs.append(np.zeros(n_orgs))
        supplies[:n_orgs] = tolerance + already
        supplies[x_node] = -n_orgs * tolerance - int(already.sum())
        if elastic:
            # Unbounded arcs both ways at a unit cost: the cheapest flow breaks the balance
            # rule as little as possible, which shows who makes it impossible.
            big = n_p + n_s + 1
            tails += [orgs, np.full(n_orgs, x_node)]
            heads += [np.full(n_orgs, x_node), orgs]
            caps += [np.full(n_orgs, big), np.full(n_orgs, big)]
            costs += [np.ones(n_orgs), np.ones(n_orgs)]
            first = sum(len(t) for t in tails[:-2])
            elastic_arcs = (first, first + n_orgs)

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    solver.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    return solver, len(participants), pairs, elastic_arcs


def maximum_weight(market: Market) -> OptimalResult:
    """Maximum-weight assignment under capacities, locks and the balance rule."""
    check_locks(market)
    assigned, capacity, is_locked = residual(market)
    n_nodes = market.n_participants + market.n_slots + len(market.organization_ids) + 2
    cost_limit = float(np.iinfo(np.int64).max) / (4.0 * (n_nodes + 1))
    decimals, exact = weight_scale(market.weight, cost_limit)
    while True:
        pair_cost = -np.round(market.weight * 10.0**decimals).astype(np.int64)
        solver, first_pair_arc, pairs, _ = _network(
            market, capacity, is_locked, pair_cost, elastic=False
        )
        status = solver.solve()
        if status == solver.BAD_COST_RANGE and decimals > -300:
            decimals, exact = decimals - 1, False
            continue
        break
    if status == solver.INFEASIBLE:
        raise Infeasible(_explain_imbalance(market, capacity, is_locked))
    if status != solver.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver stopped with status {status!r}")

    flows = solver.flows(np.arange(first_pair_arc, first_pair_arc + len(pairs), dtype=np.int32))
    chosen = pairs[flows > 0]
    assigned[market.pair_participant[chosen]] = chosen
    info = {
        "name": SOLVER_NAME,
        "version": _ortools_version(),
        "status": "OPTIMAL",
        "proof": (
            "min-cost circulation solved exactly in integers; the network matrix is totally "
            "unimodular, so the optimal flow is an optimal assignment"
        ),
        "weight_decimals": decimals,
        "exact": exact,
    }
    if not exact:
        # Each weight moved by at most half a unit of the last decimal kept.
        info["optimality_gap_bound"] = market.n_participants * 10.0**-decimals
    return OptimalResult(assigned=assigned, solver=info)


def _explain_imbalance(
    market: Market, capacity: np.ndarray, is_locked: np.ndarray
) -> list[dict[str, Any]]:
    """Name the organizations whose balance cannot be met, and the locks that cause it."""
    t = market.balance_tolerance
    if t is None:  # no balance rule, nothing to explain
        return []
    solver, _, _, elastic_arcs = _network(
        market, capacity, is_locked, np.zeros(market.n_pairs, dtype=np.int64), elastic=True
    )
    assert elastic_arcs is not None  # an elastic network has them
    to_x, from_x = elastic_arcs
    status = solver.solve()
    if status != solver.OPTIMAL:  # pragma: no cover - the elastic network is always feasible
        raise RuntimeError(f"the min-cost flow solver stopped with status {status!r}")
    n_orgs = len(market.organization_ids)
    over = solver.flows(np.arange(to_x, to_x + n_orgs, dtype=np.int32))
    under = solver.flows(np.arange(from_x, from_x + n_orgs, dtype=np.int32))
    locks = market.locked_pairs
    lock_p_org = market.participant_org[market.pair_participant[locks]]
    lock_s_org = market.slot_org[market.pair_slot[locks]]
    problems = []
    for o in np.flatnonzero((over > 0) | (under > 0)).tolist():
        name = market.organization_ids[o]
        received = int((lock_s_org == o).sum())
        sent = int((lock_p_org == o).sum())
        closest = t + int(over[o]) if over[o] > 0 else -t - int(under[o])
        mine = locks[(lock_s_org == o) | (lock_p_org == o)]
        problems.append(
            {
                "message": (
                    f"organization {name!r} must keep |received - sent| <= {t}, but its locked "
                    f"pairs make it receive {received} and send {sent}, and even the "
                    "assignment that breaks the balance rule least leaves it at "
                    f"received - sent = {closest}"
                ),
                "organizations": [name],
                "pairs": pair_names(market, mine),
            }
        )
    return problems
