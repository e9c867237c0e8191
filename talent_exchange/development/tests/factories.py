"""Factories for the development app's models."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from talent_exchange.accounts.tests.factories import UserFactory
from talent_exchange.development.frameworks import SHIPPED, load_framework
from talent_exchange.development.models import (
    ActivityType,
    DevelopmentPlan,
    FrameworkVersion,
    MobilityException,
    MobilityRule,
    PlanItem,
    SuccessionCandidate,
    SuccessionPlan,
)
from talent_exchange.people.tests.factories import PersonFactory
from talent_exchange.programs.tests.factories import ProgramFactory


def framework(name: str = "us-ecq-2025.json") -> FrameworkVersion:
    """A shipped framework version, loaded once per test database."""
    return load_framework(SHIPPED / name)


class MobilityRuleFactory(DjangoModelFactory):
    class Meta:
        model = MobilityRule
        django_get_or_create = ("program",)

    program = factory.SubFactory(ProgramFactory)
    interval_years = 5
    min_days = 120


class DevelopmentPlanFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    person = factory.SubFactory(PersonFactory)
    program = factory.SubFactory(ProgramFactory)
    year = 2027
    framework = factory.LazyFunction(framework)


class PlanItemFactory(DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(DevelopmentPlanFactory)
    competency = factory.LazyAttribute(lambda o: o.plan.framework.competencies.first())
    activity_type = ActivityType.COURSE
    description = "Executive leadership course"
    cost = Decimal("1500.00")


class MobilityExceptionFactory(DjangoModelFactory):
    class Meta:
        model = MobilityException

    person = factory.SubFactory(PersonFactory)
    program = factory.SubFactory(ProgramFactory)
    reason = "small_agency"
    explanation = "Only executive of a small agency."
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2028, 12, 31)
    requested_by = factory.SubFactory(UserFactory)


class SuccessionPlanFactory(DjangoModelFactory):
    class Meta:
        model = SuccessionPlan

    program = factory.SubFactory(ProgramFactory)
    organization = factory.LazyAttribute(lambda o: o.program.administering_organization)
    position_title = "Deputy Minister"


class SuccessionCandidateFactory(DjangoModelFactory):
    class Meta:
        model = SuccessionCandidate

    plan = factory.SubFactory(SuccessionPlanFactory)
    person = factory.SubFactory(PersonFactory)
    readiness = "1_2_years"
