"""A series' dates: an RFC 5545 recurrence rule (python-dateutil's ``rrule``) between two days,
at one time of day in one time zone.

The rule says how often (``FREQ=MONTHLY;BYDAY=+1TU``); the bounds come from the series (its
first and last day), so a rule may not carry its own ``DTSTART``, ``UNTIL`` or ``COUNT``.
Expansion stops at ``MAX_SESSIONS`` dates: a rule that would give more is refused with a
message, as is one that gives none. Each date is made aware in the series' time zone (so a
monthly session stays at 17:00 local time across a daylight-saving change) and stored in UTC.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]  # no stubs
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused

MAX_SESSIONS = 60
# Sub-daily rules make no sense for a cohort's calendar and could run for a long time.
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
FORBIDDEN_PARTS = {"DTSTART", "UNTIL", "COUNT"}


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    ends_at: datetime


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ActionRefused(_("“%(zone)s” is not a time zone we know.") % {"zone": name}) from None


def parse_rule(text: str, start: datetime) -> rrule:
    """The rule, or ActionRefused with what is wrong in it."""
    cleaned = text.strip().removeprefix("RRULE:").upper()
    parts = {p.split("=", 1)[0] for p in cleaned.split(";") if p}
    if not cleaned or "FREQ" not in parts:
        raise ActionRefused(_("The recurrence rule needs a frequency, e.g. FREQ=MONTHLY."))
    if parts & FORBIDDEN_PARTS:
        raise ActionRefused(
            _(
                "Leave DTSTART, UNTIL and COUNT out of the rule: the series' first and last "
                "days bound it."
            )
        )
    frequency = next(p.split("=", 1)[1] for p in cleaned.split(";") if p.startswith("FREQ="))
    if frequency not in ALLOWED_FREQUENCIES:
        raise ActionRefused(
            _("Sessions repeat daily at most often: use DAILY, WEEKLY, MONTHLY or YEARLY.")
        )
    try:
        parsed = rrulestr(cleaned, dtstart=start)
    except (ValueError, TypeError) as error:
        raise ActionRefused(
            _("The recurrence rule cannot be read (%(error)s).") % {"error": error}
        ) from None
    if not isinstance(parsed, rrule):
        raise ActionRefused(_("Give one recurrence rule."))
    return parsed


def expand(
    rule: str,
    first_day: date,
    last_day: date,
    start_time: time,
    minutes: int,
    time_zone: str,
) -> list[Occurrence]:
    """Every session of the series, in order, none twice, all within [first_day, last_day]."""
    if last_day < first_day:
        raise ActionRefused(_("The series must end on or after its first day."))
    if minutes <= 0:
        raise ActionRefused(_("A session must end after it starts."))
    tz = zone(time_zone)
    start = datetime.combine(first_day, start_time)
    parsed = parse_rule(rule, start).replace(until=datetime.combine(last_day, time.max))
    local = list(itertools.islice(parsed, MAX_SESSIONS + 1))
    if not local:
        raise ActionRefused(
            _("This rule gives no date between %(first)s and %(last)s.")
            % {"first": first_day.isoformat(), "last": last_day.isoformat()}
        )
    if len(local) > MAX_SESSIONS:
        raise ActionRefused(
            _(
                "This rule gives more than %(max)s dates between %(first)s and %(last)s. "
                "Repeat less often or end the series sooner."
            )
            % {"max": MAX_SESSIONS, "first": first_day.isoformat(), "last": last_day.isoformat()}
        )
    length = timedelta(minutes=minutes)
    occurrences = []
    for moment in local:
        aware = moment.replace(tzinfo=tz)
        occurrences.append(Occurrence(aware, aware + length))
    return occurrences
