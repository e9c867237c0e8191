"""A program with placements in both directions, outcomes and evaluations, for the reports
tests (built on the placements app's factories)."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from talent_exchange.people.tests.factories import PersonFactory
from talent_exchange.placements.models import Evaluation, Outcome, Stage
from talent_exchange.placements.tests.factories import placement_in
from talent_exchange.reports.models import Export


def populate(world, n: int) -> list:
    """``n`` placements from City A to City B and back, each with a recorded outcome and a
    final rating."""
    made = []
    for i in range(n):
        a_to_b = i % 2 == 0
        person = PersonFactory(organization=world.city_a if a_to_b else world.city_b)
        placement = placement_in(
            world,
            person=person,
            host=world.city_b if a_to_b else world.city_a,
            coach=world.person_b if a_to_b else world.person_a,
            title=f"Assignment {i}",
            start=date(2027, 2, 1),
        )
        outcome = Outcome.objects.filter(
            placement=placement, months_after=12
        ).first() or Outcome.objects.create(
            placement=placement, months_after=12, due_on=date(2028, 8, 1)
        )
        outcome.promoted = i % 3 == 0
        outcome.new_role = True
        outcome.still_with_home = True
        outcome.recorded_at = timezone.now()
        outcome.save()
        evaluation, _created = Evaluation.objects.get_or_create(
            placement=placement,
            stage=Stage.FINAL,
            respondent="participant",
            defaults={"due_on": date(2027, 5, 1)},
        )
        if evaluation is not None:
            evaluation.rating = 4
            evaluation.submitted_at = timezone.now()
            evaluation.lessons_learned = (
                '=HYPERLINK("http://evil")' if i == 0 else "Plan the return early."
            )
            evaluation.share_with_program = True
            evaluation.save()
        made.append(placement)
    return made


class ExportFactory(DjangoModelFactory):
    class Meta:
        model = Export

    report = "reports.outcomes"
    format = "xlsx"
    requested_by = factory.SubFactory("talent_exchange.accounts.tests.factories.UserFactory")
