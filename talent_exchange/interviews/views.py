"""Interview pages: panels of a cycle, a panel's candidates and slots, scoring, invitations
and the administrator's roll-up."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from talent_exchange.core.permissions import permission_for_object
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform, perform_form
from talent_exchange.nominations.models import Nomination
from talent_exchange.programs.models import Cycle

from . import services
from .forms import AssignForm, PanelForm, ScheduleManyForm, ScoreForm, SlotForm
from .invitations import calendar_for
from .models import Panel, PanelAssignment, RubricCriterion, Score
from .scoring import assignments_with_progress, interview_scores, scored_by

# Fetched once per page with get_for_user (404 out of scope, 403 not allowed).
CYCLES = Cycle.objects.select_related("program")
PANELS = Panel.objects.select_related("cycle__program")
ASSIGNMENTS = PanelAssignment.objects.select_related(
    "panel__cycle__program", "nomination__person", "nomination__home_organization"
)


@permission_for_object("interviews.view_cycle_interviews", CYCLES)
def cycle_interviews(request, cycle):
    user = request.user
    panels = list(Panel.objects.visible_to(user).filter(cycle=cycle).prefetch_related("members"))
    assignments = assignments_with_progress(
        PanelAssignment.objects.visible_to(user).filter(panel__cycle=cycle)
    )
    by_panel: dict[int, list] = {}
    for a in assignments:
        by_panel.setdefault(a.panel_id, []).append(a)
    mine = scored_by(user, PanelAssignment.objects.filter(panel__cycle=cycle, panel__members=user))
    rows = []
    for panel in panels:
        candidates = by_panel.get(panel.pk, [])
        is_member = any(m.pk == user.pk for m in panel.members.all())
        rows.append(
            {
                "panel": panel,
                "assigned": len(candidates),
                "complete": sum(1 for a in candidates if a.complete),
                "left_for_me": sum(1 for a in candidates if a.pk not in mine)
                if is_member
                else None,
            }
        )
    return render(
        request,
        "interviews/cycle_interviews.html",
        {
            "cycle": cycle,
            "rows": rows,
            "can_manage": user.has_perm("interviews.manage_panels", cycle),
            "can_read_scores": user.has_perm("interviews.read_scores", cycle),
        },
    )


@permission_for_object("interviews.manage_panels", CYCLES)
@submitted_once
def panel_create(request, cycle):
    return _panel_form(request, cycle, Panel(cycle=cycle))


@permission_for_object("interviews.manage_panels", PANELS)
def panel_edit(request, panel):
    return _panel_form(request, panel.cycle, panel)


def _panel_form(request, cycle, panel):
    form = PanelForm(request.POST or None, instance=panel, cycle=cycle)
    return perform_form(
        request,
        form,
        lambda d: services.save_panel(form.save(commit=False), d["members"], actor=request.user),
        success=lambda saved: _("Panel “%(name)s” was saved.") % {"name": saved.name},
        then=lambda saved: redirect("interviews:panel", pk=saved.pk),
        template="interviews/panel_form.html",
        context={"cycle": cycle, "panel": panel},
    )


@permission_for_object("interviews.open_panel", PANELS)
def panel_detail(request, panel):
    user = request.user
    can_manage = user.has_perm("interviews.manage_panels", panel)
    members = list(panel.members.all())
    is_member = any(m.pk == user.pk for m in members)
    candidates = assignments_with_progress(PanelAssignment.objects.filter(panel=panel))
    candidates.sort(key=lambda a: (a.starts_at is None, a.starts_at or 0, str(a.nomination.person)))
    mine = scored_by(user, PanelAssignment.objects.filter(panel=panel)) if is_member else set()
    return render(
        request,
        "interviews/panel_detail.html",
        {
            "panel": panel,
            "cycle": panel.cycle,
            "members": members,
            "candidates": candidates,
            "mine": mine,
            "is_member": is_member,
            "can_manage": can_manage,
            "assign_form": AssignForm(panel=panel) if can_manage else None,
            "schedule_form": ScheduleManyForm() if can_manage else None,
            "unscheduled": sum(1 for a in candidates if a.starts_at is None),
        },
    )


@require_POST
@permission_for_object("interviews.manage_panels", PANELS)
@submitted_once
def panel_assign(request, panel):
    form = AssignForm(request.POST, panel=panel)
    if not form.is_valid():
        messages.error(request, _("Choose the candidates to add."))
        return redirect("interviews:panel", pk=panel.pk)
    nominations = list(form.cleaned_data["nomination"].select_related("person"))
    return perform(
        request,
        lambda: services.assign_candidates(panel, nominations, actor=request.user),
        success=ngettext(
            "%(names)s was added to the panel.",
            "%(names)s were added to the panel.",
            len(nominations),
        )
        % {"names": ", ".join(str(n.person) for n in nominations)},
        then=redirect("interviews:panel", pk=panel.pk),
    )


@require_POST
@permission_for_object("interviews.manage_panels", PANELS)
def schedule_many(request, panel):
    form = ScheduleManyForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "To schedule every candidate, give the day, the first time, the length and "
                "the break."
            ),
        )
        return redirect("interviews:panel", pk=panel.pk)
    data = form.cleaned_data
    return perform(
        request,
        lambda: services.schedule_many(
            panel, data["first_at"], minutes=data["minutes"], gap=data["gap"], actor=request.user
        ),
        success=_("The candidates without a time are scheduled, and each was e-mailed."),
        then=redirect("interviews:panel", pk=panel.pk),
    )


@require_POST
@permission_for_object("interviews.manage_panels", ASSIGNMENTS)
def remove_candidate(request, assignment):
    return perform(
        request,
        lambda: services.remove_candidate(assignment, actor=request.user),
        success=_("%(name)s was taken off the panel.") % {"name": assignment.nomination.person},
        then=redirect("interviews:panel", pk=assignment.panel_id),
    )


@permission_for_object("interviews.manage_panels", ASSIGNMENTS)
def schedule(request, assignment):
    initial = {}
    if assignment.starts_at:
        from django.utils import timezone

        start, end = (
            timezone.localtime(assignment.starts_at),
            timezone.localtime(assignment.ends_at),
        )
        initial = {"day": start.date(), "starts": start.time(), "ends": end.time()}
    form = SlotForm(request.POST or None, initial=initial)
    return perform_form(
        request,
        form,
        lambda d: services.schedule_interview(
            assignment, d["starts_at"], d["ends_at"], actor=request.user
        ),
        success=_("The interview of %(name)s is scheduled.")
        % {"name": assignment.nomination.person},
        then=redirect("interviews:panel", pk=assignment.panel_id),
        template="interviews/slot_form.html",
        context={
            "assignment": assignment,
            "panel": assignment.panel,
            "cycle": assignment.panel.cycle,
        },
    )


@permission_for_object("interviews.score_candidate", ASSIGNMENTS)
def score(request, assignment):
    criteria = list(RubricCriterion.objects.filter(program_id=assignment.panel.cycle.program_id))
    existing = {
        s.criterion_id: s
        for s in Score.objects.filter(assignment=assignment, panelist=request.user)
    }
    form = ScoreForm(request.POST or None, criteria=criteria, existing=existing)
    return perform_form(
        request,
        form,
        lambda _d: services.record_scores(assignment, form.scores(), actor=request.user),
        success=_("Your scores for %(name)s were saved.") % {"name": assignment.nomination.person},
        then=redirect("interviews:panel", pk=assignment.panel_id),
        template="interviews/score_form.html",
        context={
            "assignment": assignment,
            "panel": assignment.panel,
            "cycle": assignment.panel.cycle,
            "criteria": criteria,
        },
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@permission_for_object("interviews.download_invitation", ASSIGNMENTS)
def slot_invitation(request, assignment):
    if not assignment.starts_at:
        messages.error(request, _("This interview has no time yet."))
        return redirect("core:dashboard")
    return _ics_response(
        calendar_for([assignment]), f"interview-{slugify(str(assignment.nomination.person))}"
    )


@permission_for_object("interviews.open_panel", PANELS)
def panel_invitations(request, panel):
    assignments = (
        PanelAssignment.objects.filter(panel=panel, starts_at__isnull=False)
        .select_related("panel__cycle__program", "nomination__person")
        .prefetch_related(Prefetch("panel__members"))
        .order_by("starts_at")
    )
    return _ics_response(calendar_for(assignments), f"panel-{slugify(panel.name)}")


@permission_for_object("interviews.read_scores", CYCLES)
def cycle_scores(request, cycle):
    """The candidates on a panel of the cycle, a page at a time by name, each with their
    panels' progress and their interview score (computed for the page's candidates only)."""
    candidates = (
        Nomination.objects.filter(
            pk__in=PanelAssignment.objects.filter(panel__cycle=cycle).values("nomination_id")
        )
        .select_related("person", "home_organization")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    page = Paginator(candidates, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [nomination.pk for nomination in page.object_list]
    assignments = assignments_with_progress(
        PanelAssignment.objects.filter(panel__cycle=cycle, nomination_id__in=ids).order_by(
            "panel__name", "pk"
        )
    )
    scores = interview_scores(cycle, ids)
    panels: dict[int, list[PanelAssignment]] = {}
    for assignment in assignments:
        panels.setdefault(assignment.nomination_id, []).append(assignment)
    rows = [
        {"nomination": n, "panels": panels.get(n.pk, []), "score": scores.get(n.pk)}
        for n in page.object_list
    ]
    return render(
        request,
        "interviews/cycle_scores.html",
        {
            "cycle": cycle,
            "rows": rows,
            "page_obj": page,
            "criteria": RubricCriterion.objects.filter(program=cycle.program),
        },
    )
