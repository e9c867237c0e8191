"""Metrics agree with a recount from the definitions, on any assignment, not just ours."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talent_exchange.matching import compile_market, solve
from talent_exchange.matching.metrics import compute_metrics

from . import reference
from .helpers import outcome
from .strategies import crowded_markets


def as_array(market_obj, assignment: dict) -> np.ndarray:
    pair_of = {
        (market_obj.participant_ids[p], market_obj.slot_ids[s]): e
        for e, (p, s) in enumerate(
            zip(market_obj.pair_participant.tolist(), market_obj.pair_slot.tolist(), strict=True)
        )
    }
    return np.array(
        [
            -1 if assignment[pid] is None else pair_of[(pid, assignment[pid])]
            for pid in market_obj.participant_ids
        ],
        dtype=np.int64,
    )


def expected(market: dict, assignment: dict) -> dict:
    prefs = {p["id"]: p["preferences"] for p in market["participants"]}
    slot_prefs = {s["id"]: s.get("preferences") for s in market["slots"]}
    net = reference.balance(market, assignment)
    matched = {pid: sid for pid, sid in assignment.items() if sid is not None}
    return {
        "matched": len(matched),
        "blocking_pairs": len(reference.blocking_pairs(market, assignment)),
        "participant_ranks": Counter(prefs[p].index(s) + 1 for p, s in matched.items()),
        "slot_ranks": Counter(
            slot_prefs[s].index(p) + 1 for p, s in matched.items() if slot_prefs[s]
        ),
        "max_imbalance": max((abs(v) for v in net.values()), default=0),
        "balance": dict(net),
        "total_weight": reference.total_weight(market, assignment),
    }


def check(market: dict, assignment: dict, metrics: dict) -> None:
    want = expected(market, assignment)
    assert metrics["matched"] == want["matched"]
    assert metrics["unmatched"] == len(assignment) - want["matched"]
    assert metrics["blocking_pairs"] == want["blocking_pairs"]
    assert {h["rank"]: h["count"] for h in metrics["participant_rank_histogram"]} == dict(
        want["participant_ranks"]
    )
    assert {h["rank"]: h["count"] for h in metrics["slot_rank_histogram"]} == dict(
        want["slot_ranks"]
    )
    assert metrics["max_imbalance"] == want["max_imbalance"]
    assert {o["organization"]: o["balance"] for o in metrics["organizations"]} == want["balance"]
    for o in metrics["organizations"]:
        assert o["balance"] == o["received"] - o["sent"]
    assert metrics["total_weight"] == pytest.approx(want["total_weight"], abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(crowded_markets(locks=False), st.randoms(use_true_random=False))
def test_metrics_of_any_assignment_match_a_recount(market, random):
    assignments = list(reference.all_assignments(market))
    assignment = random.choice(assignments)
    compiled = compile_market(market)
    metrics = compute_metrics(compiled, as_array(compiled, assignment), weight_decimals=1)
    check(market, assignment, metrics)


@settings(max_examples=150, deadline=None)
@given(crowded_markets(), st.sampled_from(["stable", "optimal"]))
def test_metrics_of_the_engines_results_match_a_recount(market, mode):
    result = solve(market, mode)
    if result["status"] == "infeasible":
        return
    check(market, outcome(market, result), result["metrics"])


def test_blocking_pairs_are_counted_by_the_definition():
    # Two participants, two slots with opposite tastes; the "wrong" assignment blocks twice.
    market = {
        "participants": [
            {"id": "p1", "organization": "A", "preferences": ["s1", "s2"]},
            {"id": "p2", "organization": "A", "preferences": ["s2", "s1"]},
        ],
        "slots": [
            {"id": "s1", "organization": "B", "capacity": 1, "preferences": ["p1", "p2"]},
            {"id": "s2", "organization": "B", "capacity": 1, "preferences": ["p2", "p1"]},
        ],
    }
    compiled = compile_market(market)
    crossed = as_array(compiled, {"p1": "s2", "p2": "s1"})
    metrics = compute_metrics(compiled, crossed, weight_decimals=0)
    assert metrics["blocking_pairs"] == 2
    assert {(b["participant"], b["slot"]) for b in metrics["blocking_pair_examples"]} == {
        ("p1", "s1"),
        ("p2", "s2"),
    }
    straight = as_array(compiled, {"p1": "s1", "p2": "s2"})
    assert compute_metrics(compiled, straight, weight_decimals=0)["blocking_pairs"] == 0
