"""``field__among=ids`` (core/lookups.py) finds what ``field__in=ids`` finds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from talent_exchange.people.models import Person
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_among_finds_what_in_finds(world):
    others = [OrganizationFactory() for _ in range(3)]
    for org in others:
        PersonFactory(organization=org)
    for ids in ([world.city_a.pk], [o.pk for o in others], [world.city_a, others[0]], [10**12]):
        among = set(Person.objects.filter(organization_id__among=ids).values_list("pk", flat=True))
        within = set(Person.objects.filter(organization_id__in=ids).values_list("pk", flat=True))
        assert among == within
    assert Person.objects.filter(pk__among={world.person_a.pk}).get() == world.person_a


def test_no_ids_match_nothing_and_leave_the_other_ways_in(world):
    assert not Person.objects.filter(organization_id__among=[]).exists()
    either = Person.objects.filter(Q(organization_id__among=[]) | Q(pk=world.person_b.pk))
    assert list(either) == [world.person_b]


def test_postgresql_gets_one_parameter():
    ids = list(range(1, 501))
    sql, params = Person.objects.filter(organization_id__among=ids).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(%s::bigint[])" in sql and list(params) == [ids]
    else:
        assert len(params) == 500
