"""Every kind of malformed input answers ``invalid``, naming each problem and where it is."""

import copy
import math

import pytest

from talent_exchange.matching import solve

BASE = {
    "participants": [
        {"id": "p1", "organization": "A", "preferences": ["s1", "s2"]},
        {"id": "p2", "organization": "B", "preferences": ["s1"]},
    ],
    "slots": [
        {"id": "s1", "organization": "B", "capacity": 1, "preferences": ["p1"]},
        {"id": "s2", "organization": "C", "capacity": 2},
    ],
}


def changed(edit):
    market = copy.deepcopy(BASE)
    edit(market)
    return market


def put(path, value):
    """An edit setting market[path...] = value."""

    def edit(market):
        target = market
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def delete(path):
    def edit(market):
        target = market
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


CASES = [
    # (name, edit, path of the problem, words in its message)
    ("participants missing", delete(["participants"]), "participants", "required"),
    ("slots not a list", put(["slots"], {"s1": 1}), "slots", "must be a list"),
    ("participant not an object", put(["participants", 1], "p2"), "participants[1]", "object"),
    ("participant without id", delete(["participants", 0, "id"]), "participants[0].id", "string"),
    ("empty id", put(["participants", 0, "id"], ""), "participants[0].id", "non-empty"),
    ("numeric id", put(["slots", 0, "id"], 7), "slots[0].id", "string"),
    (
        "duplicate participant",
        put(["participants", 1, "id"], "p1"),
        "participants[1].id",
        "duplicate id 'p1'",
    ),
    ("duplicate slot", put(["slots", 1, "id"], "s1"), "slots[1].id", "duplicate id 's1'"),
    (
        "organization missing",
        delete(["slots", 1, "organization"]),
        "slots[1].organization",
        "string",
    ),
    (
        "preferences missing",
        delete(["participants", 1, "preferences"]),
        "participants[1].preferences",
        "required",
    ),
    (
        "preferences not a list",
        put(["participants", 1, "preferences"], "s1"),
        "participants[1].preferences",
        "list",
    ),
    (
        "unknown slot",
        put(["participants", 0, "preferences"], ["s1", "s9"]),
        "participants[0].preferences[1]",
        "unknown slot 's9'",
    ),
    (
        "slot id not a string",
        put(["participants", 0, "preferences"], ["s1", 2]),
        "participants[0].preferences[1]",
        "string",
    ),
    (
        "unhashable preference",
        put(["participants", 0, "preferences"], [["s1"]]),
        "participants[0].preferences[0]",
        "string",
    ),
    (
        "slot ranked twice",
        put(["participants", 0, "preferences"], ["s1", "s2", "s1"]),
        "participants[0].preferences[2]",
        "ranked twice",
    ),
    (
        "unknown participant",
        put(["slots", 0, "preferences"], ["p1", "p7"]),
        "slots[0].preferences[1]",
        "unknown participant 'p7'",
    ),
    (
        "participant ranked twice",
        put(["slots", 0, "preferences"], ["p1", "p1"]),
        "slots[0].preferences[1]",
        "ranked twice",
    ),
    (
        "slot preferences not a list",
        put(["slots", 0, "preferences"], "p1"),
        "slots[0].preferences",
        "list",
    ),
    ("negative capacity", put(["slots", 0, "capacity"], -1), "slots[0].capacity", "negative"),
    (
        "fractional capacity",
        put(["slots", 0, "capacity"], 1.5),
        "slots[0].capacity",
        "whole number",
    ),
    ("capacity as text", put(["slots", 0, "capacity"], "2"), "slots[0].capacity", "whole number"),
    ("capacity true", put(["slots", 0, "capacity"], True), "slots[0].capacity", "whole number"),
    ("capacity missing", delete(["slots", 1, "capacity"]), "slots[1].capacity", "whole number"),
    ("weights not a list", put(["weights"], {}), "weights", "list"),
    ("weight not an object", put(["weights"], [3]), "weights[0]", "object"),
    (
        "weight unknown participant",
        put(["weights"], [{"participant": "px", "slot": "s1", "weight": 1}]),
        "weights[0].participant",
        "unknown participant",
    ),
    (
        "weight unknown slot",
        put(["weights"], [{"participant": "p1", "slot": "sx", "weight": 1}]),
        "weights[0].slot",
        "unknown slot",
    ),
    (
        "weight as text",
        put(["weights"], [{"participant": "p1", "slot": "s1", "weight": "3"}]),
        "weights[0].weight",
        "finite number",
    ),
    (
        "weight NaN",
        put(["weights"], [{"participant": "p1", "slot": "s1", "weight": math.nan}]),
        "weights[0].weight",
        "finite number",
    ),
    (
        "weight infinite",
        put(["weights"], [{"participant": "p1", "slot": "s1", "weight": math.inf}]),
        "weights[0].weight",
        "finite number",
    ),
    (
        "weight missing",
        put(["weights"], [{"participant": "p1", "slot": "s1"}]),
        "weights[0].weight",
        "finite number",
    ),
    (
        "duplicate weight",
        put(
            ["weights"],
            [
                {"participant": "p1", "slot": "s1", "weight": 1},
                {"participant": "p1", "slot": "s1", "weight": 2},
            ],
        ),
        "weights[1]",
        "duplicate pair",
    ),
    (
        "forbidden unknown slot",
        put(["forbidden"], [{"participant": "p1", "slot": "s5"}]),
        "forbidden[0].slot",
        "unknown slot",
    ),
    (
        "duplicate forbidden",
        put(["forbidden"], [{"participant": "p1", "slot": "s2"}] * 2),
        "forbidden[1]",
        "duplicate pair",
    ),
    (
        "lock unknown participant",
        put(["locked"], [{"participant": "p5", "slot": "s1"}]),
        "locked[0].participant",
        "unknown participant",
    ),
    (
        "duplicate lock",
        put(["locked"], [{"participant": "p1", "slot": "s1"}] * 2),
        "locked[1]",
        "duplicate pair",
    ),
    (
        "lock the participant did not rank",
        put(["locked"], [{"participant": "p2", "slot": "s2"}]),
        "locked[0]",
        "'p2' does not rank 's2'",
    ),
    (
        "lock the slot did not rank",
        put(["locked"], [{"participant": "p2", "slot": "s1"}]),
        "locked[0]",
        "'s1' does not rank 'p2'",
    ),
    (
        "lock on a forbidden pair",
        lambda m: m.update(
            forbidden=[{"participant": "p1", "slot": "s2"}],
            locked=[{"participant": "p1", "slot": "s2"}],
        ),
        "locked[0]",
        "forbidden",
    ),
    (
        "lock in the home organization",
        lambda m: (
            m["slots"][1].update(organization="A"),
            m.update(locked=[{"participant": "p1", "slot": "s2"}]),
        ),
        "locked[0]",
        "organization 'A'",
    ),
    ("rules not an object", put(["rules"], [1]), "rules", "object"),
    (
        "unknown rule",
        put(["rules"], {"balance_tolerence": 1}),
        "rules.balance_tolerence",
        "unknown rule",
    ),
    (
        "negative tolerance",
        put(["rules"], {"balance_tolerance": -1}),
        "rules.balance_tolerance",
        ">= 0",
    ),
    (
        "fractional tolerance",
        put(["rules"], {"balance_tolerance": 0.5}),
        "rules.balance_tolerance",
        "whole number",
    ),
    (
        "tolerance as text",
        put(["rules"], {"balance_tolerance": "1"}),
        "rules.balance_tolerance",
        "whole number",
    ),
    (
        "exclusion as text",
        put(["rules"], {"exclude_home_organization": "yes"}),
        "rules.exclude_home_organization",
        "true or false",
    ),
    ("negative seed", put(["rules"], {"seed": -3}), "rules.seed", ">= 0"),
]


