"""Eligibility rules: each refusal has a reason, and the pure rule function is checked
property-style against an independent statement of the rules."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talent_exchange.nominations.eligibility import NOMINATION_PHASES, Facts, check, refusals
from tests.factories import MobilityRecordFactory, PersonFactory

from .factories import NominationFactory

TODAY = datetime.date(2027, 1, 15)
PHASES = ["draft", "nominations", "opportunities", "preferences", "interviews", "closed"]

dates = st.dates(datetime.date(2010, 1, 1), datetime.date(2030, 1, 1))
assignment = st.tuples(dates, st.one_of(st.none(), dates))
facts = st.builds(
    Facts,
    cycle_state=st.sampled_from(PHASES),
    cycle_state_label=st.just("Some phase"),
    program_name=st.just("Bay Exchange"),
    program_organization_ids=st.frozensets(st.integers(1, 5), max_size=4),
    min_years_of_service=st.integers(0, 10),
    max_moves=st.one_of(st.none(), st.integers(0, 4)),
    person_organization_id=st.integers(1, 5),
    years_of_service=st.integers(0, 30),
    assignments=st.lists(assignment, max_size=5).map(tuple),
    already_nominated=st.booleans(),
    nominating_organization_ids=st.one_of(st.none(), st.frozensets(st.integers(1, 5), max_size=3)),
)


def eligible(f: Facts, today) -> bool:
    """The rules, stated independently of the implementation."""
    on_assignment = any(end is None or end > today for _start, end in f.assignments)
    return (
        f.cycle_state in ("nominations", "opportunities")
        and f.person_organization_id in f.program_organization_ids
        and (
            f.nominating_organization_ids is None
            or f.person_organization_id in f.nominating_organization_ids
        )
        and not f.already_nominated
        and f.years_of_service >= f.min_years_of_service
        and (f.max_moves is None or len(f.assignments) < f.max_moves)
        and not on_assignment
    )


@given(f=facts, today=dates)
def test_refused_exactly_when_a_rule_fails(f, today):
    reasons = refusals(f, today)
    assert (reasons == []) == eligible(f, today)
    assert all(isinstance(r, str) and r.endswith(".") for r in reasons)


@given(f=facts, today=dates, extra=st.integers(1, 5))
def test_more_service_never_hurts(f, today, extra):
    longer = Facts(**{**f.__dict__, "years_of_service": f.years_of_service + extra})
    assert len(refusals(longer, today)) <= len(refusals(f, today))


@given(f=facts, today=dates, record=assignment)
def test_an_extra_assignment_never_helps(f, today, record):
    more = Facts(**{**f.__dict__, "assignments": (*f.assignments, record)})
    assert len(refusals(more, today)) >= len(refusals(f, today))


def test_phases_documented():
    assert {"nominations", "opportunities"} == NOMINATION_PHASES


@pytest.mark.django_db
class TestCheck:
    def test_eligible(self, world):
        world.cycle.state = "nominations"
        assert check(world.person_a, world.cycle, TODAY) == []

    def test_each_reason(self, world):
        program = world.program
        program.min_years_of_service, program.max_moves = 10, 1
        program.save()
        person = PersonFactory(organization=world.city_a, years_of_service=2)
        MobilityRecordFactory(person=person, started_on=datetime.date(2026, 6, 1), ended_on=None)
        NominationFactory(cycle=world.cycle, person=person)
        reasons = check(person, world.cycle, TODAY, nominating_organization_ids={world.city_b.pk})
        text = " ".join(reasons)
        assert "draft phase" in text.lower() or "Draft phase" in text
        assert "organisation you coordinate" in text
        assert "already nominated" in text
        assert "2 years of service" in text and "at least 10" in text
        assert "1 earlier assignments" in text
        assert "on an assignment now" in text
        assert len(reasons) == 6

    def test_outside_the_program(self, world):
        world.cycle.state = "opportunities"
        assert "does not take part" in " ".join(check(world.outsider, world.cycle, TODAY))

    def test_a_finished_assignment_is_not_current(self, world):
        world.cycle.state = "nominations"
        MobilityRecordFactory(person=world.person_a, ended_on=datetime.date(2026, 12, 31))
        assert check(world.person_a, world.cycle, TODAY) == []
