"""Interchange reporting (due until filed, retention dates), the skill growth log and a
succession candidate's development becoming a plan item."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.development import services
from talent_exchange.development.interchange import reports_due, retention_dates
from talent_exchange.development.models import Competency
from talent_exchange.development.tests.factories import SuccessionCandidateFactory, framework
from talent_exchange.placements.models import PlacementTransition
from talent_exchange.placements.services import close_placement
from talent_exchange.placements.tests.factories import placement_in
from talent_exchange.programs.models import ProgramShape

pytestmark = pytest.mark.django_db


@pytest.fixture
def interchange(world):
    world.program.shape = ProgramShape.INTERCHANGE
    world.program.save()
    placement = placement_in(world)
    PlacementTransition.record(placement, "active", "extended", actor=world.users["admin"])
    return placement


def test_a_change_is_reported_within_thirty_days_until_filed(world, interchange, client_for):
    today = timezone.localdate()
    (due,) = reports_due([world.program.pk], today)
    assert due.due_on == today + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        services.file_assignment_report(interchange, due.occasion, actor=world.users["coord_a"])
    with pytest.raises(ActionRefused):
        services.file_assignment_report(interchange, "made-up", actor=world.users["admin"])
    client = client_for(world.users["admin"])
    assert "Filed: changed: Extended" in client.get("/").content.decode()
    client.post(
        reverse("development:file_report", args=[interchange.pk]), {"occasion": due.occasion}
    )
    assert reports_due([world.program.pk], today) == []


def test_a_closed_placement_has_a_retention_date(world, interchange):
    interchange.status = "returned"
    interchange.save()
    close_placement(interchange, world.users["admin"])
    ((closed_one, until),) = retention_dates([world.program.pk])
    assert closed_one == interchange
    closed = timezone.localdate()
    assert until == closed.replace(year=closed.year + world.program.retention_years)


def test_the_skill_growth_log_lists_completed_assignments(world, client_for):
    from talent_exchange.people.models import Skill

    placement = placement_in(world)
    placement.offer.opportunity.skills_developed.add(Skill.objects.create(name="Budgeting"))
    url = reverse("development:growth", args=[world.person_a.pk])
    page = client_for(world.users["participant"]).get(url).content.decode()
    assert "No completed assignment yet." in page
    placement.status = "returned"
    placement.save()
    page = client_for(world.users["participant"]).get(url).content.decode()
    assert "Budgeting" in page
    assert client_for(world.users["coord_b"]).get(url).status_code == 404


def test_development_needed_becomes_a_plan_item(world):
    plan = services.create_plan(
        world.person_a, world.program, 2027, framework(), actor=world.users["participant"]
    )
    candidate = SuccessionCandidateFactory(
        person=world.person_a, development_needed="Fiscal forecasting", plan__program=world.program
    )
    item = services.plan_development_needed(
        candidate,
        plan,
        actor=world.users["supervisor"],
        competency=Competency.objects.filter(version=plan.framework).first(),
    )
    assert item.description == "Fiscal forecasting"
    other = SuccessionCandidateFactory(person=world.person_b, plan=candidate.plan)
    with pytest.raises(ActionRefused):
        services.plan_development_needed(
            other, plan, actor=world.users["supervisor"], competency=item.competency
        )
