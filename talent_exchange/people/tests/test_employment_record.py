"""The employment record (organisation, work e-mail, supervisor, classification, years of
service, designations, mobility history) decides eligibility, so the employer keeps it: a
participant editing their own profile cannot change it (issue 16, finding 12)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from talent_exchange.nominations import eligibility
from talent_exchange.people.forms import PersonForm
from talent_exchange.people.models import Designation

pytestmark = pytest.mark.django_db
RECORD = (
    "organization",
    "work_email",
    "supervisor",
    "classification",
    "years_of_service",
    "designations",
)


def _own_edit(world, **changes) -> dict:
    person = world.person_a
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "position_title": person.position_title,
        "career_goals": "Lead a city department",
        **changes,
    }


def test_a_participant_cannot_raise_their_own_years_of_service(world, client_for):
    person = world.person_a
    person.years_of_service = 1
    person.save()
    world.program.min_years_of_service = 5
    world.program.save()
    designation = Designation.objects.create(name="Certified Public Manager")
    response = client_for(world.users["participant"]).post(
        reverse("people:edit", args=[person.pk]),
        _own_edit(
            world,
            years_of_service=30,
            designations=[designation.pk],
            classification="SES",
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.career_goals == "Lead a city department"  # the rest of the profile saves
    assert person.years_of_service == 1
    assert person.classification != "SES"
    assert not person.designations.exists()
    world.cycle.state = "nominations"
    world.cycle.save()
    reasons = eligibility.check(person, world.cycle, timezone.localdate())
    assert any("years of service" in r for r in reasons)


def test_the_own_edit_page_does_not_offer_the_employment_record(world, client_for):
    page = client_for(world.users["participant"]).get(
        reverse("people:edit", args=[world.person_a.pk])
    )
    content = page.content.decode()
    for name in RECORD:
        assert f'name="{name}"' not in content
    assert 'data-testid="employment-record-note"' in content
    assert 'name="career_goals"' in content


def test_the_coordinator_keeps_the_employment_record(world, client_for):
    person = world.person_a
    response = client_for(world.users["coord_a"]).post(
        reverse("people:edit", args=[person.pk]),
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "work_email": person.work_email,
            "organization": world.city_a.pk,
            "position_title": person.position_title,
            "years_of_service": 12,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.years_of_service == 12


def test_a_participant_cannot_add_to_their_own_mobility_history(world, client_for):
    client = client_for(world.users["participant"])
    url = reverse("people:add_mobility", args=[world.person_a.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "assignment_type": "detail",
            "title": "Detail",
            "host_name": "Budget",
            "started_on": "2024-01-01",
            "ended_on": "2024-05-01",
        },
    )
    assert response.status_code == 403
    assert world.person_a.mobility_history.count() == 0


@pytest.mark.parametrize(
    ("role", "keeps"),
    [("admin", True), ("coord_a", True), ("coord_b", False), ("participant", False)],
)
def test_who_keeps_the_record_is_who_the_form_offers_it_to(world, role, keeps):
    user = world.users[role]
    assert user.has_perm("people.keep_employment_record", world.person_a) == keeps
    if user.has_perm("people.change_person", world.person_a):
        form = PersonForm(instance=world.person_a, user=user)
        assert ("years_of_service" in form.fields) == keeps
