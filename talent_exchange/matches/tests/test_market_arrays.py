"""The market read into arrays (issue 17) is the market the dict-per-pair builder made: the
same JSON, the same bytes (also once stored as a run's snapshot and read back), for random
small cycles; and its weights are ``pair_weight``'s."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.matches.market import _weights, build_arrays, build_market, pair_weight
from talent_exchange.matches.models import PairConstraint, PairRule, WeightFormula
from talent_exchange.matching import ArrayMarket, solve, solve_arrays
from talent_exchange.matching.jsonio import dumps
from talent_exchange.nominations.models import ConflictOfInterest, NominationStatus
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.models import OpportunityStatus
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.preferences.points import rank_points

from . import legacy_market
from .factories import finished_run, offer

pytestmark = pytest.mark.django_db

formula_weights = st.decimals(min_value=0, max_value=20, places=2, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    wp=formula_weights,
    wh=formula_weights,
    wi=formula_weights,
    n1=st.integers(1, 40),
    r1=st.integers(1, 40),
    n2=st.integers(0, 300),
    r2=st.integers(1, 300),
    score=st.integers(0, 10_000),
)
def test_the_array_weights_are_pair_weight(wp, wh, wi, n1, r1, n2, r2, score):
    r1, r2 = min(r1, n1), min(r2, max(n2, 1))
    formula = WeightFormula(participant_rank_weight=wp, host_rank_weight=wh, interview_weight=wi)
    expected = pair_weight(
        formula, rank_points(r1, n1), rank_points(r2, n2) if n2 else 0.0, score / 100
    )
    got = _weights(
        formula,
        np.array([r1]),
        np.array([n1]),
        np.array([r2 if n2 else 0]),
        np.array([n2]),
        np.array([score]),
    )
    assert got.tolist() == [expected]


@pytest.fixture
def pool(world):
    """Six nominees of three organisations and five opportunities, to rank at random."""
    cycle = world.cycle
    orgs = [world.city_a, world.city_b, world.program.administering_organization]
    nominations = [
        NominationFactory(cycle=cycle, person__organization=orgs[i % 3]) for i in range(6)
    ]
    opportunities = [
        OpportunityFactory(cycle=cycle, host_organization=orgs[j % 3], capacity=1 + j % 2)
        for j in range(5)
    ]
    return world, nominations, opportunities


@st.composite
def cycles(draw):
    """What varies: who is endorsed, which places are approved and how many, both sides'
    rankings, the formula, conflicts, locks and forbids, and a first round's offers."""
    n, o = 6, 5
    return {
        "endorsed": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        "approved": draw(st.lists(st.booleans(), min_size=o, max_size=o)),
        "capacity": draw(st.lists(st.integers(1, 3), min_size=o, max_size=o)),
        "mine": [draw(st.permutations(range(o)))[: draw(st.integers(0, o))] for _ in range(n)],
        "theirs": [draw(st.permutations(range(n)))[: draw(st.integers(0, n))] for _ in range(o)],
        "formula": draw(st.none() | st.tuples(formula_weights, formula_weights, formula_weights)),
        "conflicts": draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 2)))),
        "rules": draw(
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, o - 1), st.booleans()))
        ),
        "offers": draw(
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.integers(0, o - 1),
                    st.sampled_from(["offered", "accepted", "declined", "expired"]),
                ),
                max_size=4,
            )
        ),
        "tolerance": draw(st.none() | st.integers(0, 2)),
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=cycles())
def test_the_array_market_is_the_dict_market(pool, data):
    world, nominations, opportunities = pool
    cycle = world.cycle
    admin = world.users["admin"]
    orgs = [world.city_a, world.city_b, world.program.administering_organization]
    with transaction.atomic():
        for nomination, endorsed in zip(nominations, data["endorsed"], strict=True):
            nomination.status = (
                NominationStatus.ENDORSED if endorsed else NominationStatus.WITHDRAWN
            )
            nomination.save(update_fields=["status"])
        for opp, approved, capacity in zip(
            opportunities, data["approved"], data["capacity"], strict=True
        ):
            opp.status = OpportunityStatus.APPROVED if approved else OpportunityStatus.DRAFT
            opp.capacity = capacity
            opp.save(update_fields=["status", "capacity"])
        ParticipantRanking.objects.bulk_create(
            ParticipantRanking(nomination=nominations[i], opportunity=opportunities[j], rank=r)
            for i, ranked in enumerate(data["mine"])
            for r, j in enumerate(ranked, start=1)
        )
        HostRanking.objects.bulk_create(
            HostRanking(opportunity=opportunities[j], nomination=nominations[i], rank=r)
            for j, ranked in enumerate(data["theirs"])
            for r, i in enumerate(ranked, start=1)
        )
        if data["formula"]:
            wp, wh, wi = data["formula"]
            WeightFormula.objects.create(
                cycle=cycle, participant_rank_weight=wp, host_rank_weight=wh, interview_weight=wi
            )
        for i, k in set(data["conflicts"]):
            ConflictOfInterest.objects.create(
                nomination=nominations[i], organization=orgs[k], reason="x"
            )
        seen = set()
        for i, j, lock in data["rules"]:
            if (i, j) not in seen:
                seen.add((i, j))
                PairConstraint.objects.create(
                    cycle=cycle,
                    nomination=nominations[i],
                    opportunity=opportunities[j],
                    rule=PairRule.LOCK if lock else PairRule.FORBID,
                    created_by=admin,
                )
        rounds = [1]
        if data["offers"]:
            first = finished_run(cycle, admin, result={})
            first.published_at = first.created_at
            first.save()
            for i, j, status in {i: (i, j, s) for i, j, s in data["offers"]}.values():
                offer(first, nominations[i], opportunities[j], status=status)
            rounds.append(2)
        for round_number in rounds:
            arguments = {"round_number": round_number, "balance_tolerance": data["tolerance"]}
            old = legacy_market.build_market(cycle, **arguments)
            new = build_market(cycle, **arguments)
            assert new == old
            assert dumps(new) == dumps(old)
            arrays = build_arrays(cycle, **arguments)
            assert b"".join(arrays.json_chunks(chunk=2)) == dumps(old)
            # ...and so is the snapshot a run stores (the arrays, compressed) and reads again.
            stored = ArrayMarket.from_npz(arrays.to_npz())
            assert b"".join(stored.json_chunks(chunk=2)) == dumps(old)
            for mode in ("stable", "optimal"):
                assert dumps(solve_arrays(arrays, mode)) == dumps(solve(old, mode))
                assert dumps(solve_arrays(stored, mode)) == dumps(solve(old, mode))
        transaction.set_rollback(True)


