"""The market adapter: the cycle's rows as the engine's market JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest

from talent_exchange.matches.market import build_market, pair_weight
from talent_exchange.matches.models import PairConstraint, PairRule, WeightFormula
from talent_exchange.matching import solve
from talent_exchange.matching.jsonio import dumps
from talent_exchange.nominations.models import ConflictOfInterest, NominationStatus
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.models import OpportunityStatus
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.points import rank_points
from talent_exchange.preferences.tests.factories import rank

from .factories import finished_run, offer, small_market

pytestmark = pytest.mark.django_db


def ids(rows):
    return [row["id"] for row in rows]


def test_participants_slots_and_preferences(world):
    m = small_market(world)
    NominationFactory(cycle=m.cycle, status=NominationStatus.AWAITING_ENDORSEMENT)
    OpportunityFactory(cycle=m.cycle, status=OpportunityStatus.SUBMITTED)
    market = build_market(m.cycle, balance_tolerance=1)
    assert ids(market["participants"]) == [f"n{m.ada.pk}", f"n{m.bo.pk}", f"n{m.cy.pk}"]
    ada = market["participants"][0]
    assert ada == {
        "id": f"n{m.ada.pk}",
        "organization": str(world.city_a.pk),
        "preferences": [f"o{m.at_b.pk}", f"o{m.at_county.pk}"],
    }
    assert ids(market["slots"]) == [f"o{m.at_a.pk}", f"o{m.at_b.pk}", f"o{m.at_county.pk}"]
    at_a = market["slots"][0]
    assert at_a["preferences"] == [f"n{m.cy.pk}", f"n{m.bo.pk}"]
    assert at_a["organization"] == str(world.city_a.pk) and at_a["capacity"] == 1
    assert "preferences" not in market["slots"][1]  # the host ranked nobody: a lottery
    assert market["rules"] == {"exclude_home_organization": True, "balance_tolerance": 1}
    assert market["locked"] == [] and market["forbidden"] == []


def test_weights_follow_the_formula(world):
    m = small_market(world)
    formula = WeightFormula.objects.create(
        cycle=m.cycle,
        participant_rank_weight=Decimal("2"),
        host_rank_weight=Decimal("1"),
        interview_weight=Decimal("0.5"),
    )
    market = build_market(m.cycle)
    weights = {(w["participant"], w["slot"]): w["weight"] for w in market["weights"]}
    # Bo ranked A first of 2 (100 points); A's host ranked Bo 2nd of 2 (50 points); no score.
    assert weights[(f"n{m.bo.pk}", f"o{m.at_a.pk}")] == 2 * 100 + 50
    # Ada ranked the county 2nd of 2 (50 points); the county did not rank anybody.
    assert weights[(f"n{m.ada.pk}", f"o{m.at_county.pk}")] == 2 * 50
    assert pair_weight(formula, rank_points(1, 3), 0, 80) == round(2 * 100 + 0.5 * 80, 2)
    assert len(weights) == 6


def test_a_cycle_without_a_formula_uses_the_defaults_and_writes_nothing(world):
    m = small_market(world)
    market = build_market(m.cycle)
    assert not WeightFormula.objects.filter(cycle=m.cycle).exists()
    defaults = WeightFormula(cycle=m.cycle)
    assert defaults.participant_rank_weight == Decimal("1.00")
    assert market == build_market(m.cycle)


def test_conflicts_and_constraints(world):
    m = small_market(world)
    county = world.program.administering_organization
    second_at_county = OpportunityFactory(cycle=m.cycle, host_organization=county)
    ConflictOfInterest.objects.create(nomination=m.ada, organization=county, reason="Spouse")
    admin = world.users["admin"]
    PairConstraint.objects.create(
        cycle=m.cycle, nomination=m.bo, opportunity=m.at_a, rule=PairRule.LOCK, created_by=admin
    )
    PairConstraint.objects.create(
        cycle=m.cycle,
        nomination=m.cy,
        opportunity=m.at_county,
        rule=PairRule.FORBID,
        created_by=admin,
    )
    market = build_market(m.cycle)
    assert market["forbidden"] == [
        {"participant": f"n{m.ada.pk}", "slot": f"o{m.at_county.pk}"},
        {"participant": f"n{m.ada.pk}", "slot": f"o{second_at_county.pk}"},
        {"participant": f"n{m.cy.pk}", "slot": f"o{m.at_county.pk}"},
    ]
    assert market["locked"] == [{"participant": f"n{m.bo.pk}", "slot": f"o{m.at_a.pk}"}]
    result = solve(market, "stable")
    pairs = {(a["participant"], a["slot"]) for a in result["assignments"]}
    assert (f"n{m.bo.pk}", f"o{m.at_a.pk}") in pairs
    assert (f"n{m.ada.pk}", f"o{m.at_county.pk}") not in pairs


def test_same_rows_same_bytes_and_a_fixed_number_of_queries(world, django_assert_num_queries):
    m = small_market(world)
    first = dumps(build_market(m.cycle))
    with django_assert_num_queries(8):
        build_market(m.cycle)
    for _ in range(5):  # a bigger market costs the same queries
        n = NominationFactory(cycle=m.cycle)
        rank(n, m.at_a, m.at_b)
    with django_assert_num_queries(8):
        bigger = build_market(m.cycle)
    assert len(bigger["participants"]) == 8
    assert dumps(build_market(m.cycle)) == dumps(bigger)
    assert first != dumps(bigger)


def test_a_second_round_matches_what_is_left(world):
    m = small_market(world)
    admin = world.users["admin"]
    round1 = finished_run(m.cycle, admin, result={})
    round1.published_at = round1.created_at
    round1.save()
    offer(round1, m.bo, m.at_a, status="accepted")
    offer(round1, m.ada, m.at_b, status="declined", decline_reason="Too far")
    market = build_market(m.cycle, round_number=2)
    # Bo accepted: out of the market, and A's only place is gone with him.
    assert ids(market["participants"]) == [f"n{m.ada.pk}", f"n{m.cy.pk}"]
    assert ids(market["slots"]) == [f"o{m.at_b.pk}", f"o{m.at_county.pk}"]
    assert market["participants"][1]["preferences"] == [f"o{m.at_county.pk}"]
    # Ada declined B: never offered again.
    assert {"participant": f"n{m.ada.pk}", "slot": f"o{m.at_b.pk}"} in market["forbidden"]
    assert solve(market, "stable")["status"] == "stable"


def test_reproducing_a_snapshot_gives_the_same_bytes(world):
    m = small_market(world)
    market = build_market(m.cycle, balance_tolerance=1)
    for mode in ("stable", "optimal"):
        assert dumps(solve(market, mode)) == dumps(solve(dumps(market) and market, mode))


def test_explanations_name_the_opportunities(world):
    from talent_exchange.matches import presenters
    from talent_exchange.matches.models import MatchRun

    m = small_market(world)
    run = MatchRun(market=build_market(m.cycle), result={})
    names = presenters.names_for([run])
    text = f"1st choice; o{m.at_a.pk} ranks them 2nd; o999 is full; n{m.bo.pk} too"
    assert presenters.humanize(text, names) == (
        f"1st choice; “Budget at A” ranks them 2nd; o999 is full; {m.bo.person} too"
    )


@pytest.mark.parametrize(
    ("reciprocity", "tolerance", "expected"),
    [("none", 1, None), ("strict", 3, 0), ("balanced", 2, 2)],
)
def test_the_default_tolerance_is_the_programs_rule(world, reciprocity, tolerance, expected):
    world.program.reciprocity = reciprocity
    world.program.balance_tolerance = tolerance
    world.program.save()
    m = small_market(world)
    assert build_market(m.cycle)["rules"]["balance_tolerance"] == expected
    assert build_market(m.cycle, balance_tolerance=None)["rules"]["balance_tolerance"] is None
