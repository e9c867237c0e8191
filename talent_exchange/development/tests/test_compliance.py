"""The compliance function against its definition (compliance.py's docstring)."""

from __future__ import annotations

from dataclasses import replace
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
    moves_counted,
    reached_on,
)

TODAY = date(2027, 6, 1)
TYPES = ["detail", "rotation", "ipa", "liaison"]

rules_ = st.builds(
    Rule,
    interval_years=st.integers(1, 10),
    min_days=st.integers(1, 400),
    counted_types=st.frozensets(st.sampled_from(TYPES), min_size=1),
    due_within_months=st.integers(0, 24),
    min_moves=st.one_of(st.none(), st.integers(0, 4)),
    max_moves=st.one_of(st.none(), st.integers(0, 4)),
    moves_period_years=st.one_of(st.none(), st.integers(1, 15)),
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


def without_limits(rule: Rule) -> Rule:
    return replace(rule, min_moves=None, max_moves=None)


@given(rules_, histories, days)
def test_the_status_follows_the_last_stint_that_counts(rule, history, today):
    rule = without_limits(rule)
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
    rule = without_limits(rule)
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


# --- minimum and maximum moves ----------------------------------------------------------------


def on_assignment(rule, history, today) -> bool:
    return any(
        counts(rule, s, today) and (s.ended_on is None or s.ended_on >= today) for s in history
    )


@given(rules_, histories, days)
def test_at_the_maximum_no_move_is_ever_due(rule, history, today):
    verdict = mobility_status(rule, history, [], today)
    moves = moves_counted(rule, history, today)
    assert verdict.moves == moves
    if rule.max_moves is not None and moves >= rule.max_moves:
        assert verdict.status == Status.COMPLIANT
        assert verdict.due_on is None or verdict.due_on >= today


@given(rules_, histories, days)
def test_below_the_minimum_one_is_never_compliant_unless_on_assignment(rule, history, today):
    verdict = mobility_status(rule, history, [], today)
    moves = moves_counted(rule, history, today)
    at_max = rule.max_moves is not None and moves >= rule.max_moves
    if rule.min_moves is not None and moves < rule.min_moves and not at_max:
        interval_only = mobility_status(without_limits(rule), history, [], today)
        if on_assignment(rule, history, today):
            assert verdict.status == Status.COMPLIANT
        elif interval_only.status == Status.COMPLIANT:
            assert verdict.status == Status.DUE
            assert f"of the {rule.min_moves} moves" in verdict.reason
        else:  # already due or overdue under the interval
            assert verdict == interval_only


@given(rules_, histories, days)
def test_limits_that_do_not_bind_change_nothing(rule, history, today):
    moves = moves_counted(rule, history, today)
    below_max = rule.max_moves is None or moves < rule.max_moves
    min_met = rule.min_moves is None or moves >= rule.min_moves
    if below_max and min_met:
        assert mobility_status(rule, history, [], today) == mobility_status(
            without_limits(rule), history, [], today
        )


@given(rules_, histories, exemptions(), days)
def test_a_valid_exception_wins_over_the_limits_too(rule, history, exemption, today):
    if exemption.starts_on <= today <= exemption.ends_on:
        verdict = mobility_status(rule, history, [exemption], today)
        assert verdict.status == Status.EXEMPT
        assert verdict.moves is None


@given(rules_, histories, days, st.integers(0, 3000))
def test_a_move_before_the_period_does_not_count_towards_the_limits(rule, history, today, length):
    if rule.moves_period_years is None:
        return
    since = add_years(today, -rule.moves_period_years)
    # counts (long enough, a counted type), but reached its minimum on or before the period
    start = date.fromordinal(since.toordinal() - rule.min_days + 1 - length)
    old = Stint(sorted(rule.counted_types)[0], start, start + timedelta(days=rule.min_days - 1))
    assert counts(rule, old, today) and reached_on(rule, old) <= since
    assert moves_counted(rule, [*history, old], today) == moves_counted(rule, history, today)


def test_the_minimum_makes_a_compliant_executive_due_with_the_reason():
    rule = Rule(interval_years=5, min_days=120, counted_types=frozenset({"detail"}), min_moves=2)
    one = Stint("detail", date(2025, 1, 1), date(2025, 12, 31))
    verdict = mobility_status(rule, [one], [], TODAY)
    assert verdict.status == Status.DUE
    assert verdict.moves == 1
    assert "1 of the 2 moves" in verdict.reason and "in a career" in verdict.reason
    two = Stint("detail", date(2023, 1, 1), date(2023, 12, 31))
    assert mobility_status(rule, [one, two], [], TODAY).status == Status.COMPLIANT


def test_the_minimum_over_a_period_forgets_older_moves():
    rule = Rule(
        interval_years=5,
        min_days=120,
        counted_types=frozenset({"detail"}),
        min_moves=2,
        moves_period_years=10,
    )
    recent = Stint("detail", date(2025, 1, 1), date(2025, 12, 31))
    old = Stint("detail", date(2010, 1, 1), date(2010, 12, 31))
    verdict = mobility_status(rule, [recent, old], [], TODAY)
    assert verdict.status == Status.DUE
    assert "in the last 10 years" in verdict.reason
    career = replace(rule, moves_period_years=None)
    assert mobility_status(career, [recent, old], [], TODAY).status == Status.COMPLIANT


def test_the_maximum_ends_what_is_due_with_the_reason():
    rule = Rule(interval_years=5, min_days=120, counted_types=frozenset({"detail"}), max_moves=2)
    moves = [
        Stint("detail", date(2012, 1, 1), date(2012, 12, 31)),
        Stint("detail", date(2015, 1, 1), date(2015, 12, 31)),
    ]
    assert mobility_status(without_limits(rule), moves, [], TODAY).status == Status.OVERDUE
    verdict = mobility_status(rule, moves, [], TODAY)
    assert verdict.status == Status.COMPLIANT
    assert verdict.due_on is None
    assert "maximum is 2" in verdict.reason
    # more than the maximum: still compliant, and the reason says so
    more = [*moves, Stint("detail", date(2027, 1, 1), None)]
    verdict = mobility_status(rule, more, [], TODAY)
    assert verdict.status == Status.COMPLIANT
    assert "more than the rule's maximum of 2" in verdict.reason
