from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from talent_exchange.organizations.tests.factories import OrganizationFactory
from talent_exchange.people.models import AssignmentType, MobilityRecord, Person, Skill


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Skill {n}")
    is_vocabulary = True


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    work_email = factory.Sequence(lambda n: f"person{n}@example.org")
    organization = factory.SubFactory(OrganizationFactory)
    position_title = "Management Analyst"
    classification = "Analyst II"
    years_of_service = 6


class MobilityRecordFactory(DjangoModelFactory):
    class Meta:
        model = MobilityRecord

    person = factory.SubFactory(PersonFactory)
    assignment_type = AssignmentType.DETAIL
    title = "Detail to the budget office"
    host_name = "Budget office"
    started_on = datetime.date(2020, 1, 1)
    ended_on = datetime.date(2020, 6, 30)
