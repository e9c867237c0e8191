"""factory-boy factories for the core model, shared by every app's tests."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.roles import forget_roles
from talent_exchange.organizations.models import Kind, Organization
from talent_exchange.people.models import AssignmentType, MobilityRecord, Person, Skill
from talent_exchange.programs.models import Cycle, Program, ProgramShape


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"City of Example {n}")
    kind = Kind.CITY
    jurisdiction = "State of California"


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


def grant(user: User, role: str, **scope) -> RoleGrant:
    row = RoleGrant.objects.create(user=user, role=Role(role), **scope)
    forget_roles(user)
    return row


# Every role, for property tests that draw (role, index) pairs.
ROLE_NAMES = (
    "program_admin",
    "coordinator",
    "supervisor",
    "panelist",
    "board_reviewer",
    "participant",
    "auditor",
)


def grant_by_index(user: User, role: str, index: int, *, programs, organizations, cycles):
    """Grant ``role`` in the scope it needs: the index-th program, organisation or cycle
    (modulo how many there are); roles held everywhere take no scope."""
    scope = {
        "program_admin": {"program": programs[index % len(programs)]},
        "board_reviewer": {"program": programs[index % len(programs)]},
        "coordinator": {"organization": organizations[index % len(organizations)]},
        "supervisor": {"organization": organizations[index % len(organizations)]},
        "panelist": {"cycle": cycles[index % len(cycles)]},
    }.get(role, {})
    return grant(user, role, **scope)
