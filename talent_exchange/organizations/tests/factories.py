from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from talent_exchange.organizations.models import Kind, Organization


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"City of Example {n}")
    kind = Kind.CITY
    jurisdiction = "State of California"
