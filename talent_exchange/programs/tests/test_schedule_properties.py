"""The dates of a cycle's phases (programs/schedule.py): valid exactly when the rules,
written out independently here, hold; moving a schedule (a copied cycle) keeps it so."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from talent_exchange.programs.schedule import DATED_PHASES, phase_date_errors, shifted, span

# -- the property: valid exactly when the rules, written out independently, hold -----------

day = st.integers(min_value=0, max_value=60)
schedules = st.lists(
    st.tuples(day, st.integers(min_value=-3, max_value=20)), min_size=6, max_size=6
)
START = date(2027, 1, 4)


def _dates(rows) -> dict:
    return {
        phase: (START + timedelta(days=o), START + timedelta(days=o + length))
        for phase, (o, length) in zip(DATED_PHASES, rows, strict=True)
    }


def _intended(dates: dict, may_overlap: bool) -> bool:
    """The rules in other words: every phase is a non-empty run of days; sorted by when
    they open (ties by phase order) and by when they close, the phases keep their order;
    and without overlap, no two phases share a day."""
    spans = [dates[p] for p in DATED_PHASES]
    if any(closes < opens for opens, closes in spans):
        return False
    order = list(range(len(spans)))
    if sorted(order, key=lambda i: (spans[i][0], i)) != order:
        return False
    if sorted(order, key=lambda i: (spans[i][1], i)) != order:
        return False
    if not may_overlap:
        for i in order:
            for j in order:
                if i < j and spans[j][0] <= spans[i][1]:
                    return False
    return True


@settings(max_examples=300, deadline=None)
@given(rows=schedules, may_overlap=st.booleans(), shift=st.integers(min_value=-400, max_value=400))
def test_a_schedule_is_valid_exactly_when_the_rules_hold(rows, may_overlap, shift):
    dates = _dates(rows)
    errors = phase_date_errors(dates, phases_may_overlap=may_overlap)
    assert (errors == {}) == _intended(dates, may_overlap)
    # Every problem is said beside one of the two days of a phase.
    assert all(p.field in ("opens", "closes") and p.message for p in errors.values())
    # A copy keeps the rhythm: moved by any number of days, a schedule stays (in)valid.
    moved = shifted(dates, shift)
    assert phase_date_errors(moved, phases_may_overlap=may_overlap).keys() == errors.keys()
    assert span(moved) == tuple(d + timedelta(days=shift) for d in span(dates))


def test_a_missing_day_is_a_problem():
    dates = _dates([(0, 5)] * 6)
    dates["interviews"] = (None, dates["interviews"][1])
    problem = phase_date_errors(dates, phases_may_overlap=True)["interviews"]
    assert problem.field == "opens"
