"""The people boxes of the dashboard summarise: counts, the first few people and a link to
the whole (paginated) list, in queries that do not grow with the rows (issue 17)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talent_exchange.people.dashboard import SHOWN
from talent_exchange.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _dashboard(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        return client.get("/").content.decode()


# The board's box of executives due moved to the development app (its mobility rule):
# development/tests/test_views.py::test_board_dashboard_applies_the_programs_rule.


def test_the_people_list_offers_no_due_filter_of_its_own(world, client_for):
    """Who is due is the program's mobility rule (development app), not a filter here that
    would count any record, even a 14-day acting stint (issue 11)."""
    page = client_for(world.users["board"]).get(reverse("people:list")).content.decode()
    assert "Due for a developmental assignment" not in page


@pytest.mark.parametrize("rows", [3, 30])
def test_coordinator_dashboard_counts_incomplete_profiles(
    world, client_for, django_assert_max_num_queries, rows
):
    for i in range(rows):
        PersonFactory(organization=world.city_a, last_name=f"Thin{i:02d}", career_goals="")
    incomplete = Person.objects.filter(organization=world.city_a).incomplete().count()
    page = _dashboard(client_for(world.users["coord_a"]), django_assert_max_num_queries, 30)
    assert f"{incomplete} profiles need completing" in page
    assert page.count("Thin") <= SHOWN
    listed = client_for(world.users["coord_a"]).get(
        reverse("people:list"), {"organization": world.city_a.pk, "profile": "incomplete"}
    )
    assert listed.context["paginator"].count == incomplete


def test_incomplete_in_sql_agrees_with_the_presenter(world):
    from talent_exchange.people.presenters import missing_profile_parts

    PersonFactory(organization=world.city_a, career_goals="")
    PersonFactory(organization=world.city_a, languages="")
    in_sql = set(Person.objects.incomplete().values_list("pk", flat=True))
    in_python = {
        p.pk for p in Person.objects.prefetch_related("skills") if missing_profile_parts(p)
    }
    assert in_sql == in_python


def test_the_profile_box_reads_one_row_and_finds_what_the_profile_page_finds(
    world, client_for, django_assert_num_queries
):
    """The participant's box reads the profile's parts in one query (``with_profile_parts``)
    and finds the same missing parts as a profile read with its skills."""
    from talent_exchange.accounts.roles import roles_of
    from talent_exchange.people.dashboard import own_profile
    from talent_exchange.people.models import Skill
    from talent_exchange.people.presenters import missing_profile_parts, with_profile_parts

    skilled = PersonFactory(organization=world.city_a, education="")
    skilled.skills.add(Skill.objects.create(name="Budgeting"))
    people = [world.person_a, skilled, PersonFactory(organization=world.city_a, languages="")]
    for person in people:
        with django_assert_num_queries(1):
            lean = with_profile_parts(Person.objects.filter(pk=person.pk)).get()
            found = missing_profile_parts(lean)
        full = Person.objects.prefetch_related("skills").get(pk=person.pk)
        assert found == missing_profile_parts(full)
    assert "skills" not in missing_profile_parts(
        with_profile_parts(Person.objects.filter(pk=skilled.pk)).get()
    )
    user = world.users["participant"]
    roles = roles_of(user)
    with django_assert_num_queries(1):
        box = own_profile(user, roles, None)
    assert box.context["person"].pk == world.person_a.pk
    page = client_for(user).get("/").content.decode()
    assert reverse("people:detail", args=[world.person_a.pk]) in page


def test_a_supervisor_with_many_reports_sees_the_first_few_by_name_and_how_many(
    world, client_for, monkeypatch, django_assert_max_num_queries
):
    from talent_exchange.people import dashboard

    monkeypatch.setattr(dashboard, "SHOWN", 3)
    boss = world.person_a.supervisor
    names = ["Zhou", "Adams", "Baker", "Young", "Chen"]
    for name in names:
        PersonFactory(organization=world.city_a, supervisor=boss, last_name=name)
    client = client_for(world.users["supervisor"])
    page = client.get("/").content.decode()
    box = page[page.index("People you supervise") :]
    # Ada Alpha is the world's report too: six in all, the first three by name.
    assert "The first 3 of the 6 people who report to you, by name." in box
    shown = [n for n in ("Adams", "Alpha", "Baker", "Chen", "Young", "Zhou") if n in box]
    assert shown == ["Adams", "Alpha", "Baker"]
    french = client.get("/", headers={"Accept-Language": "fr"}).content.decode()
    assert "Les 3 premières des 6 personnes qui relèvent de vous, par nom." in french
    for name in names:  # the box's queries do not grow with the reports
        PersonFactory(organization=world.city_a, supervisor=boss, last_name=name + "2")
    with django_assert_max_num_queries(12):
        client.get("/")
