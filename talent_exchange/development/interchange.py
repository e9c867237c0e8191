"""Interchange-style reporting: each assignment is reported when its agreement is signed and
within 30 days of any change, and listed on the administrator's dashboard until filed; the
records of a closed placement are kept until a retention date (the program's
``retention_years`` after the close; the privacy app purges them then)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from talent_exchange.placements.models import (
    Party,
    Placement,
    PlacementTransition,
    Signature,
)
from talent_exchange.placements.models import Status as PlacementStatus
from talent_exchange.programs.models import ProgramShape

from .compliance import add_years
from .models import AssignmentReport

REPORT_WITHIN = timedelta(days=30)
CHANGES = (PlacementStatus.EXTENDED, PlacementStatus.ENDED_EARLY, PlacementStatus.RETURNED)


@dataclass(frozen=True)
class ReportDue:
    placement: Placement
    occasion: str
    why: str
    due_on: date


def reports_due(program_ids: Iterable[int], today: date) -> list[ReportDue]:
    """Reports not filed yet, for the interchange programs among ``program_ids`` (four
    queries in all)."""
    placements = {
        p.pk: p
        for p in Placement.objects.filter(
            program_id__in=list(program_ids), program__shape=ProgramShape.INTERCHANGE
        ).select_related("person", "host_organization")
    }
    if not placements:
        return []
    filed = set(
        AssignmentReport.objects.filter(placement_id__in=placements).values_list(
            "placement_id", "occasion"
        )
    )
    due: list[ReportDue] = []
    signed = (
        Signature.objects.filter(agreement__placement_id__in=placements)
        .values("agreement__placement_id", "version")
        .annotate(parties=Count("party", distinct=True), last=Max("signed_at"))
        .filter(parties=len(Party.values))
    )
    for row in signed:
        occasion = f"signed:v{row['version']}"
        placement_id = row["agreement__placement_id"]
        if (placement_id, occasion) not in filed:
            due.append(
                ReportDue(
                    placements[placement_id],
                    occasion,
                    _("agreement signed (version %(v)s)") % {"v": row["version"]},
                    row["last"].date(),
                )
            )
    for move in PlacementTransition.objects.filter(
        placement_id__in=placements, to_state__in=CHANGES
    ).values("pk", "placement_id", "to_state", "at"):
        occasion = f"change:{move['pk']}"
        if (move["placement_id"], occasion) not in filed:
            due.append(
                ReportDue(
                    placements[move["placement_id"]],
                    occasion,
                    _("changed: %(state)s") % {"state": PlacementStatus(move["to_state"]).label},
                    move["at"].date() + REPORT_WITHIN,
                )
            )
    return sorted(due, key=lambda r: (r.due_on, r.placement.pk, r.occasion))


def retention_until(placement: Placement, closed_on: date) -> date:
    """The date until which a closed placement's records are kept."""
    return add_years(closed_on, placement.program.retention_years)


def retention_dates(program_ids: Iterable[int]) -> list[tuple[Placement, date]]:
    """Closed placements of these programs and their retention dates (two queries)."""
    closed = {
        row["placement_id"]: row["at"].date()
        for row in PlacementTransition.objects.filter(
            placement__program_id__in=list(program_ids), to_state=PlacementStatus.CLOSED
        ).values("placement_id", "at")
    }
    placements = Placement.objects.filter(pk__in=closed).select_related("program", "person")
    return [(p, retention_until(p, closed[p.pk])) for p in placements]
