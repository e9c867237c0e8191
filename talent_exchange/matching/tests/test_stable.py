from contextlib import contextmanager

import numpy as np
from hypothesis import given, settings

from talent_exchange.matching import solve, stable

from . import reference
from .helpers import outcome, preference_position
from .strategies import crowded_markets, markets


@contextmanager
def sequential_below(threshold: int):
    """Force deferred acceptance to run in rounds (0) or one proposal at a time (huge)."""
    saved = stable.SEQUENTIAL_BELOW
    stable.SEQUENTIAL_BELOW = threshold
    try:
        yield
    finally:
        stable.SEQUENTIAL_BELOW = saved


def check_stable_mode(market: dict) -> None:
    with sequential_below(10**9):
        one_by_one = solve(market, "stable")
    with sequential_below(0):
        result = solve(market, "stable")
    assert result == one_by_one
    if reference.lock_conflict(market):
        assert result["status"] == "infeasible"
        assert result["problems"]
        return
    assert result["status"] == "stable"
    got = outcome(market, result)
    stable = [
        a
        for a in reference.all_assignments(market)
        if not reference.blocking_pairs(market, a, locks_fixed=True)
    ]
    assert got in stable
    for pid, sid in got.items():
        mine = preference_position(market, pid, sid)
        assert all(mine <= preference_position(market, pid, other[pid]) for other in stable)


@settings(max_examples=300, deadline=None)
@given(crowded_markets())
def test_stable_mode_returns_the_participant_optimal_stable_matching(market):
    check_stable_mode(market)


@settings(max_examples=100, deadline=None)
@given(markets())
def test_stable_mode_handles_any_small_market(market):
    check_stable_mode(market)


@settings(max_examples=100, deadline=None)
@given(crowded_markets(locks=False))
def test_without_locks_stable_mode_has_no_blocking_pair(market):
    result = solve(market, "stable")
    assert result["metrics"]["blocking_pairs"] == 0
    assert reference.blocking_pairs(market, outcome(market, result)) == []


def test_a_slot_without_preferences_ranks_by_the_seeded_lottery():
    market = {
        "participants": [
            {"id": f"p{i}", "organization": "A", "preferences": ["s"]} for i in range(6)
        ],
        "slots": [{"id": "s", "organization": "B", "capacity": 1}],
    }
    winners = {
        seed: solve(market, "stable", seed=seed)["assignments"][0]["participant"]
        for seed in range(12)
    }
    assert len(set(winners.values())) > 1  # the seed matters
    for seed, winner in winners.items():
        assert winner == reference.slot_order({**market, "rules": {"seed": seed}})["s"][0]
        again = solve(market, "stable", seed=seed)
        assert again["seed"] == seed
        assert again["assignments"][0]["participant"] == winner


def test_the_lottery_does_not_depend_on_the_order_of_the_input():
    participants = [{"id": f"p{i}", "organization": "A", "preferences": ["s"]} for i in range(8)]
    slots = [{"id": "s", "organization": "B", "capacity": 2}]
    forward = solve({"participants": participants, "slots": slots}, "stable")
    backward = solve({"participants": participants[::-1], "slots": slots}, "stable")
    assert {a["participant"] for a in forward["assignments"]} == {
        a["participant"] for a in backward["assignments"]
    }


def test_locked_pairs_are_placed_first_and_use_capacity():
    market = {
        "participants": [
            {"id": "ann", "organization": "A", "preferences": ["s1"]},
            {"id": "bob", "organization": "A", "preferences": ["s1", "s2"]},
        ],
        "slots": [
            {"id": "s1", "organization": "B", "capacity": 1, "preferences": ["bob", "ann"]},
            {"id": "s2", "organization": "B", "capacity": 1},
        ],
        "locked": [{"participant": "ann", "slot": "s1"}],
    }
    result = solve(market, "stable")
    assert outcome(market, result) == {"ann": "s1", "bob": "s2"}
    assert result["assignments"][0]["locked"] is True
    # bob and s1 would rather be together: the lock is what keeps them apart, and the
    # metrics say so.
    assert result["metrics"]["blocking_pairs"] == 1
    assert "locked placements" in result["assignments"][1]["reason"]


def test_rounds_and_single_proposals_agree_on_a_larger_market():
    rng = np.random.default_rng(7)
    n_p, n_s = 3000, 1500
    choices = [rng.choice(n_s, size=rng.integers(3, 15), replace=False) for _ in range(n_p)]
    applicants: list[list[int]] = [[] for _ in range(n_s)]
    for i, slots in enumerate(choices):
        for j in slots:
            applicants[j].append(i)
    market = {
        "participants": [
            {"id": f"p{i}", "organization": f"o{i % 20}", "preferences": [f"s{j}" for j in c]}
            for i, c in enumerate(choices)
        ],
        "slots": [
            {"id": f"s{j}", "organization": f"o{j % 17}", "capacity": int(rng.integers(0, 4))}
            | ({"preferences": [f"p{i}" for i in rng.permutation(applicants[j])]} if j % 4 else {})
            for j in range(n_s)
        ],
    }
    results = []
    for threshold in (0, 64, 10**9):
        with sequential_below(threshold):
            results.append(solve(market, "stable"))
    assert results[0] == results[1] == results[2]
    assert results[0]["metrics"]["blocking_pairs"] == 0
    assert results[0]["metrics"]["matched"] > 1000
