"""Dashboard sections and cycle links for interviews (see core/hooks.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.core.hooks import Section

ACTIVE_STATES = ("preferences", "interviews", "matching")


def dashboard_sections(user, roles, today) -> list[Section]:
    sections: list[Section] = []
    if roles.panelist_cycle_ids:
        sections.extend(_panelist_section(user, roles))
    if roles.admin_program_ids or roles.is_superuser:
        sections.extend(_admin_section(user, roles))
    if roles.person_id:
        sections.extend(_candidate_section(roles))
    return sections


def _candidate_section(roles) -> list[Section]:
    """A candidate's own interviews, with their calendar invitations (no scores)."""
    from .models import PanelAssignment

    interviews = list(
        PanelAssignment.objects.filter(
            nomination__person_id=roles.person_id,
            starts_at__isnull=False,
            panel__cycle__state__in=ACTIVE_STATES,
        )
        .select_related("panel__cycle")
        .order_by("starts_at")
    )
    if not interviews:
        return []
    return [
        Section(
            title=_("Your interviews"),
            template="interviews/dashboard/candidate.html",
            context={"interviews": interviews},
            order=12,
        )
    ]


def _panelist_section(user, roles) -> list[Section]:
    from .models import PanelAssignment
    from .scoring import scored_by

    assignments = PanelAssignment.objects.filter(
        panel__members=user,
        panel__cycle_id__in=roles.panelist_cycle_ids,
        panel__cycle__state__in=ACTIVE_STATES,
    ).select_related("panel", "nomination__person", "nomination__home_organization")
    rows = list(assignments.order_by("starts_at", "pk"))
    if not rows:
        return []
    done = scored_by(user, assignments)
    left = [a for a in rows if a.pk not in done]
    return [
        Section(
            title=_("Candidates to score (%(n)d left)") % {"n": len(left)},
            template="interviews/dashboard/panelist.html",
            context={"left": left, "total": len(rows)},
            order=15,
        )
    ]


def _admin_section(user, roles) -> list[Section]:
    from talent_exchange.programs.models import Cycle

    from .models import PanelAssignment
    from .scoring import assignments_with_progress

    cycles = Cycle.objects.filter(state__in=ACTIVE_STATES)
    if not roles.is_superuser:
        cycles = cycles.filter(program_id__in=roles.admin_program_ids)
    assignments = assignments_with_progress(PanelAssignment.objects.filter(panel__cycle__in=cycles))
    if not assignments:
        return []
    by_cycle: dict[int, dict] = {}
    for a in assignments:
        row = by_cycle.setdefault(
            a.panel.cycle_id, {"cycle": a.panel.cycle, "assigned": 0, "scored": 0}
        )
        row["assigned"] += 1
        row["scored"] += a.complete
    return [
        Section(
            title=_("Interview progress (scored / assigned)"),
            template="interviews/dashboard/admin.html",
            context={"rows": list(by_cycle.values())},
            order=30,
        )
    ]


def cycle_links(cycle, user) -> list[tuple[str, str]]:
    if user.has_perm("interviews.view_cycle_interviews", cycle):
        return [(_("Interviews"), reverse("interviews:cycle", args=[cycle.pk]))]
    return []
