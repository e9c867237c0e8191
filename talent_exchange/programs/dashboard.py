"""The programs app's part of the dashboard (core/dashboard.py): a coordinator's invitations
to join a program, and the cycles an administrator runs, with their phase and next step."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from talent_exchange.core.dashboard import Section, section

from .models import (
    Cycle,
    CyclePhase,
    Phase,
    Program,
    ProgramInvitation,
    allowed_transitions,
)


@section("programs.invitations")
def invitations(user, roles, today: date) -> Section | None:
    """A coordinator sees the invitations to join a program that wait for their answer."""
    if not roles.coordinator_org_ids:
        return None
    waiting = list(
        ProgramInvitation.objects.awaiting_answer_from(user).select_related(
            "program", "organization", "invited_by"
        )
    )
    if not waiting:
        return None
    return Section(
        title=_("Invitations waiting for your answer (%(n)d)") % {"n": len(waiting)},
        template="programs/dashboard/invitations.html",
        context={"invitations": waiting},
    )


@section("programs.cycles_you_run")
def cycles_you_run(user, roles, today: date) -> Section | None:
    if not (roles.is_program_admin or roles.is_superuser):
        return None
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
        rows.append(
            {
                "cycle": cycle,
                "current": current,
                "next_phase": next_phase,
                "overdue": bool(current and current.closes_on < today),
                "days_left": (current.closes_on - today).days if current else None,
            }
        )
    return Section(
        _("Cycles you run"), "programs/dashboard/cycles.html", {"rows": rows}, "dashboard-admin"
    )
