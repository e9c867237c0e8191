"""core/compiled.py: a query compiled once gives the plain ORM's rows for any values, and
refuses what it cannot run safely."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.core.compiled import CompiledQuery, instance
from talent_exchange.development import dashboard as development
from talent_exchange.nominations import dashboard as nominations
from talent_exchange.nominations.models import Nomination
from talent_exchange.people import dashboard as people
from talent_exchange.people.models import Person
from talent_exchange.preferences import dashboard as preferences
from talent_exchange.programs import dashboard as programs
from talent_exchange.programs.dashboard import cycle_of
from talent_exchange.programs.models import Cycle, CyclePhase

# The dashboards' compiled queries, each of a person's id.
BY_PERSON = [
    preferences._RANKABLE,
    nominations._OWN,
    people._PROFILE_PARTS,
    development._OWN_PLANS,
    development._PLANS_TO_APPROVE,
]

# ... and of a coordinator's organisations.
BY_ORGANISATIONS = [
    preferences._TO_RANK,
    nominations._AWAITING,
    nominations._OPEN_CYCLES,
    people._ORGANISATIONS,
    people._FIRST_INCOMPLETE,
    programs._YOUR_CYCLES,
]

PHASES_FROM = CompiledQuery(
    lambda cycle_id, day: (
        CyclePhase.objects.filter(cycle_id=cycle_id, closes_on__gte=day)
        .order_by("opens_on", "phase")
        .values("cycle_id", "phase", "opens_on", "closes_on")
    ),
    cycle_id=int,
    day=date,
)
NOMINATED_BEFORE = CompiledQuery(
    lambda moment, person_id: (
        Nomination.objects.filter(created_at__lt=moment)
        .exclude(person_id=person_id)
        .order_by("created_at", "pk")
        .values("pk", "created_at", "profile_confirmed_at", "cycle__state")[:7]
    ),
    moment=datetime,
    person_id=int,
)

ids = st.integers(min_value=-5, max_value=400)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)
seeded = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _known(model, field: str) -> st.SearchStrategy[int]:
    """One of the seeded values of a column, or any id."""
    values = list(model.objects.exclude(**{field: None}).values_list(field, flat=True).distinct())
    return st.sampled_from(values) | ids if values else ids


@pytest.mark.django_db
@seeded
@given(data=st.data())
def test_the_dashboards_compiled_queries_give_the_orms_rows(seeded_demo, data):
    person_id = data.draw(
        _known(Nomination, "person_id") | _known(Person, "supervisor_id") | _known(Person, "pk")
    )
    for compiled in BY_PERSON:
        assert compiled.rows(person_id=person_id) == list(compiled._build(person_id=person_id))


@pytest.mark.django_db
@seeded
@given(data=st.data())
def test_sets_of_ids_give_the_orms_rows(seeded_demo, data):
    org_ids = frozenset(data.draw(st.lists(_known(Person, "organization_id"), min_size=1)))
    for compiled in BY_ORGANISATIONS:
        assert compiled.rows(org_ids=org_ids) == list(compiled._build(org_ids=org_ids))


@pytest.mark.django_db
@seeded
@given(data=st.data(), day=days, moment=moments)
def test_dates_and_times_give_the_orms_rows(seeded_demo, data, day, moment):
    cycle_id = data.draw(_known(Cycle, "pk"))
    person_id = data.draw(_known(Nomination, "person_id"))
    assert PHASES_FROM.rows(cycle_id=cycle_id, day=day) == list(
        PHASES_FROM._build(cycle_id=cycle_id, day=day)
    )
    assert NOMINATED_BEFORE.rows(moment=moment, person_id=person_id) == list(
        NOMINATED_BEFORE._build(moment=moment, person_id=person_id)
    )


@pytest.mark.django_db
def test_a_run_is_one_statement_and_nothing_is_compiled_again(seeded_demo, monkeypatch):
    PHASES_FROM.rows(cycle_id=1, day=date(2026, 1, 1))

    def _compile_again(alias):
        raise AssertionError("compiled twice")

    monkeypatch.setattr(PHASES_FROM, "_compile", _compile_again)
    with CaptureQueriesContext(connection) as queries:
        PHASES_FROM.rows(cycle_id=2, day=date(2027, 1, 1))
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_value_computed_on_or_unused_is_refused():
    computed = CompiledQuery(
        lambda person_id: Person.objects.filter(pk=person_id + 1).values("pk"), person_id=int
    )
    with pytest.raises(ImproperlyConfigured, match="person_id"):
        computed.rows(person_id=3)
    unused = CompiledQuery(lambda person_id: Person.objects.values("pk"), person_id=int)
    with pytest.raises(ImproperlyConfigured, match="person_id"):
        unused.rows(person_id=3)


@pytest.mark.django_db
def test_only_values_queries_are_compiled():
    objects = CompiledQuery(lambda person_id: Person.objects.filter(pk=person_id), person_id=int)
    with pytest.raises(ImproperlyConfigured, match="values"):
        objects.rows(person_id=3)


@pytest.mark.parametrize(
    "values",
    [
        {"cycle_id": None, "day": date(2026, 1, 1)},  # the ORM would ask IS NULL
        {"cycle_id": [1, 2], "day": date(2026, 1, 1)},
        {"cycle_id": True, "day": date(2026, 1, 1)},
        {"cycle_id": 1, "day": datetime(2026, 1, 1, tzinfo=UTC)},
        {"cycle_id": 1},
        {"org_ids": frozenset()},
        {"org_ids": [1, 2]},
        {"org_ids": frozenset({1, "2"})},
    ],
)
def test_a_value_of_another_kind_is_refused(values):
    compiled = nominations._AWAITING if "org_ids" in values else PHASES_FROM
    with pytest.raises(TypeError):
        compiled.rows(**values)


def test_an_object_made_from_a_row_shows_what_the_model_shows():
    row = {
        "pk": 7,
        "status": "endorsed",
        "ranked": 3,
        "cycle__name": "2027",
        "cycle__name_fr": "",
        "cycle__program__name": "Bay Exchange",
        "cycle__program__name_fr": "Échange de la baie",
        "cycle__program__short_name": "",
    }
    nomination = instance(Nomination, row, cycle=cycle_of(row))
    assert nomination.pk == 7
    assert nomination.ranked == 3
    assert nomination.get_status_display() == "Endorsed"
    assert str(nomination.cycle) == "Bay Exchange · 2027"


@pytest.mark.django_db
def test_an_object_given_keeps_the_rows_id_and_is_not_read_again(django_assert_num_queries):
    row = {"pk": 7, "cycle_id": 3, "cycle__name": "2027", "cycle__program__name": "Bay"}
    with django_assert_num_queries(0):
        nomination = instance(Nomination, row, cycle=cycle_of(row))
        assert nomination.cycle_id == nomination.cycle.pk == 3
        assert str(nomination.cycle) == "Bay · 2027"
