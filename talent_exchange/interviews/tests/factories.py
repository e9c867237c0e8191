from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from talent_exchange.interviews.models import Panel, PanelAssignment, RubricCriterion
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.programs.tests.factories import CycleFactory, ProgramFactory


class RubricCriterionFactory(DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    order = factory.Sequence(lambda n: n)


class PanelFactory(DjangoModelFactory):
    class Meta:
        model = Panel
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    name = factory.Sequence(lambda n: f"Panel {n}")
    location = "City Hall, room 2"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class PanelAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = PanelAssignment

    panel = factory.SubFactory(PanelFactory)
    nomination = factory.SubFactory(NominationFactory)