def test_decimal_rounding_ties_go_to_even():
    formula = WeightFormula(
        participant_rank_weight=Decimal("0.01"),
        host_rank_weight=Decimal("0"),
        interview_weight=Decimal("0"),
    )
    # 0.01 × 12.5 = 0.125 → 0.12 (half to even), 0.01 × 37.5 = 0.375 → 0.38.
    got = _weights(
        formula,
        np.array([8, 6]),
        np.array([8, 8]),
        np.array([0, 0]),
        np.array([0, 0]),
        np.array([0, 0]),
    )
    assert got.tolist() == [0.12, 0.38]


@pytest.mark.parametrize("n", [5, 50])
def test_the_market_costs_the_same_queries_for_5_or_50_participants(
    world, n, django_assert_num_queries
):
    cycle = world.cycle
    places = OpportunityFactory.create_batch(
        3, cycle=cycle, host_organization=world.city_b, status=OpportunityStatus.APPROVED
    )
    nominations = NominationFactory.create_batch(
        n, cycle=cycle, person__organization=world.city_a, status=NominationStatus.ENDORSED
    )
    ParticipantRanking.objects.bulk_create(
        ParticipantRanking(nomination=nomination, opportunity=opp, rank=r)
        for nomination in nominations
        for r, opp in enumerate(places, start=1)
    )
    HostRanking.objects.bulk_create(
        HostRanking(opportunity=places[0], nomination=nomination, rank=r)
        for r, nomination in enumerate(nominations, start=1)
    )
    build_arrays(cycle)  # the program's rule is read once per cycle object
    with django_assert_num_queries(8):
        market = build_arrays(cycle)
    assert market.n_participants == n and len(market.participant_prefs) == 3 * n
