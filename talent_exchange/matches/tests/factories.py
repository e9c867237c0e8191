"""Rows for the matches tests: a small market built directly from the other apps' models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from talent_exchange.matches.models import MatchRun, Offer, RunStatus
from talent_exchange.nominations.models import Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from tests.factories import CycleFactory, PersonFactory, UserFactory


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    cycle = factory.SubFactory(CycleFactory)
    host_organization = factory.LazyAttribute(lambda o: o.cycle.program.administering_organization)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    description = "A stretch assignment."
    duration_months = 3
    start_earliest = datetime.date(2027, 3, 1)
    start_latest = datetime.date(2027, 4, 1)
    capacity = 1
    status = OpportunityStatus.APPROVED
    posted_by = factory.SubFactory(UserFactory)


class NominationFactory(DjangoModelFactory):
    class Meta:
        model = Nomination

    cycle = factory.SubFactory(CycleFactory)
    person = factory.SubFactory(PersonFactory)
    home_organization = factory.LazyAttribute(lambda n: n.person.organization)
    status = NominationStatus.ENDORSED
    nominated_by = factory.SubFactory(UserFactory)


def rank(nomination, *opportunities) -> None:
    """The participant ranks these opportunities, first choice first."""
    for position, opportunity in enumerate(opportunities, start=1):
        ParticipantRanking.objects.create(
            nomination=nomination, opportunity=opportunity, rank=position
        )


def host_rank(opportunity, *nominations) -> None:
    for position, nomination in enumerate(nominations, start=1):
        HostRanking.objects.create(opportunity=opportunity, nomination=nomination, rank=position)


@dataclass
class SmallMarket:
    """Two cities exchanging: Ada (A) and Bo (B) and Cy (B); a place at A, one at B, one at
    the county (administering organisation)."""

    cycle: object
    ada: Nomination
    bo: Nomination
    cy: Nomination
    at_a: Opportunity
    at_b: Opportunity
    at_county: Opportunity
    extra: dict = field(default_factory=dict)


def small_market(world) -> SmallMarket:
    cycle = world.cycle
    ada = NominationFactory(cycle=cycle, person=world.person_a)
    bo = NominationFactory(cycle=cycle, person=world.person_b)
    cy = NominationFactory(
        cycle=cycle, person=PersonFactory(organization=world.city_b, first_name="Cy")
    )
    coach = PersonFactory(organization=world.city_b, first_name="Coach", last_name="Carter")
    at_a = OpportunityFactory(cycle=cycle, host_organization=world.city_a, title="Budget at A")
    at_b = OpportunityFactory(
        cycle=cycle, host_organization=world.city_b, title="Parks at B", coach=coach
    )
    at_county = OpportunityFactory(
        cycle=cycle, host_organization=world.program.administering_organization, title="County IT"
    )
    rank(ada, at_b, at_county)
    rank(bo, at_a, at_county)
    rank(cy, at_a, at_county)
    host_rank(at_a, cy, bo)
    return SmallMarket(cycle, ada, bo, cy, at_a, at_b, at_county)


def finished_run(cycle, user, *, result: dict, market: dict | None = None, round=1, mode="stable"):
    return MatchRun.objects.create(
        cycle=cycle,
        round=round,
        mode=mode,
        status=RunStatus.SUCCEEDED,
        progress=100,
        market=market or {"participants": []},
        result=result,
        started_by=user,
    )


def offer(run, nomination, opportunity, **fields) -> Offer:
    fields.setdefault("respond_by", timezone.localdate() + datetime.timedelta(days=7))
    return Offer.objects.create(run=run, nomination=nomination, opportunity=opportunity, **fields)
