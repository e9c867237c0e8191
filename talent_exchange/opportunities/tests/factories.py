import datetime

import factory
from factory.django import DjangoModelFactory

from talent_exchange.opportunities.models import Opportunity
from tests.factories import CycleFactory, OrganizationFactory, UserFactory


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    cycle = factory.SubFactory(CycleFactory)
    host_organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Assistant to the city manager {n}")
    description = "A stretch assignment in the city manager's office."
    duration_months = 3
    start_earliest = datetime.date(2027, 3, 1)
    start_latest = datetime.date(2027, 4, 1)
    location = "Oakland"
    capacity = 1
    posted_by = factory.SubFactory(UserFactory)
