import pytest
from hypothesis import given, settings

from talent_exchange.matching import solve

from . import reference
from .helpers import outcome
from .strategies import crowded_markets, markets


def assert_rules_hold(market: dict, got: dict) -> None:
    exclude_home, t, _ = reference.rules(market)
    orgs = {p["id"]: p["organization"] for p in market["participants"]}
    slot_org = {s["id"]: s["organization"] for s in market["slots"]}
    capacity = {s["id"]: s["capacity"] for s in market["slots"]}
    forbidden = {(f["participant"], f["slot"]) for f in market.get("forbidden") or []}
    acceptable = set(reference.acceptable_pairs(market))
    for pid, sid in got.items():
        if sid is None:
            continue
        assert (pid, sid) in acceptable
        assert (pid, sid) not in forbidden
        assert not (exclude_home and orgs[pid] == slot_org[sid])
    for sid, cap in capacity.items():
        assert sum(v == sid for v in got.values()) <= cap
    for lock in market.get("locked") or []:
        assert got[lock["participant"]] == lock["slot"]
    if t is not None:
        assert all(abs(v) <= t for v in reference.balance(market, got).values())


def check_optimal_mode(market: dict) -> None:
    result = solve(market, "optimal")
    feasible = [a for a in reference.all_assignments(market) if reference.is_balanced(market, a)]
    if reference.lock_conflict(market) or not feasible:
        assert result["status"] == "infeasible"
        assert result["problems"]
        assert all(p["organizations"] or p["pairs"] for p in result["problems"])
        return
    assert result["status"] == "optimal"
    got = outcome(market, result)
    assert_rules_hold(market, got)
    best = max(reference.total_weight(market, a) for a in feasible)
    assert reference.total_weight(market, got) == pytest.approx(best, abs=1e-9)
    assert result["metrics"]["total_weight"] == pytest.approx(best, abs=1e-9)
    assert result["solver"]["exact"] is True


@settings(max_examples=300, deadline=None)
@given(crowded_markets())
def test_optimal_mode_finds_the_true_optimum_and_keeps_every_rule(market):
    check_optimal_mode(market)


@settings(max_examples=100, deadline=None)
@given(markets())
def test_optimal_mode_handles_any_small_market(market):
    check_optimal_mode(market)


def test_a_strict_exchange_trades_weight_for_reciprocity():
    market = {
        "participants": [
            {"id": "a1", "organization": "A", "preferences": ["sb"]},
            {"id": "a2", "organization": "A", "preferences": ["sc"]},
            {"id": "b2", "organization": "B", "preferences": ["sa"]},
        ],
        "slots": [
            {"id": "sa", "organization": "A", "capacity": 1},
            {"id": "sb", "organization": "B", "capacity": 1},
            {"id": "sc", "organization": "C", "capacity": 1},
        ],
        "weights": [
            {"participant": "a1", "slot": "sb", "weight": 1},
            {"participant": "a2", "slot": "sc", "weight": 10},
            {"participant": "b2", "slot": "sa", "weight": 1},
        ],
        "rules": {"balance_tolerance": 0},
    }
    result = solve(market, "optimal")
    assert result["status"] == "optimal"
    assert outcome(market, result) == {"a1": "sb", "a2": None, "b2": "sa"}
    assert result["metrics"]["total_weight"] == 2
    assert result["unmatched"][0]["code"] == "balance_rule"
    loose = solve({**market, "rules": {"balance_tolerance": None}}, "optimal")
    assert loose["metrics"]["total_weight"] == 12


def test_weights_with_decimals_are_exact():
    market = {
        "participants": [
            {"id": "p1", "organization": "A", "preferences": ["s1", "s2"]},
            {"id": "p2", "organization": "A", "preferences": ["s1", "s2"]},
        ],
        "slots": [
            {"id": "s1", "organization": "B", "capacity": 1},
            {"id": "s2", "organization": "B", "capacity": 1},
        ],
        "weights": [
            {"participant": "p1", "slot": "s1", "weight": 0.1},
            {"participant": "p1", "slot": "s2", "weight": 0.0},
            {"participant": "p2", "slot": "s1", "weight": 0.25},
            {"participant": "p2", "slot": "s2", "weight": 0.2},
        ],
    }
    result = solve(market, "optimal")
    # 0.1 + 0.2 beats 0.0 + 0.25, and the total is 0.3 (in floating point, 0.1 + 0.2 is not).
    assert outcome(market, result) == {"p1": "s1", "p2": "s2"}
    assert result["metrics"]["total_weight"] == 0.3
    assert result["solver"]["weight_decimals"] == 2


def test_weights_beyond_nine_decimals_are_rounded_and_say_so():
    market = {
        "participants": [{"id": "p1", "organization": "A", "preferences": ["s1"]}],
        "slots": [{"id": "s1", "organization": "B", "capacity": 1}],
        "weights": [{"participant": "p1", "slot": "s1", "weight": 1 / 3}],
    }
    result = solve(market, "optimal")
    assert result["status"] == "optimal"
    assert result["solver"]["exact"] is False
    assert result["solver"]["optimality_gap_bound"] > 0


def test_a_negative_weight_pair_is_used_only_when_a_lock_needs_it():
    market = {
        "participants": [
            {"id": "a", "organization": "A", "preferences": ["sb"]},
            {"id": "b", "organization": "B", "preferences": ["sa"]},
        ],
        "slots": [
            {"id": "sa", "organization": "A", "capacity": 1},
            {"id": "sb", "organization": "B", "capacity": 1},
        ],
        "weights": [
            {"participant": "a", "slot": "sb", "weight": 5},
            {"participant": "b", "slot": "sa", "weight": -2},
        ],
        "locked": [{"participant": "a", "slot": "sb"}],
        "rules": {"balance_tolerance": 0},
    }
    result = solve(market, "optimal")
    assert outcome(market, result) == {"a": "sb", "b": "sa"}
    assert result["metrics"]["total_weight"] == 3
    free = solve({**market, "rules": {"balance_tolerance": None}}, "optimal")
    assert outcome(market, free) == {"a": "sb", "b": None}


def test_astronomically_large_weights_are_scaled_down_and_say_so():
    market = {
        "participants": [
            {"id": "p1", "organization": "A", "preferences": ["s1", "s2"]},
            {"id": "p2", "organization": "A", "preferences": ["s1"]},
        ],
        "slots": [
            {"id": "s1", "organization": "B", "capacity": 1},
            {"id": "s2", "organization": "B", "capacity": 1},
        ],
        "weights": [
            {"participant": "p1", "slot": "s1", "weight": 3e300},
            {"participant": "p1", "slot": "s2", "weight": 2e300},
            {"participant": "p2", "slot": "s1", "weight": 2e300},
        ],
    }
    result = solve(market, "optimal")
    assert result["status"] == "optimal"
    assert outcome(market, result) == {"p1": "s2", "p2": "s1"}
    assert result["solver"]["exact"] is False
    assert result["solver"]["weight_decimals"] < 0
    assert result["metrics"]["total_weight"] == pytest.approx(4e300)
