"""When rankings may change, as one pure function of the cycle's phase and the dates.

- Participants rank opportunities while the cycle is in the preferences or interviews phase,
  up to and including the day the **preferences** phase closes (its CyclePhase row).
- Hosts rank candidates while the cycle is in the preferences or interviews phase, up to and
  including the day the **interviews** phase closes — they rank after interviewing.
- A phase without dates has no date limit: the phase alone decides.
- The program administrator may change either ranking in the preferences, interviews and
  matching phases at any date. When the window is closed for participants and hosts, that is
  a *late change*: it needs a reason, which is kept in the ranking's history.
- Before the preferences phase and from placements on, nobody changes rankings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

PARTICIPANT = "participant"
HOST = "host"

OPEN_PHASES = frozenset({"preferences", "interviews"})
ADMIN_PHASES = frozenset({"preferences", "interviews", "matching"})
DEADLINE_PHASE = {PARTICIPANT: "preferences", HOST: "interviews"}


@dataclass(frozen=True)
class RankingWindow:
    """Whether participants (or hosts) may change their rankings today, and until when."""

    is_open: bool
    closes_on: date | None
    days_left: int | None
    why_closed: str = ""


@dataclass(frozen=True)
class ChangeDecision:
    allowed: bool
    late: bool = False  # an administrator acting outside the window: a reason is required
    message: str = ""


def ranking_window(
    kind: str, *, cycle_state: str, closes_on: date | None, today: date
) -> RankingWindow:
    days_left = (closes_on - today).days if closes_on else None
    if cycle_state not in OPEN_PHASES:
        return RankingWindow(
            False,
            closes_on,
            days_left,
            _("Rankings are open only in the preferences and interviews phases."),
        )
    if closes_on is not None and today > closes_on:
        return RankingWindow(
            False,
            closes_on,
            days_left,
            _("Rankings closed on %(date)s.") % {"date": format_date(closes_on, "j M Y")},
        )
    return RankingWindow(True, closes_on, days_left)


def may_change_ranking(
    kind: str, *, cycle_state: str, closes_on: date | None, today: date, by_administrator: bool
) -> ChangeDecision:
    """May this ranking change today? ``kind`` is PARTICIPANT or HOST."""
    window = ranking_window(kind, cycle_state=cycle_state, closes_on=closes_on, today=today)
    if window.is_open:
        return ChangeDecision(True)
    if by_administrator and cycle_state in ADMIN_PHASES:
        return ChangeDecision(
            True,
            late=True,
            message=_("This is a late change: say why. The reason is kept in the history."),
        )
    if by_administrator:
        return ChangeDecision(
            False,
            message=_(
                "Rankings can be changed only in the preferences, interviews and matching phases."
            ),
        )
    return ChangeDecision(
        False,
        message=window.why_closed
        + " "
        + _("Ask the program administrator if a change is still needed."),
    )
