"""Every pair and every unmatched participant comes with a reason a person can read."""

import pytest
from hypothesis import given, settings

from talent_exchange.matching import solve
from talent_exchange.matching.explain import ordinal

from .strategies import crowded_markets

MARKET = {
    "participants": [
        {"id": "ann", "organization": "A", "preferences": ["s1", "s2"]},
        {"id": "bob", "organization": "A", "preferences": ["s1", "s2"]},
        {"id": "cat", "organization": "C", "preferences": ["s1"]},
        {"id": "dan", "organization": "A", "preferences": []},
        {"id": "eve", "organization": "A", "preferences": ["s3", "s4", "s1"]},
    ],
    "slots": [
        {
            "id": "s1",
            "organization": "B",
            "capacity": 1,
            "preferences": ["ann", "bob", "cat", "eve"],
        },
        {"id": "s2", "organization": "C", "capacity": 1, "preferences": ["bob"]},
        {"id": "s3", "organization": "A", "capacity": 1},
        {"id": "s4", "organization": "C", "capacity": 1, "preferences": ["ann"]},
    ],
    "forbidden": [{"participant": "eve", "slot": "s1"}],
}


def by_participant(result):
    rows = result["assignments"] + result["unmatched"]
    return {row["participant"]: row for row in rows}


def test_stable_mode_reasons():
    rows = by_participant(solve(MARKET, "stable"))
    assert rows["ann"]["reason"] == "1st choice; s1 ranks them 1st of 4."
    assert rows["bob"]["reason"] == (
        "2nd choice; s2 ranks them 1st of 1. "
        "Higher choices: s1 is full with candidates it ranks higher."
    )
    assert rows["cat"]["code"] == "outranked"
    assert rows["cat"]["reason"] == "Acceptable slots: s1 is full with candidates it ranks higher."
    assert rows["dan"] == {
        "participant": "dan",
        "code": "no_preferences",
        "reason": "Ranked no slot.",
        "reasons": [{"code": "no_preferences"}],
    }
    assert rows["eve"]["code"] == "no_acceptable_slot"
    assert rows["eve"]["reason"] == (
        "None of the 3 slots they ranked is acceptable: 1 forbidden, "
        "1 in their own organization, 1 not ranking them."
    )


def test_the_reasons_are_also_structured_for_the_application_to_word():
    rows = by_participant(solve(MARKET, "stable"))
    assert rows["bob"]["reasons"] == [
        {"code": "choice", "rank": 2},
        {"code": "slot_rank", "slot": "s2", "rank": 1, "of": 1},
        {"code": "filled", "slots": ["s1"], "total": 1},
    ]
    assert rows["eve"]["reasons"] == [
        {"code": "none_acceptable", "listed": 3},
        {"code": "forbidden", "count": 1},
        {"code": "home_organization", "count": 1},
        {"code": "not_ranked_by_slot", "count": 1},
    ]


def test_optimal_mode_reasons_name_the_weight():
    rows = by_participant(solve(MARKET, "optimal"))
    assigned = [r for r in rows.values() if "slot" in r]
    assert assigned
    for row in assigned:
        assert f"weight {row['weight']} in the maximum-weight assignment" in row["reason"]


def test_an_unmatched_participant_whose_only_pair_weighs_nothing():
    market = {
        "participants": [{"id": "p", "organization": "A", "preferences": ["s"]}],
        "slots": [{"id": "s", "organization": "B", "capacity": 1}],
        "weights": [{"participant": "p", "slot": "s", "weight": -1}],
    }
    (row,) = solve(market, "optimal")["unmatched"]
    assert row["code"] == "weight"
    assert row["reason"] == "Acceptable slots: s would weigh less."


def test_a_locked_pair_says_so():
    market = {**MARKET, "locked": [{"participant": "bob", "slot": "s2"}]}
    for mode in ("stable", "optimal"):
        row = by_participant(solve(market, mode))["bob"]
        assert row["locked"] is True
        assert row["reason"] == "Locked by the administrator (2nd choice)."


def test_a_lottery_slot_gives_the_lottery_number():
    market = {
        "participants": [{"id": "p", "organization": "A", "preferences": ["s"]}],
        "slots": [{"id": "s", "organization": "B", "capacity": 1}],
    }
    (row,) = solve(market, "stable")["assignments"]
    assert row["slot_rank"] is None
    assert row["reason"] == "1st choice; s has no preferences, lottery number 1."


@settings(max_examples=100, deadline=None)
@given(crowded_markets())
def test_every_participant_appears_once_with_a_reason(market):
    for mode in ("stable", "optimal"):
        result = solve(market, mode)
        if result["status"] == "infeasible":
            continue
        rows = result["assignments"] + result["unmatched"]
        assert sorted(r["participant"] for r in rows) == sorted(
            p["id"] for p in market["participants"]
        )
        assert all(r["reason"].endswith(".") for r in rows)
        order = [p["id"] for p in market["participants"]]
        assert [r["participant"] for r in result["assignments"]] == [
            pid for pid in order if pid in {r["participant"] for r in result["assignments"]}
        ]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_ordinals(n, text):
    assert ordinal(n) == text


def test_a_slot_without_places_says_so():
    market = {
        "participants": [{"id": "p", "organization": "A", "preferences": ["s0", "s1"]}],
        "slots": [
            {"id": "s0", "organization": "B", "capacity": 0},
            {"id": "s1", "organization": "B", "capacity": 0},
        ],
    }
    for mode in ("stable", "optimal"):
        (row,) = solve(market, mode)["unmatched"]
        assert row["code"] == "no_places"
        assert row["reason"] == "Acceptable slots: s0, s1 have no places."
