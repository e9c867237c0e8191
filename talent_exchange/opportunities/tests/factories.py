from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from talent_exchange.accounts.tests.factories import UserFactory
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.organizations.tests.factories import OrganizationFactory
from talent_exchange.programs.tests.factories import CycleFactory


class OpportunityFactory(DjangoModelFactory):
    """An approved opportunity (what matching, rankings and the API read); pass
    ``status=OpportunityStatus.DRAFT`` for the approval workflow's starting point."""

    class Meta:
        model = Opportunity

    cycle = factory.SubFactory(CycleFactory)
    host_organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    description = "A three-month stretch assignment."
    duration_months = 3
    start_earliest = datetime.date(2027, 3, 1)
    start_latest = datetime.date(2027, 4, 1)
    location = "Oakland"
    capacity = 1
    status = OpportunityStatus.APPROVED
    posted_by = factory.SubFactory(UserFactory)
