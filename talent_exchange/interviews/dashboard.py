"""Dashboard sections and cycle links for interviews (see core/dashboard.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.accounts.models import Role, User
from talent_exchange.core.dashboard import Section, cycle_links, section
from talent_exchange.programs.models import Cycle

from .models import PanelAssignment
from .scoring import assignments_with_progress, scored_by

ACTIVE_STATES = ("preferences", "interviews", "matching")


@section(
    "interviews.own",
    relevant=lambda probe: PanelAssignment.objects.filter(
        nomination__person_id=probe.person_id,
        starts_at__isnull=False,
        panel__cycle__state__in=ACTIVE_STATES,
    ),
)
def own(user, roles, today) -> Section | None:
    """A candidate's own interviews, with their calendar invitations (no scores)."""
    if not roles.person_id:
        return None
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
        return None
    return Section(
        title=_("Your interviews"),
        template="interviews/dashboard/candidate.html",
        context={"interviews": interviews},
    )


@section(
    "interviews.to_score",
    relevant=lambda probe: PanelAssignment.objects.filter(
        panel__members=probe.user_id, panel__cycle__state__in=ACTIVE_STATES
    ),
)
def to_score(user, roles, today) -> Section | None:
    if not roles.panelist_cycle_ids:
        return None
    assignments = PanelAssignment.objects.filter(
        panel__members=user,
        panel__cycle_id__in=roles.panelist_cycle_ids,
        panel__cycle__state__in=ACTIVE_STATES,
    ).select_related("panel", "nomination__person", "nomination__home_organization")
    rows = list(assignments.order_by("starts_at", "pk"))
    if not rows:
        return None
    done = scored_by(user, assignments)
    left = [a for a in rows if a.pk not in done]
    return Section(
        title=_("Candidates to score (%(n)d left)") % {"n": len(left)},
        template="interviews/dashboard/panelist.html",
        context={"left": left, "total": len(rows)},
    )


# Any assignment in an active cycle of a program the user runs; a superuser sees them all.
@section(
    "interviews.progress",
    relevant=lambda probe: [
        PanelAssignment.objects.filter(
            panel__cycle__state__in=ACTIVE_STATES,
            panel__cycle__program__in=probe.grants(Role.PROGRAM_ADMIN).values("program"),
        ),
        User.objects.filter(pk=probe.user_id, is_superuser=True),
    ],
)
def progress(user, roles, today) -> Section | None:
    if not (roles.admin_program_ids or roles.is_superuser):
        return None
    cycles = Cycle.objects.filter(state__in=ACTIVE_STATES)
    if not roles.is_superuser:
        cycles = cycles.filter(program_id__in=roles.admin_program_ids)
    assignments = assignments_with_progress(PanelAssignment.objects.filter(panel__cycle__in=cycles))
    if not assignments:
        return None
    by_cycle: dict[int, dict] = {}
    for a in assignments:
        row = by_cycle.setdefault(
            a.panel.cycle_id, {"cycle": a.panel.cycle, "assigned": 0, "scored": 0}
        )
        row["assigned"] += 1
        row["scored"] += a.complete
    return Section(
        title=_("Interview progress (scored / assigned)"),
        template="interviews/dashboard/admin.html",
        context={"rows": list(by_cycle.values())},
    )


@section("interviews.panels")
def panels(user, roles, today) -> Section | None:
    """The cycles whose panels this user sits on."""
    if not roles.panelist_cycle_ids:
        return None
    cycles = list(Cycle.objects.filter(pk__in=roles.panelist_cycle_ids).select_related("program"))
    if not cycles:
        return None
    return Section(
        title=_("Panels you sit on"),
        template="interviews/dashboard/panels.html",
        context={"cycles": cycles},
        testid="dashboard-panelist",
    )


@cycle_links("interviews")
def links(cycle, user) -> list[tuple[str, str]]:
    if user.has_perm("interviews.view_cycle_interviews", cycle):
        return [(_("Interviews"), reverse("interviews:cycle", args=[cycle.pk]))]
    return []
