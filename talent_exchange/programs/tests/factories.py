from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from talent_exchange.accounts.tests.factories import UserFactory
from talent_exchange.organizations.tests.factories import OrganizationFactory
from talent_exchange.programs.models import (
    Cycle,
    CyclePhase,
    Program,
    ProgramInvitation,
    ProgramShape,
)


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Exchange program {n}")
    shape = ProgramShape.CONSORTIUM_EXCHANGE
    administering_organization = factory.SubFactory(OrganizationFactory)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.participating_organizations.add(*extracted)


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cycle {n}")


class ProgramInvitationFactory(DjangoModelFactory):
    """A waiting invitation, written directly (no mail, no transition record): for tests
    that need one to exist. Tests of the consent rule go through ``services``."""

    class Meta:
        model = ProgramInvitation

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    invited_by = factory.SubFactory(UserFactory)


def phase_dates(cycle, phase: str, opens_on, closes_on) -> CyclePhase:
    """Set (or reset) the dates of one phase of the cycle."""
    return CyclePhase.objects.update_or_create(
        cycle=cycle, phase=phase, defaults={"opens_on": opens_on, "closes_on": closes_on}
    )[0]
