"""The compliance function against its definition (compliance.py's docstring)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from talent_exchange.development.compliance import (
    Exemption,
    Rule,
    Status,
    Stint,
    add_years,
    counts,
    days_served,
    mobility_status,
)

TODAY = date(2027, 6, 1)
TYPES = ["detail", "rotation", "ipa", "liaison"]

rules_ = st.builds(
    Rule,
    interval_years=st.integers(1, 10),
    min_days=st.integers(1, 400),
    counted_types=st.frozensets(st.sampled_from(TYPES), min_size=1),
    due_within_months=st.integers(0, 24),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def stints(draw):
    start = draw(days)
    length = draw(st.one_of(st.none(), st.integers(0, 2000)))
    end = None if length is None else start + timedelta(days=length)
    return Stint(draw(st.sampled_from(TYPES)), start, end)


@st.composite
def exemptions(draw):
    start = draw(days)
    return Exemption(start, start + timedelta(days=draw(st.integers(0, 2000))))


histories = st.lists(stints(), max_size=6)


@given(rules_, histories, st.lists(exemptions(), max_size=3), days, st.data())
def test_a_stint_shorter_than_the_minimum_never_counts(rule, history, exempt, today, data):
    kind = data.draw(st.sampled_from(TYPES))
    served = data.draw(st.integers(0, rule.min_days - 1))
    if served:  # ended after ``served`` days, at any time before or after today
        start = data.draw(days)
        short = Stint(kind, start, start + timedelta(days=served - 1))
    else:  # or still on it today, having served fewer days than the minimum
        short = Stint(
            kind, today - timedelta(days=data.draw(st.integers(-30, rule.min_days - 2))), None
        )
    assert not counts(rule, short, today) or days_served(short, today) >= rule.min_days
    if days_served(short, today) < rule.min_days:
        assert mobility_status(rule, [*history, short], exempt, today) == mobility_status(
            rule, history, exempt, today
        )


@given(rules_, histories, stints(), days)
def test_a_type_the_rule_does_not_count_never_counts(rule, history, stint, today):
    other = Stint("not-counted", stint.started_on, stint.ended_on)
    assert mobility_status(rule, [*history, other], [], today) == mobility_status(
        rule, history, [], today
    )


@given(rules_, histories, exemptions(), days)
def test_a_valid_exception_always_wins(rule, history, exemption, today):
    if exemption.starts_on <= today <= exemption.ends_on:
        assert mobility_status(rule, history, [exemption], today).status == Status.EXEMPT


@given(rules_, histories, exemptions(), days)
def test_an_exception_out_of_its_dates_changes_nothing(rule, history, exemption, today):
    if not exemption.starts_on <= today <= exemption.ends_on:
        assert mobility_status(rule, history, [exemption], today) == mobility_status(
            rule, history, [], today
        )


@given(rules_, histories, days)
def test_the_status_follows_the_last_stint_that_counts(rule, history, today):
    verdict = mobility_status(rule, history, [], today)
    counted = [s for s in history if counts(rule, s, today)]
    assert verdict.status != Status.EXEMPT
    if not counted:
        assert verdict.status == Status.OVERDUE
    elif any(s.ended_on is None or s.ended_on >= today for s in counted):
        assert verdict.status == Status.COMPLIANT
    else:
        last_end = max(s.ended_on for s in counted)
        due = add_years(last_end, rule.interval_years)
        assert verdict.due_on == due
        assert (verdict.status == Status.OVERDUE) == (today > due)


@given(rules_, days, st.sampled_from(TYPES))
def test_a_long_enough_current_assignment_makes_one_compliant(rule, start, kind):
    today = start + timedelta(days=rule.min_days + 5)
    stint = Stint(kind, start, None)
    expected = Status.COMPLIANT if kind in rule.counted_types else Status.OVERDUE
    assert mobility_status(rule, [stint], [], today).status == expected


def test_the_fourteen_day_acting_stint_does_not_count():
    rule = Rule(interval_years=5, min_days=120, counted_types=frozenset({"detail"}))
    old = Stint("detail", date(2019, 1, 1), date(2019, 12, 31))
    acting = Stint("detail", date(2027, 3, 1), date(2027, 3, 14))
    assert days_served(acting, TODAY) == 14
    verdict = mobility_status(rule, [old, acting], [], TODAY)
    assert verdict.status == Status.OVERDUE
    assert "2019-12-31" in verdict.reason


def test_due_within_the_window_then_overdue():
    rule = Rule(
        interval_years=5, min_days=120, counted_types=frozenset({"detail"}), due_within_months=6
    )
    stint = Stint("detail", date(2021, 1, 1), date(2022, 3, 1))
    assert mobility_status(rule, [stint], [], date(2026, 6, 1)).status == Status.COMPLIANT
    assert mobility_status(rule, [stint], [], date(2026, 10, 1)).status == Status.DUE
    assert mobility_status(rule, [stint], [], date(2027, 3, 2)).status == Status.OVERDUE
    # exactly the minimum counts (both ends included)
    edge = Stint("detail", date(2027, 1, 1), date(2027, 1, 1) + timedelta(days=119))
    assert days_served(edge, TODAY) == 120
    assert counts(rule, edge, TODAY)
