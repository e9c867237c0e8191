import factory
from factory.django import DjangoModelFactory

from talent_exchange.nominations.models import EndorsementStep, Nomination
from tests.factories import CycleFactory, PersonFactory, UserFactory


class EndorsementStepFactory(DjangoModelFactory):
    class Meta:
        model = EndorsementStep

    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n + 1}")


class NominationFactory(DjangoModelFactory):
    class Meta:
        model = Nomination

    cycle = factory.SubFactory(CycleFactory)
    person = factory.SubFactory(PersonFactory)
    home_organization = factory.SelfAttribute("person.organization")
    nominated_by = factory.SubFactory(UserFactory)
