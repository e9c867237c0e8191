"""Properties of answering offers, whatever the order: a place is never accepted more often
than the opportunity has places (across rounds), a participant accepts at most one offer,
and every refusal says why."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.matches import services
from talent_exchange.matches.models import Offer, OfferStatus
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory

from .factories import finished_run, offer

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


answers = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),  # which offer
        st.sampled_from(["accept", "decline"]),
    ),
    max_size=12,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    capacities=st.lists(st.integers(min_value=1, max_value=2), min_size=1, max_size=2),
    plan=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(1, 2)), min_size=1,
                  max_size=6),
    steps=answers,
)  # fmt: skip
def test_answers_never_overfill_a_place(world, capacities, plan, steps):
    """``plan``: offers as (participant index, opportunity index, round)."""
    try:
        with transaction.atomic():
            admin = world.users["admin"]
            runs = {r: finished_run(world.cycle, admin, result={}, round=r) for r in (1, 2)}
            opportunities = [
                OpportunityFactory(cycle=world.cycle, host_organization=world.city_b, capacity=c)
                for c in capacities
            ]
            nominations = [NominationFactory(cycle=world.cycle) for _ in range(3)]
            offers = []
            for who, where, round_number in plan:
                if Offer.objects.filter(
                    run=runs[round_number], nomination=nominations[who]
                ).exists():
                    continue
                offers.append(
                    offer(runs[round_number], nominations[who],
                          opportunities[where % len(opportunities)])
                )  # fmt: skip
            for index, answer in steps:
                target = offers[index % len(offers)]
                target.refresh_from_db()
                try:
                    if answer == "accept":
                        services.accept_offer(target, actor=participant_user(target))
                    else:
                        services.decline_offer(target, actor=participant_user(target), reason="No")
                except ActionRefused as refusal:
                    assert refusal.message
            for opportunity in opportunities:
                accepted = Offer.objects.filter(
                    opportunity=opportunity, status=OfferStatus.ACCEPTED
                ).count()
                assert accepted <= opportunity.capacity
            for nomination in nominations:
                assert (
                    Offer.objects.filter(nomination=nomination, status=OfferStatus.ACCEPTED).count()
                    <= 1
                )
            raise Rollback
    except Rollback:
        pass


def participant_user(offer_row):
    """The participant of the offer, signed in (a user for their person on first use)."""
    from tests.factories import UserFactory, grant

    person = offer_row.nomination.person
    if person.user_id is None:
        person.user = UserFactory(username=f"p{person.pk}")
        person.save()
        grant(person.user, "participant")
    return person.user
