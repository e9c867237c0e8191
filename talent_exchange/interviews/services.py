"""Writes for interviews: panels, candidates, slots and scores. Each checks permission, runs
in a transaction, locks what it changes and leaves history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.nominations.models import Nomination
from talent_exchange.notifications.services import absolute_url, notify

from .models import Panel, PanelAssignment, RubricCriterion, Score

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.programs.models import Cycle

CLOSED_STATES = frozenset({"placements", "closed"})


def eligible_panelists(cycle: Cycle) -> QuerySet[User]:
    """Users who hold the panelist role for this cycle (from any organisation)."""
    return (
        get_user_model()
        .objects.filter(
            role_grants__role="panelist",
            role_grants__cycle=cycle,
            role_grants__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def assignable_candidates(cycle: Cycle) -> QuerySet[Nomination]:
    return (
        Nomination.objects.endorsed().in_cycle(cycle).select_related("person", "home_organization")
    )


def save_panel(panel: Panel, members: Iterable[User], *, actor: User) -> Panel:
    """Create or change a panel; every member must be a panelist of the panel's cycle."""
    require(actor, "interviews.manage_panels", panel.cycle)
    members = list(members)
    allowed = set(eligible_panelists(panel.cycle).values_list("pk", flat=True))
    strangers = [str(m) for m in members if m.pk not in allowed]
    if strangers:
        raise ActionRefused(
            _("Only panelists of this cycle can sit on its panels: %(names)s is not one.")
            % {"names": ", ".join(strangers)}
        )
    with transaction.atomic():
        if panel.pk:
            Panel.objects.select_for_update().get(pk=panel.pk)
        attribute_to(panel, actor)
        panel.save()
        panel.members.set(members)
    return panel


def assign_candidate(panel: Panel, nomination: Nomination, *, actor: User) -> PanelAssignment:
    require(actor, "interviews.manage_panels", panel.cycle)
    if nomination.cycle_id != panel.cycle_id or nomination.status != "endorsed":
        raise ActionRefused(_("Only endorsed nominees of this cycle can be interviewed."))
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=panel.pk)
        if PanelAssignment.objects.filter(panel=panel, nomination=nomination).exists():
            raise ActionRefused(
                _("%(name)s is already a candidate of this panel.") % {"name": nomination.person}
            )
        assignment = PanelAssignment(panel=panel, nomination=nomination)
        attribute_to(assignment, actor)
        assignment.save()
    return assignment


def assign_candidates(
    panel: Panel, nominations: Iterable[Nomination], *, actor: User
) -> list[PanelAssignment]:
    """Add several candidates at once: all of them, or none with the reason."""
    with transaction.atomic():
        return [assign_candidate(panel, n, actor=actor) for n in nominations]


def schedule_many(
    panel: Panel, first_at: datetime, *, minutes: int, gap: int, actor: User
) -> list[PanelAssignment]:
    """Give each candidate of the panel without a time the next slot of ``minutes``, with
    ``gap`` minutes between them, in name order; all of them or none (a clash names who)."""
    require(actor, "interviews.manage_panels", panel.cycle)
    waiting = list(
        PanelAssignment.objects.filter(panel=panel, starts_at__isnull=True)
        .select_related("nomination__person", "panel")
        .order_by("nomination__person__last_name", "nomination__person__first_name", "pk")
    )
    if not waiting:
        raise ActionRefused(_("Every candidate of this panel already has a time."))
    scheduled = []
    with transaction.atomic():
        start = first_at
        for assignment in waiting:
            end = start + timedelta(minutes=minutes)
            scheduled.append(schedule_interview(assignment, start, end, actor=actor))
            start = end + timedelta(minutes=gap)
    return scheduled


def remove_candidate(assignment: PanelAssignment, *, actor: User) -> None:
    require(actor, "interviews.manage_panels", assignment.panel.cycle)
    with transaction.atomic():
        if assignment.scores.exists():
            raise ActionRefused(
                _("%(name)s has been scored on this panel; the scores would be lost.")
                % {"name": assignment.nomination.person}
            )
        attribute_to(assignment, actor)
        assignment.delete()


def overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    """Two intervals [start, end) overlap; touching ends (10:00–11:00, 11:00–12:00) do not."""
    return start < other_end and other_start < end


