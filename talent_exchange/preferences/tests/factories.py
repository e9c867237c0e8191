"""Factories for the rows the preferences and interviews tests need: opportunities and
nominations are built directly (their own apps' services are another team's)."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from talent_exchange.nominations.models import Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.programs.models import CyclePhase
from tests.factories import CycleFactory, OrganizationFactory, PersonFactory, UserFactory


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    cycle = factory.SubFactory(CycleFactory)
    host_organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    description = "A three-month stretch assignment."
    duration_months = 3
    start_earliest = datetime.date(2027, 1, 4)
    start_latest = datetime.date(2027, 2, 1)
    location = "Oakland"
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


def phase_dates(cycle, phase: str, opens_on, closes_on) -> CyclePhase:
    return CyclePhase.objects.update_or_create(
        cycle=cycle, phase=phase, defaults={"opens_on": opens_on, "closes_on": closes_on}
    )[0]
