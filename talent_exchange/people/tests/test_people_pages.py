"""The people pages: search, filters, pagination, forms with errors, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MobilityRecordFactory, PersonFactory, SkillFactory

pytestmark = pytest.mark.django_db


def test_search_by_name_position_and_skill(world, client_for):
    skill = SkillFactory(name="Emergency management")
    world.person_b.skills.add(skill)
    client = client_for(world.users["admin"])
    page = client.get(reverse("people:list"), {"q": "emergency"}).content.decode()
    assert "Bea Beta" in page and "Ada Alpha" not in page
    page = client.get(reverse("people:list"), {"organization": world.city_a.pk}).content.decode()
    assert "Ada Alpha" in page and "Bea Beta" not in page


def test_htmx_request_gets_only_the_results(world, client_for):
    client = client_for(world.users["admin"])
    response = client.get(reverse("people:list"), {"q": "Alpha"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert "Ada Alpha" in content


def test_filtering_by_an_organisation_out_of_reach_is_an_error_not_a_leak(world, client_for):
    client = client_for(world.users["coord_a"])
    page = client.get(reverse("people:list"), {"organization": world.city_b.pk}).content.decode()
    assert "Bea Beta" not in page
    assert "Select a valid choice" in page


def test_pagination(world, client_for):
    for i in range(30):
        PersonFactory(organization=world.city_a, last_name=f"Zed{i:02d}")
    client = client_for(world.users["coord_a"])
    first = client.get(reverse("people:list")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("people:list"), {"page": 2}).content.decode()
    assert "Zed29" in second and "Zed29" not in first


def test_people_list_queries_do_not_grow_with_rows(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["admin"])
    skill = SkillFactory(name="Budgeting")
    for _ in range(20):
        PersonFactory(organization=world.city_a).skills.add(skill)
    with django_assert_max_num_queries(9):  # the rows: the page, the count, their skills
        response = client.get(reverse("people:list"))
    assert response.content.decode().count('href="/people/') >= 20


def test_person_page_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    for _ in range(5):
        MobilityRecordFactory(person=world.person_a)
    client = client_for(world.users["admin"])
    with django_assert_max_num_queries(18):
        response = client.get(reverse("people:detail", args=[world.person_a.pk]))
    assert response.content.decode().count("Detail to the budget office") == 5


def test_form_errors_are_shown_next_to_the_field_and_nothing_is_saved(world, client_for):
    client = client_for(world.users["coord_a"])
    response = client.post(
        reverse("people:create"),
        {
            "first_name": "",
            "last_name": "X",
            "work_email": "not-an-email",
            "organization": world.city_a.pk,
            "position_title": "Analyst",
            "years_of_service": -3,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert 'id="first_name-error"' in content and 'id="work_email-error"' in content
    assert 'aria-invalid="true"' in content
    from talent_exchange.people.models import Person

    assert not Person.objects.filter(last_name="X").exists()


def test_mobility_record_dates_are_checked(world, client_for):
    client = client_for(world.users["coord_a"])
    url = reverse("people:add_mobility", args=[world.person_a.pk])
    response = client.post(
        url,
        {
            "assignment_type": "detail",
            "title": "Detail",
            "host_name": "Budget",
            "started_on": "2024-05-01",
            "ended_on": "2024-01-01",
        },
    )
    assert "cannot end before it starts" in response.content.decode()
    assert world.person_a.mobility_history.count() == 0
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
    assert response.status_code == 302
    assert world.person_a.mobility_history.count() == 1


def test_coordinator_cannot_add_history_to_another_citys_person(world, client_for):
    client = client_for(world.users["coord_a"])
    url = reverse("people:add_mobility", args=[world.person_b.pk])
    assert client.get(url).status_code == 404