def schedule_interview(
    assignment: PanelAssignment, starts_at: datetime, ends_at: datetime, *, actor: User
) -> PanelAssignment:
    """Set the interview slot, refusing one that overlaps another interview of the same
    candidate (on any panel of the cycle) or of the same panel."""
    require(actor, "interviews.manage_panels", assignment.panel.cycle)
    if ends_at <= starts_at:
        raise ActionRefused(_("The interview must end after it starts."))
    with transaction.atomic():
        # Lock the panel and every assignment of the candidate, so two slots written at once
        # are checked one after the other.
        Panel.objects.select_for_update().get(pk=assignment.panel_id)
        locked: PanelAssignment = PanelAssignment.objects.select_for_update().get(pk=assignment.pk)
        others = (
            PanelAssignment.objects.select_for_update()
            .filter(panel__cycle_id=assignment.panel.cycle_id, starts_at__isnull=False)
            .exclude(pk=assignment.pk)
            .filter(Q(nomination_id=assignment.nomination_id) | Q(panel_id=assignment.panel_id))
            .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
            .select_related("panel", "nomination__person")
        )
        for other in others:
            if other.nomination_id == assignment.nomination_id:
                raise ActionRefused(
                    _(
                        "%(name)s already has an interview with %(panel)s from %(start)s to "
                        "%(end)s. Choose another time."
                    )
                    % _slot_words(other, other.panel.name)
                )
            if other.panel_id == assignment.panel_id:
                raise ActionRefused(
                    _(
                        "The panel already interviews %(name)s from %(start)s to %(end)s. "
                        "Choose another time."
                    )
                    % _slot_words(other, other.panel.name)
                )
        locked.starts_at, locked.ends_at = starts_at, ends_at
        attribute_to(locked, actor)
        locked.save(update_fields=["starts_at", "ends_at"])
        _send_invitation(locked)
    assignment.starts_at, assignment.ends_at = starts_at, ends_at
    return locked


def _send_invitation(assignment: PanelAssignment) -> None:
    """E-mail the candidate and the panel the time and place, with the calendar link; once
    per time (a new time is a new invitation)."""
    assert assignment.starts_at is not None and assignment.ends_at is not None
    panel = Panel.objects.select_related("cycle__program").get(pk=assignment.panel_id)
    person = assignment.nomination.person
    members = list(panel.members.all())
    candidate: list[Any] = [person.user] if person.user_id else [person.work_email]
    notify(
        "interviews/invitation",
        candidate + members,
        {
            "person": person,
            "panel": panel,
            "members": [m.get_full_name() or m.username for m in members],
            "starts_at": timezone.localtime(assignment.starts_at),
            "ends_at": timezone.localtime(assignment.ends_at),
            "link": absolute_url(reverse("interviews:slot_ics", args=[assignment.pk])),
        },
        key=f"interviews:interview:{assignment.pk}:invitation:{assignment.starts_at.isoformat()}",
    )


def _slot_words(other: PanelAssignment, panel: str) -> dict[str, Any]:
    start = timezone.localtime(other.starts_at)
    end = timezone.localtime(other.ends_at)
    return {
        "name": other.nomination.person,
        "panel": panel,
        "start": format_date(start, "j M Y H:i"),
        "end": format_date(end, "H:i")
        if end.date() == start.date()
        else format_date(end, "j M Y H:i"),
    }


def record_scores(
    assignment: PanelAssignment, scores: dict[int, tuple[int, str]], *, actor: User
) -> None:
    """Save one panelist's scores of one candidate: {criterion id: (score, notes)}.

    Every criterion of the program's rubric must be scored, each from 0 to its highest score.
    """
    require(actor, "interviews.score_candidate", assignment)
    cycle = assignment.panel.cycle
    if cycle.state in CLOSED_STATES:
        raise ActionRefused(_("Interview scores are closed for this cycle."))
    criteria = {c.pk: c for c in RubricCriterion.objects.filter(program_id=cycle.program_id)}
    if set(scores) != set(criteria):
        raise ActionRefused(_("Score the candidate on every criterion of the rubric."))
    for criterion_id, (value, _notes) in scores.items():
        if not 0 <= value <= criteria[criterion_id].max_score:
            raise ActionRefused(
                _("%(criterion)s is scored from 0 to %(max)d.")
                % {"criterion": criteria[criterion_id], "max": criteria[criterion_id].max_score}
            )
    with transaction.atomic():
        PanelAssignment.objects.select_for_update().get(pk=assignment.pk)
        existing = {
            s.criterion_id: s for s in Score.objects.filter(assignment=assignment, panelist=actor)
        }
        for criterion_id, (value, notes) in scores.items():
            row = existing.get(criterion_id) or Score(
                assignment=assignment, panelist=actor, criterion_id=criterion_id
            )
            if row.pk and row.score == value and row.notes == notes:
                continue
            row.score, row.notes = value, notes
            attribute_to(row, actor)
            row.save()
