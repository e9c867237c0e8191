"""What goes on each role's dashboard. Each section is built with a fixed number of queries
so the page does not grow with the number of programs or people."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from talent_exchange.accounts.roles import UserRoles
from talent_exchange.core import hooks
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.people.presenters import missing_profile_parts, years_since_last_assignment
from talent_exchange.programs.models import (
    Cycle,
    CyclePhase,
    Phase,
    Program,
    allowed_transitions,
)

# An executive should take a developmental assignment at least every this many years
# (OPM's guideline is every 3 to 5 years; boards see people past the lower bound).
DEVELOPMENT_INTERVAL_YEARS = 3


def build(user, roles: UserRoles, today: date) -> dict:
    sections: dict = {"roles": roles, "today": today}
    if roles.is_program_admin or roles.is_superuser:
        sections["admin_cycles"] = _admin_cycles(user, roles, today)
    if roles.is_coordinator:
        sections["coordinated"] = _coordinated(roles)
    if roles.supervisor_org_ids and roles.person_id:
        sections["reports"] = list(Person.objects.filter(supervisor_id=roles.person_id).with_card())
    if roles.is_participant and roles.person_id:
        sections["own_profile"] = _own_profile(roles)
    if roles.panelist_cycle_ids:
        sections["panel_cycles"] = list(
            Cycle.objects.filter(pk__in=roles.panelist_cycle_ids).select_related("program")
        )
    if roles.board_program_ids:
        sections["due_for_development"] = _due_for_development(roles, today)
    if roles.is_auditor:
        from talent_exchange.audit.trail import recent_changes

        sections["recent_changes"] = recent_changes(limit=10)
    sections["app_sections"] = hooks.dashboard_sections(user, roles, today)
    return sections


def _admin_cycles(user, roles: UserRoles, today: date) -> list[dict]:
    cycles = (
        Cycle.objects.filter(program__in=Program.objects.administered_by(user))
        .exclude(state="closed")
        .select_related("program")
        .prefetch_related(Prefetch("phases", queryset=CyclePhase.objects.order_by("opens_on")))
    )
    rows = []
    for cycle in cycles:
        current = next((p for p in cycle.phases.all() if p.phase == cycle.state), None)
        next_phase = Phase(allowed_transitions(cycle.state)[0]).label
        overdue = bool(current and current.closes_on < today)
        rows.append(
            {
                "cycle": cycle,
                "current": current,
                "next_phase": next_phase,
                "overdue": overdue,
                "days_left": (current.closes_on - today).days if current else None,
            }
        )
    return rows


def _coordinated(roles: UserRoles) -> list[dict]:
    orgs = Organization.objects.filter(pk__in=roles.coordinator_org_ids).annotate(
        headcount=Count("people")
    )
    people = Person.objects.filter(organization_id__in=roles.coordinator_org_ids).prefetch_related(
        "skills"
    )
    incomplete: dict[int, list[Person]] = {}
    for person in people:
        if missing_profile_parts(person):
            incomplete.setdefault(person.organization_id, []).append(person)
    return [
        {"organization": org, "headcount": org.headcount, "incomplete": incomplete.get(org.pk, [])}
        for org in orgs
    ]


def _own_profile(roles: UserRoles) -> dict:
    person = Person.objects.with_card().prefetch_related("mobility_history").get(pk=roles.person_id)
    return {"person": person, "missing": missing_profile_parts(person)}


def _due_for_development(roles: UserRoles, today: date) -> list[dict]:
    people = (
        Person.objects.filter(organization_id__in=roles.board_org_ids)
        .select_related("organization")
        .prefetch_related("mobility_history")
    )
    due = []
    for person in people:
        years = years_since_last_assignment(person, today)
        if years is None or years >= DEVELOPMENT_INTERVAL_YEARS:
            due.append(
                {
                    "person": person,
                    "years": years,
                    "why": _("never on a developmental assignment")
                    if years is None
                    else _("last assignment ended %(years)s years ago") % {"years": years},
                }
            )
    due.sort(key=lambda row: (row["years"] is not None, -(row["years"] or 0)))
    return due
