from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from talent_exchange.organizations.tests.factories import OrganizationFactory
from talent_exchange.programs.models import Cycle, CyclePhase, Program, ProgramShape


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


def phase_dates(cycle, phase: str, opens_on, closes_on) -> CyclePhase:
    """Set (or reset) the dates of one phase of the cycle."""
    return CyclePhase.objects.update_or_create(
        cycle=cycle, phase=phase, defaults={"opens_on": opens_on, "closes_on": closes_on}
    )[0]
