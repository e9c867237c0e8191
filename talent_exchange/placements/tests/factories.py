"""Accepted offers (and what they hang on), for placement tests. The offers workflow belongs
to the matches app; these rows are what it leaves behind."""

from __future__ import annotations

from datetime import date

from talent_exchange.matches.models import MatchRun, Offer, OfferStatus
from talent_exchange.matches.tests.factories import MatchRunFactory, OfferFactory
from talent_exchange.nominations.models import Nomination
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.placements.services import start_placement


def accepted_offer(
    *,
    cycle,
    person,
    host,
    coach=None,
    actor,
    title="Assistant to the City Manager",
    start=date(2027, 2, 1),
    months=3,
    assignment_type="exchange",
) -> Offer:
    run = MatchRun.objects.filter(cycle=cycle).first() or MatchRunFactory(
        cycle=cycle, started_by=actor, result=None
    )
    nomination = Nomination.objects.filter(cycle=cycle, person=person).first() or NominationFactory(
        cycle=cycle, person=person, nominated_by=actor
    )
    opportunity = OpportunityFactory(
        cycle=cycle,
        host_organization=host,
        title=title,
        description="A stretch assignment.",
        assignment_type=assignment_type,
        duration_months=months,
        start_earliest=start,
        start_latest=start,
        location="",
        coach=coach,
        posted_by=actor,
    )
    return OfferFactory(
        run=run,
        nomination=nomination,
        opportunity=opportunity,
        status=OfferStatus.ACCEPTED,
        respond_by=start,
    )


def placement_in(world, *, coach=None, host=None, person=None, cycle=None, **kwargs):
    """A placement of the world's participant (City A) hosted by City B, coached by Bea."""
    offer = accepted_offer(
        cycle=cycle or world.cycle,
        person=person or world.person_a,
        host=host or world.city_b,
        coach=coach if coach is not None else world.person_b,
        actor=world.users["admin"],
        **kwargs,
    )
    return start_placement(offer, world.users["admin"])
