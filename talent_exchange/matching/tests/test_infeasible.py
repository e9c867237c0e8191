"""Requests no assignment can satisfy answer ``infeasible`` and say who is responsible."""

import pytest

from talent_exchange.matching import solve


def market(**extra):
    base = {
        "participants": [
            {"id": "a1", "organization": "A", "preferences": ["sb", "sc"]},
            {"id": "a2", "organization": "A", "preferences": ["sb", "sc"]},
            {"id": "b1", "organization": "B", "preferences": ["sc"]},
        ],
        "slots": [
            {"id": "sb", "organization": "B", "capacity": 1},
            {"id": "sc", "organization": "C", "capacity": 2},
        ],
    }
    base.update(extra)
    return base


@pytest.mark.parametrize("mode", ["stable", "optimal"])
def test_a_participant_locked_to_two_slots(mode):
    result = solve(
        market(locked=[{"participant": "a1", "slot": "sb"}, {"participant": "a1", "slot": "sc"}]),
        mode,
    )
    assert result["status"] == "infeasible"
    (problem,) = result["problems"]
    assert "'a1' is locked to 2 slots" in problem["message"]
    assert problem["pairs"] == [
        {"participant": "a1", "slot": "sb"},
        {"participant": "a1", "slot": "sc"},
    ]


@pytest.mark.parametrize("mode", ["stable", "optimal"])
def test_more_locks_than_places(mode):
    result = solve(
        market(locked=[{"participant": "a1", "slot": "sb"}, {"participant": "a2", "slot": "sb"}]),
        mode,
    )
    assert result["status"] == "infeasible"
    (problem,) = result["problems"]
    assert "'sb' has capacity 1 but 2 locked pairs" in problem["message"]
    assert {p["participant"] for p in problem["pairs"]} == {"a1", "a2"}


def test_a_strict_exchange_that_locks_make_impossible():
    # A sends a1 to C by a lock; nobody can go to A (no slot there), so A can never receive.
    result = solve(
        market(
            locked=[{"participant": "a1", "slot": "sc"}],
            rules={"balance_tolerance": 0},
        ),
        "optimal",
    )
    assert result["status"] == "infeasible"
    organizations = {o for p in result["problems"] for o in p["organizations"]}
    assert "A" in organizations
    blamed = {(q["participant"], q["slot"]) for p in result["problems"] for q in p["pairs"]}
    assert ("a1", "sc") in blamed
    message = next(p["message"] for p in result["problems"] if p["organizations"] == ["A"])
    assert "receive 0 and send 1" in message


def test_a_tolerance_wide_enough_makes_it_feasible():
    result = solve(
        market(locked=[{"participant": "a1", "slot": "sc"}], rules={"balance_tolerance": 1}),
        "optimal",
    )
    assert result["status"] == "optimal"
    assert result["metrics"]["max_imbalance"] <= 1


def test_stable_mode_reports_the_balance_it_does_not_enforce():
    result = solve(
        market(locked=[{"participant": "a1", "slot": "sc"}], rules={"balance_tolerance": 0}),
        "stable",
    )
    assert result["status"] == "stable"
    assert result["metrics"]["max_imbalance"] > 0


def test_infeasible_results_keep_the_same_shape():
    result = solve(
        market(locked=[{"participant": "a1", "slot": "sc"}], rules={"balance_tolerance": 0}),
        "optimal",
    )
    assert result["assignments"] == [] and result["unmatched"] == []
    assert result["metrics"] is None
    assert result["mode"] == "optimal"
