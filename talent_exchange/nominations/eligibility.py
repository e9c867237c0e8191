"""Who may be nominated into a cycle: the program's eligibility rules, with a reason a
coordinator understands for every refusal.

``check(person, cycle, today)`` gathers the facts (a few queries) and hands them to
``refusals(facts, today)``, a pure function the property tests exercise directly.

Nominations are accepted while the cycle is in the *nominations* or the *opportunities*
phase: phases overlap in practice (hosts post while late nominations arrive), and both come
before participants rank opportunities. From *preferences* on, the list of candidates is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

NOMINATION_PHASES = frozenset({"nominations", "opportunities"})


@dataclass(frozen=True)
class Facts:
    """Everything the rules look at, as plain values."""

    cycle_state: str
    cycle_state_label: str
    program_name: str
    program_organization_ids: frozenset[int]
    min_years_of_service: int
    max_moves: int | None
    person_organization_id: int
    years_of_service: int
    # (started_on, ended_on) of each earlier assignment; ended_on None means still running
    assignments: tuple[tuple[date, date | None], ...]
    already_nominated: bool
    # the organisations the nominating coordinator speaks for; None when nobody is nominating
    nominating_organization_ids: frozenset[int] | None = None


def refusals(facts: Facts, today: date) -> list[str]:
    """Why this person cannot be nominated; an empty list means they can."""
    reasons: list[str] = []
    if facts.cycle_state not in NOMINATION_PHASES:
        reasons.append(
            _(
                "The cycle is in the %(phase)s phase; nominations are accepted only in the "
                "nominations and opportunities phases."
            )
            % {"phase": facts.cycle_state_label}
        )
    if facts.person_organization_id not in facts.program_organization_ids:
        reasons.append(
            _("Their organisation does not take part in %(program)s.")
            % {"program": facts.program_name}
        )
    if (
        facts.nominating_organization_ids is not None
        and facts.person_organization_id not in facts.nominating_organization_ids
    ):
        reasons.append(_("They do not work for an organisation you coordinate."))
    if facts.already_nominated:
        reasons.append(_("They are already nominated in this cycle."))
    if facts.years_of_service < facts.min_years_of_service:
        reasons.append(
            _("They have %(years)s years of service; the program requires at least %(min)s.")
            % {"years": facts.years_of_service, "min": facts.min_years_of_service}
        )
    moves = len(facts.assignments)
    if facts.max_moves is not None and moves >= facts.max_moves:
        reasons.append(
            _(
                "They have had %(moves)s earlier assignments; the program accepts people with "
                "fewer than %(max)s."
            )
            % {"moves": moves, "max": facts.max_moves}
        )
    if any(ended is None or ended > today for _started, ended in facts.assignments):
        reasons.append(_("They are on an assignment now (it has not ended yet)."))
    return reasons


def facts_for(person, cycle, *, nominating_organization_ids=None) -> Facts:
    from talent_exchange.people.models import MobilityRecord

    from .models import Nomination

    program = cycle.program
    # Only participating organisations send people; the administering one just runs it.
    participating = set(
        program.participating_organizations.through.objects.filter(
            program_id=program.pk
        ).values_list("organization_id", flat=True)
    )
    return Facts(
        cycle_state=cycle.state,
        cycle_state_label=str(cycle.get_state_display()),
        program_name=program.short_name or program.name,
        program_organization_ids=frozenset(participating),
        min_years_of_service=program.min_years_of_service,
        max_moves=program.max_moves,
        person_organization_id=person.organization_id,
        years_of_service=person.years_of_service,
        assignments=tuple(
            MobilityRecord.objects.filter(person=person).values_list("started_on", "ended_on")
        ),
        already_nominated=Nomination.objects.filter(cycle=cycle, person=person).exists(),
        nominating_organization_ids=None
        if nominating_organization_ids is None
        else frozenset(nominating_organization_ids),
    )


def check(person, cycle, today: date, *, nominating_organization_ids=None) -> list[str]:
    """The reasons ``person`` cannot be nominated into ``cycle`` on ``today`` (empty: eligible)."""
    facts = facts_for(person, cycle, nominating_organization_ids=nominating_organization_ids)
    return refusals(facts, today)


def overlapping_interviews(person, cycle) -> list[str]:
    """The other cycles in which ``person`` has a live nomination and whose interview dates
    overlap this cycle's (none when this cycle has no interview dates yet)."""
    from talent_exchange.programs.models import CyclePhase

    from .models import NominationStatus

    mine = CyclePhase.objects.filter(cycle=cycle, phase="interviews").first()
    if mine is None:
        return []
    clashes = (
        CyclePhase.objects.filter(
            phase="interviews",
            opens_on__lte=mine.closes_on,
            closes_on__gte=mine.opens_on,
            cycle__nominations__person=person,
            cycle__nominations__status__in=[
                NominationStatus.AWAITING_ENDORSEMENT,
                NominationStatus.ENDORSED,
            ],
        )
        .exclude(cycle=cycle)
        .exclude(cycle__state="closed")
        .select_related("cycle__program")
        .order_by("opens_on", "pk")
    )
    return [str(phase.cycle) for phase in clashes]
