"""Places left open after the offers, and offering one to the next in line (issue 19 item 5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.matches import next_in_line, services
from talent_exchange.matches.models import Offer, OfferStatus
from tests.factories import UserFactory, grant

from .factories import small_market

pytestmark = pytest.mark.django_db


def _published(world, m=None):
    m = m or small_market(world)  # the host of "Budget at A" ranks Cy, then Bo
    admin = world.users["admin"]
    run = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    services.publish_run(run, actor=admin)
    return m, run


def _decline(offer):
    user = UserFactory()
    person = offer.nomination.person
    person.user = user
    person.save()
    grant(user, "participant")
    services.decline_offer(offer, actor=user, reason="Not this year.")


def test_nothing_is_open_before_a_run_is_published_nor_while_every_place_is_held(world):
    m = small_market(world)
    assert next_in_line.open_places(m.cycle) == []
    m, _run = _published(world, m)
    assert next_in_line.open_places(m.cycle) == []


def test_a_declined_place_lists_who_the_host_ranked_and_is_free(world):
    m, run = _published(world)
    offers = {o.nomination_id: o for o in Offer.objects.filter(run=run)}
    _decline(offers[m.cy.pk])  # Cy declines Budget at A: Bo holds the county's place
    (budget,) = next_in_line.open_places(m.cycle)
    assert budget.opportunity == m.at_a and budget.free == 1
    assert budget.next_in_line == []  # Cy declined it, Bo holds a place
    with pytest.raises(ActionRefused, match="not next in line"):
        next_in_line.offer_to_next(m.at_a, m.bo, actor=world.users["admin"])

    _decline(offers[m.bo.pk])
    places = {p.opportunity.pk: p for p in next_in_line.open_places(m.cycle)}
    assert [(n.pk, rank) for n, rank in places[m.at_a.pk].next_in_line] == [(m.bo.pk, 2)]
    with pytest.raises(PermissionDenied):
        next_in_line.offer_to_next(m.at_a, m.bo, actor=world.users["coord_a"])
    offer = next_in_line.offer_to_next(m.at_a, m.bo, actor=world.users["admin"])
    assert (offer.run, offer.status) == (run, OfferStatus.OFFERED)
    assert m.at_a.pk not in {p.opportunity.pk for p in next_in_line.open_places(m.cycle)}
    with pytest.raises(ActionRefused, match="no longer open"):
        next_in_line.offer_to_next(m.at_a, m.bo, actor=world.users["admin"])
