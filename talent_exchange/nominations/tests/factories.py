from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from talent_exchange.accounts.tests.factories import UserFactory
from talent_exchange.nominations.models import EndorsementStep, Nomination, NominationStatus
from talent_exchange.people.tests.factories import PersonFactory
from talent_exchange.programs.tests.factories import CycleFactory


class EndorsementStepFactory(DjangoModelFactory):
    class Meta:
        model = EndorsementStep

    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n + 1}")


class NominationFactory(DjangoModelFactory):
    """An endorsed nomination (what matching, rankings and interviews read); pass
    ``status=NominationStatus.AWAITING_ENDORSEMENT`` for the endorsement chain's start."""

    class Meta:
        model = Nomination

    cycle = factory.SubFactory(CycleFactory)
    person = factory.SubFactory(PersonFactory)
    home_organization = factory.SelfAttribute("person.organization")
    status = NominationStatus.ENDORSED
    nominated_by = factory.SubFactory(UserFactory)
