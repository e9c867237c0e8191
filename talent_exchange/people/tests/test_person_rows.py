"""The people list's rows, written by people.presenters.person_rows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from talent_exchange.people.models import Person
from talent_exchange.people.presenters import person_rows
from tests.factories import PersonFactory, SkillFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>&'


def test_a_row_escapes_what_people_typed_and_links_to_the_person(world):
    person = PersonFactory(
        organization=world.city_a,
        first_name=HOSTILE,
        position_title=HOSTILE,
        classification=HOSTILE,
    )
    person.skills.add(SkillFactory(name=HOSTILE))
    html = person_rows(list(Person.objects.filter(pk=person.pk).for_rows()))
    assert "<script>" not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"
    assert html.count(escaped) == 4  # name, position, classification, skill
    assert f'href="{reverse("people:detail", args=[person.pk])}"' in html
    assert f'<span class="usa-hint">({escaped})</span>' in html
    assert f'<td data-label="Organisation">{world.city_a.name}</td>' in html


def test_a_row_shows_the_first_four_skills_by_name_in_one_query(world, django_assert_num_queries):
    people = [PersonFactory(organization=world.city_a) for _ in range(3)]
    for name in ["Zoning", "Budgeting", "Audit", "Procurement", "Mediation"]:
        people[0].skills.add(SkillFactory(name=name))
    rows = list(Person.objects.filter(pk__in=[p.pk for p in people]).for_rows())
    with django_assert_num_queries(1):
        html = person_rows(rows)
    assert '<td data-label="Skills">Audit, Budgeting, Mediation, Procurement</td>' in html
    assert "Zoning" not in html
    assert html.count('<td data-label="Skills"></td>') == 2  # no skill: an empty cell


def test_the_labels_follow_the_language(world):
    rows = list(Person.objects.filter(pk=world.person_a.pk).for_rows())
    with translation.override("fr"):
        html = person_rows(rows)
    for label in ("Nom", "Poste", "Organisation", "Compétences"):
        assert f'data-label="{label}"' in html
