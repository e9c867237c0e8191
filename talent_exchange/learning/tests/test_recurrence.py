"""A series' rule expands into dates within its bounds, none twice, capped with a message."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.learning.forms import monthly_rule
from talent_exchange.learning.recurrence import MAX_SESSIONS, expand

RULES = st.sampled_from(
    [
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2",
        "FREQ=MONTHLY;BYDAY=+1TU",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY",
        "FREQ=DAILY;BYDAY=MO,WE",
        "FREQ=YEARLY",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=+2TH",
    ]
)
ZONES = st.sampled_from(["UTC", "America/Los_Angeles", "America/Edmonton", "Europe/Paris"])


@given(
    rule=RULES,
    first=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
    start=st.times(),
    minutes=st.integers(min_value=5, max_value=600),
    zone=ZONES,
)
def test_every_session_is_within_the_bounds_and_none_twice(rule, first, days, start, minutes, zone):
    last = first + timedelta(days=days)
    try:
        found = expand(rule, first, last, start, minutes, zone)
    except ActionRefused as refusal:
        assert "no date" in refusal.message or str(MAX_SESSIONS) in refusal.message
        return
    assert 1 <= len(found) <= MAX_SESSIONS
    starts = [o.starts_at for o in found]
    assert len(set(starts)) == len(starts)
    assert starts == sorted(starts)
    for occurrence in found:
        local = occurrence.starts_at
        assert first <= local.date() <= last
        assert str(local.tzinfo) == zone
        assert occurrence.ends_at - occurrence.starts_at == timedelta(minutes=minutes)


def test_monthly_on_the_first_tuesday():
    found = expand(
        "FREQ=MONTHLY;BYDAY=+1TU", date(2027, 1, 1), date(2027, 6, 30), time(17), 90, "UTC"
    )
    assert [o.starts_at.date() for o in found] == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]


def test_local_time_is_kept_across_daylight_saving():
    found = expand(
        "FREQ=MONTHLY;BYDAY=+1TU",
        date(2027, 1, 1),
        date(2027, 6, 30),
        time(17),
        60,
        "America/Los_Angeles",
    )
    assert {o.starts_at.hour for o in found} == {17}
    assert found[0].starts_at.utcoffset() != found[-1].starts_at.utcoffset()


def test_the_form_builds_the_same_weekday_of_the_month():
    assert monthly_rule(date(2027, 1, 5)) == "FREQ=MONTHLY;BYDAY=+1TU"
    assert monthly_rule(date(2027, 1, 29)) == "FREQ=MONTHLY;BYDAY=-1FR"


@pytest.mark.parametrize(
    ("rule", "first", "last", "message"),
    [
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", date(2027, 1, 1), date(2030, 1, 1), "no date"),
        ("FREQ=DAILY", date(2027, 1, 1), date(2036, 1, 1), "more than 60 dates"),
        ("FREQ=HOURLY", date(2027, 1, 1), date(2027, 1, 2), "daily at most"),
        ("FREQ=WEEKLY;COUNT=3", date(2027, 1, 1), date(2027, 3, 1), "Leave DTSTART"),
        ("BYDAY=MO", date(2027, 1, 1), date(2027, 3, 1), "needs a frequency"),
        ("FREQ=WEEKLY;BYDAY=XX", date(2027, 1, 1), date(2027, 3, 1), "cannot be read"),
        ("FREQ=WEEKLY", date(2027, 3, 1), date(2027, 1, 1), "end on or after"),
    ],
)
def test_bad_rules_are_refused_with_a_message(rule, first, last, message):
    with pytest.raises(ActionRefused, match=message):
        expand(rule, first, last, time(9), 60, "UTC")


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ActionRefused, match="not a time zone"):
        expand("FREQ=WEEKLY", date(2027, 1, 1), date(2027, 2, 1), time(9), 60, "Mars/Olympus")
