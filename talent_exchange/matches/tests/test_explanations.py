"""The engine's structured reasons, worded in the reader's language with the opportunities'
names; a result stored before the engine gave structured reasons still reads."""

from __future__ import annotations

import pytest
from django.utils import translation

from talent_exchange.matches import presenters
from talent_exchange.matches.explanations import explain
from talent_exchange.matches.market import build_market
from talent_exchange.matches.models import MatchRun
from talent_exchange.matching import solve

from .factories import small_market


def _name(key: str) -> str:
    return {"o1": "“Budget”", "o2": "“Data”"}.get(key, key)


ASSIGNED = [
    {"code": "choice", "rank": 2},
    {"code": "slot_rank", "slot": "o2", "rank": 1, "of": 3},
    {"code": "weight", "weight": 1234.5},
    {"code": "filled", "slots": ["o1"], "total": 4},
]
UNMATCHED = [
    {"code": "no_places", "slots": ["o1", "o2"], "total": 2},
    {"code": "forbidden", "count": 1},
]


def test_an_assignment_explained_in_english():
    with translation.override("en"):
        assert explain(ASSIGNED, _name) == (
            "2nd choice; “Data” ranks them 1st of 3; weight 1234.5 in the maximum-weight "
            "assignment. Higher choices: “Budget” and 3 more are full with candidates they "
            "rank higher."
        )
        assert explain(UNMATCHED, _name) == (
            "Acceptable opportunities: “Budget”, “Data” have no places. "
            "Not acceptable: 1 forbidden."
        )


def test_an_assignment_explained_in_french():
    with translation.override("fr"):
        assert explain(ASSIGNED, _name) == (
            "2e choix; “Data” les classe au 1er rang sur 3; pondération 1234,5 dans le "
            "jumelage de pondération maximale. Choix mieux classés : “Budget” et 3 autres "
            "sont complètes, avec des candidats mieux classés."
        )
        assert explain(UNMATCHED, _name) == (
            "Occasions acceptables : “Budget”, “Data” n’ont aucune place. "
            "Non acceptables : 1 interdite."
        )
        assert explain([{"code": "locked", "rank": 1}], _name) == (
            "Verrouillée par l’administrateur (1er choix)."
        )
        assert explain([{"code": "no_preferences"}], _name) == "N’a classé aucune occasion."


@pytest.mark.django_db
def test_a_run_reads_in_the_readers_language_and_an_old_result_still_reads(world):
    m = small_market(world)
    market = build_market(m.cycle)
    run = MatchRun(market=market, result=solve(market, "stable"))
    names = presenters.names_for([run])
    (pair, *_) = run.result["assignments"]
    with translation.override("fr"):
        assert "choix" in presenters.named([pair], names)[0]["explanation"]
    with translation.override("en"):
        assert "choice" in presenters.named([pair], names)[0]["explanation"]
    # Stored before the engine gave structured reasons: its English sentence, with names.
    old = {k: v for k, v in pair.items() if k != "reasons"}
    old["reason"] = f"1st choice; {pair['slot']} ranks them 1st of 1."
    (row,) = presenters.named([old], names)
    assert row["explanation"] == f"1st choice; “{row['opportunity'].title}” ranks them 1st of 1."