@pytest.mark.parametrize("mode", ["stable", "optimal"])
@pytest.mark.parametrize(("name", "edit", "path", "words"), CASES, ids=[c[0] for c in CASES])
def test_malformed_input_is_invalid(name, edit, path, words, mode):
    result = solve(changed(edit), mode)
    assert result["status"] == "invalid", name
    assert result["assignments"] == [] and result["metrics"] is None
    assert any(p["path"] == path and words in p["message"] for p in result["problems"]), result[
        "problems"
    ]


def test_the_base_market_is_valid():
    assert solve(copy.deepcopy(BASE), "stable")["status"] == "stable"


def test_every_problem_is_listed_at_once():
    def edit(market):
        market["participants"][0]["preferences"] = ["s1", "s9", "s1"]
        market["slots"][0]["capacity"] = -2
        market["slots"][1]["id"] = "s1"
        market["rules"] = {"balance_tolerance": -1, "colour": "blue"}

    problems = solve(changed(edit), "optimal")["problems"]
    assert {p["path"] for p in problems} == {
        "participants[0].preferences[1]",
        "participants[0].preferences[2]",
        "slots[0].capacity",
        "slots[1].id",
        "rules.balance_tolerance",
        "rules.colour",
    }


@pytest.mark.parametrize("value", [None, [], "market", 3])
def test_a_market_that_is_not_an_object_is_invalid(value):
    result = solve(value, "stable")
    assert result["status"] == "invalid"
    assert "JSON object" in result["problems"][0]["message"]


def test_an_unknown_mode_is_a_programming_error():
    with pytest.raises(ValueError, match="mode"):
        solve(copy.deepcopy(BASE), "fastest")
