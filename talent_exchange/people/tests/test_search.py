"""People search: every word must match; prefixes, skills and (on PostgreSQL) typos of names;
the stored search vector follows edits of the person and of their skills."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from talent_exchange.people.models import Person
from talent_exchange.people.search import search_words
from tests.factories import OrganizationFactory, PersonFactory, SkillFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="typo tolerance needs PostgreSQL's pg_trgm"
)


@pytest.fixture
def people():
    org = OrganizationFactory()
    budget = SkillFactory(name="Budgeting")
    grants = SkillFactory(name="Grant writing")
    maya = PersonFactory(
        organization=org, first_name="Maya", last_name="Okonkwo", position_title="Finance Manager"
    )
    maya.skills.add(budget)
    jon = PersonFactory(
        organization=org, first_name="Jonathan", last_name="Smith", position_title="Planner"
    )
    jon.skills.add(grants)
    PersonFactory(organization=org, first_name="Lee", last_name="Park", position_title="Analyst")
    return {"maya": maya, "jon": jon}


def names(queryset) -> set[str]:
    return {p.full_name for p in queryset}


def test_a_name_prefix_a_skill_and_a_position_find_the_person(people):
    assert names(Person.objects.search("okon")) == {"Maya Okonkwo"}
    assert names(Person.objects.search("budget")) == {"Maya Okonkwo"}
    assert names(Person.objects.search("planner")) == {"Jonathan Smith"}


def test_every_word_must_match(people):
    assert names(Person.objects.search("jonathan grant")) == {"Jonathan Smith"}
    assert names(Person.objects.search("jonathan budgeting")) == set()


def test_punctuation_cannot_break_the_query(people):
    assert names(Person.objects.search("smith & | ! :* ('")) == {"Jonathan Smith"}
    assert Person.objects.search("&|!").count() == 3  # no words: no narrowing


def test_the_vector_follows_skill_changes(people):
    writing = SkillFactory(name="Speechwriting")
    people["jon"].skills.add(writing)
    assert names(Person.objects.search("speechwr")) == {"Jonathan Smith"}
    people["jon"].skills.remove(writing)
    assert names(Person.objects.search("speechwr")) == set()


def test_the_vector_follows_edits_of_the_person(people):
    maya = people["maya"]
    maya.last_name = "Adeyemi"
    maya.save()
    assert names(Person.objects.search("adeyemi")) == {"Maya Adeyemi"}
    assert names(Person.objects.search("okonkwo")) == set()


@postgres_only
def test_a_typo_in_a_name_still_finds_the_person_best_first(people):
    found = list(Person.objects.search("smoth"))
    assert [p.full_name for p in found] == ["Jonathan Smith"]
    assert names(Person.objects.search("okonkow")) == {"Maya Okonkwo"}


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = queryset.values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    return plan


@postgres_only
def test_search_uses_the_indexes(people):
    assert "person_search_vector_gin" in _plan(Person.objects.search("smith"))
    typo = _plan(Person.objects.search("smoth"))
    assert "person_last_name_trgm" in typo and "person_first_name_trgm" in typo


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=60))
def test_search_words_are_plain_words(text):
    words = search_words(text)
    assert len(words) <= 8
    assert all(word and all(ch.isalnum() or ch == "_" for ch in word) for word in words)


@postgres_only
def test_an_exact_name_does_not_bring_similar_names_along(people):
    org = people["maya"].organization
    PersonFactory(organization=org, first_name="Jon", last_name="Smyth")
    assert names(Person.objects.search("smith")) == {"Jonathan Smith"}
    assert names(Person.objects.search("smoth")) >= {"Jonathan Smith"}
