"""Small factories for the cycle models the API serves (owned by other apps; kept here so
the API's tests do not depend on theirs)."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from talent_exchange.matches.models import MatchRun
from talent_exchange.nominations.models import Nomination
from talent_exchange.opportunities.models import Opportunity
from tests.factories import CycleFactory, OrganizationFactory, PersonFactory, UserFactory


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    cycle = factory.SubFactory(CycleFactory)
    host_organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Assistant to the City Manager {n}")
    description = "A three-month stretch assignment."
    duration_months = 3
    start_earliest = datetime.date(2027, 2, 1)
    start_latest = datetime.date(2027, 3, 1)
    location = "City Hall"
    status = "approved"
    posted_by = factory.SubFactory(UserFactory)


class NominationFactory(DjangoModelFactory):
    class Meta:
        model = Nomination

    cycle = factory.SubFactory(CycleFactory)
    person = factory.SubFactory(PersonFactory)
    home_organization = factory.LazyAttribute(lambda n: n.person.organization)
    status = "endorsed"
    nominated_by = factory.SubFactory(UserFactory)


class MatchRunFactory(DjangoModelFactory):
    class Meta:
        model = MatchRun

    cycle = factory.SubFactory(CycleFactory)
    mode = "stable"
    status = "succeeded"
    started_by = factory.SubFactory(UserFactory)
    result = factory.LazyFunction(
        lambda: {
            "status": "stable",
            "assignments": [{"participant": "n1", "slot": "o1", "reasons": ["first choice"]}],
            "unmatched": [{"participant": "n2", "reasons": ["ranked nothing"]}],
            "metrics": {"matched": 1, "unmatched": 1},
            "problems": [],
        }
    )
