"""Reminders of a phase closing, on each program's reminder schedule (its settings page):
the coordinators of the organisations taking part hear, the set number of days before the
cycle's current phase closes, what they must do by then. Part of the one reminder run
(``placements.reminders.send_reminders``); each reminder's key names the cycle, the phase
and the day count, so it is sent once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import F
from django.urls import reverse

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.notifications.services import absolute_url

from .dashboard import COORDINATOR_STEPS
from .models import CyclePhase, Phase, Program

# Phases in which the coordinators have something to do (matching is the administrator's).
_COORDINATORS_ACT = {Phase.NOMINATIONS, Phase.OPPORTUNITIES, Phase.PREFERENCES, Phase.INTERVIEWS}


def phase_closing(today: date) -> Iterator[tuple[str, tuple[Any, ...], str, dict[str, Any]]]:
    """(key, recipients, template, context) for every reminder due today. Three queries."""
    current = (
        CyclePhase.objects.filter(
            cycle__state=F("phase"),
            phase__in=_COORDINATORS_ACT,
            closes_on__gte=today,
            closes_on__lte=today + timedelta(days=365),
        )
        .select_related("cycle__program")
        .order_by("closes_on", "pk")
    )
    due = [
        (p, (p.closes_on - today).days)
        for p in current
        if (p.closes_on - today).days in (p.cycle.program.reminder_days or [])
    ]
    if not due:
        return
    orgs = Program.organization_ids_by_program({p.cycle.program_id for p, _days in due})
    coordinators = RoleGrant.objects.coordinators_by_organization(
        {oid for ids in orgs.values() for oid in ids}
    )
    for phase, days in due:
        cycle = phase.cycle
        users = {
            u.pk: u
            for oid in sorted(orgs.get(cycle.program_id, ()))
            for u in coordinators.get(oid, [])
            if u.email
        }
        if not users:
            continue
        yield (
            f"programs:phase:{cycle.pk}:{phase.phase}:{phase.closes_on.isoformat()}:{days}",
            tuple(users.values()),
            "programs/phase_reminder",
            {
                "cycle": cycle,
                "phase": phase,
                "days": days,
                "step": COORDINATOR_STEPS.get(phase.phase, ""),
                "link": absolute_url(reverse("programs:cycle", args=[cycle.pk])),
            },
        )
