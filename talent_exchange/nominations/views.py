"""Nomination pages: a cycle's nominations, nominate one or many, the endorsement link,
and the nominee's page (confirm the profile, declare conflicts)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_exchange.core.filters import FIND_MAX_LENGTH
from talent_exchange.core.forms import QuickFormRenderer
from talent_exchange.core.permissions import permission_for_object, permission_required
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import ScopedListView, perform, perform_form
from talent_exchange.programs.models import Cycle

from . import eligibility, importer, services
from .access import get_nomination_for_user
from .filters import NominationFilter
from .forms import ConflictForm, EndorsementDecisionForm, ImportForm, NominationForm
from .models import NOMINATION_WORKFLOW as WORKFLOW
from .models import (
    ConflictOfInterest,
    Endorsement,
    Nomination,
    NominationImport,
)
from .presenters import nomination_rows


def _cycle_for(request, cycle_pk) -> Cycle:
    return get_object_or_404(CYCLES.visible_to(request.user), pk=cycle_pk)


# Out of the user's reach is "not found": guessing URLs reveals nothing (get_for_user).
NOMINATIONS = Nomination.objects.with_card()
# The conflict form is on every view of a nominee's own page: its select and text box are
# written in Python (the templates' HTML, held to it by test_conflict_form.py), not through
# three templates a field (ADR 0022).
QUICK_FORMS = QuickFormRenderer()
CYCLES = Cycle.objects.select_related("program")


def _endorsement_for(request, token, **kwargs) -> Endorsement:
    """The endorsement an e-mail link names. It is found by its secret token, not through
    ``visible_to`` (the endorser may sit outside the nomination's organisation; the token and
    ``endorse_nomination`` are what let them in), so ``permission_for_object`` does not fit;
    the permission check fetches it and the page reuses it (one query, not two)."""
    cached = getattr(request, "_endorsement", None)
    if cached is None or cached.token != token:
        cached = request._endorsement = get_object_or_404(
            Endorsement.objects.select_related(
                "endorser", "nomination__person__organization", "nomination__cycle__program"
            ),
            token=token,
        )
    return cached


class NominationList(ScopedListView):
    model = Nomination
    permission_required = "nominations.list_nominations"
    filterset_class = NominationFilter
    template_name = "nominations/nomination_list.html"
    results_template_name = "nominations/_nomination_results.html"

    def dispatch(self, request, *args, **kwargs):
        self.cycle = _cycle_for(request, kwargs["cycle_pk"])
        request.cycle = self.cycle
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            Nomination.objects.visible_to(self.request.user)
            .in_cycle(self.cycle)
            .for_rows()
            .order_by("person__last_name", "person__first_name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        context["rows"] = nomination_rows(list(context["object_list"]))
        context["can_nominate"] = self.request.user.has_perm(
            "nominations.add_nomination", self.cycle
        )
        return context


@permission_for_object("nominations.add_nomination", CYCLES, kwarg="cycle_pk")
@submitted_once
def nominate(request, cycle):
    steps = services.chain_of(cycle.program)
    form = NominationForm(request.POST or None, user=request.user, cycle=cycle, steps=steps)

    def then(nomination):
        overlaps = eligibility.overlapping_interviews(nomination.person, cycle)
        if overlaps:
            messages.warning(
                request,
                _(
                    "%(person)s is also nominated in %(cycles)s, whose interviews overlap "
                    "this cycle's: agree the dates with the other program."
                )
                % {"person": nomination.person, "cycles": ", ".join(overlaps)},
            )
        return redirect("nominations:detail", pk=nomination.pk)

    return perform_form(
        request,
        form,
        lambda data: services.nominate(
            data["person"],
            cycle,
            actor=request.user,
            endorsers=form.endorsers,
            rationale=data["rationale"],
            backfill_plan=data["backfill_plan"],
        ),
        success=lambda nomination: (
            _("%(person)s is nominated; the first endorser was e-mailed.")
            % {"person": nomination.person}
        ),
        then=then,
        field="person",
        template="nominations/nominate.html",
        context={"cycle": cycle, "steps": steps},
    )


@permission_for_object("nominations.import_nominations", CYCLES, kwarg="cycle_pk")
@submitted_once
def import_nominations(request, cycle):
    """Upload a spreadsheet; the task worker checks and imports it (see importer.py)."""
    steps = services.chain_of(cycle.program)
    form = ImportForm(request.POST or None, request.FILES or None)
    return perform_form(
        request,
        form,
        lambda data: importer.start_import(data["file"], cycle, actor=request.user),
        success="",  # the status page says it all
        then=lambda job: redirect("nominations:import_status", pk=job.pk),
        field="file",
        template="nominations/import.html",
        context={"cycle": cycle, "steps": steps, "limits": importer.LIMITS},
    )


@permission_for_object(
    "nominations.view_nominationimport",
    NominationImport.objects.select_related("cycle__program").defer("content"),
)
def import_status(request, job):
    """An import's progress, then its report. htmx polls the progress fragment."""
    template = (
        "nominations/_import_progress.html"
        if getattr(request, "htmx", False) and not job.is_finished
        else "nominations/import_status.html"
    )
    if getattr(request, "htmx", False) and job.is_finished:
        # Finished while the page was polling: reload the whole page to show the report.
        response = render(request, "nominations/_import_progress.html", {"job": job})
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, {"job": job, "cycle": job.cycle})


@permission_for_object("nominations.view_nomination", NOMINATIONS, get=get_nomination_for_user)
def nomination_detail(request, nomination):
    user = request.user
    actions = WORKFLOW.available_names(nomination, user)
    # the conflict form's select offers 25 organisations: the others are found by name
    find = request.GET.get("organization_find", "").strip()[:FIND_MAX_LENGTH]
    context = {
        "nomination": nomination,
        "cycle": nomination.cycle,
        "actions": actions,
        "endorsements": nomination.endorsements.select_related("endorser"),
        "conflicts": nomination.conflicts.select_related("organization"),
        "conflict_form": ConflictForm(nomination=nomination, find=find, renderer=QUICK_FORMS)
        if "declare_conflict" in actions
        else None,
        "organization_find": find,
        "can_declare": user.has_perm("nominations.declare_conflict", nomination),
        "is_nominee": nomination.person.user_id == user.pk,
    }
    return render(request, "nominations/nomination_detail.html", context)


def _act(request, nomination, action, success: str):
    return perform(
        request,
        lambda: action(nomination),
        success=success,
        then=redirect("nominations:detail", pk=nomination.pk),
    )


@require_POST
@permission_for_object("nominations.confirm_profile", NOMINATIONS)
def confirm_profile(request, nomination):
    return _act(
        request,
        nomination,
        lambda n: services.confirm_profile(n, actor=request.user),
        _("Thank you: your profile is confirmed."),
    )


@require_POST
@permission_for_object("nominations.withdraw_nomination", NOMINATIONS)
def withdraw_nomination(request, nomination):
    return _act(
        request,
        nomination,
        lambda n: services.withdraw(n, actor=request.user),
        _("The nomination was withdrawn."),
    )


@require_POST
@permission_for_object("nominations.declare_conflict", NOMINATIONS)
@submitted_once
def declare_conflict(request, nomination):
    form = ConflictForm(request.POST, nomination=nomination)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("nominations:detail", pk=nomination.pk)
    return _act(
        request,
        nomination,
        lambda n: services.declare_conflict(
            n,
            form.cleaned_data["organization"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        _("The conflict of interest was recorded."),
    )


@require_POST
@permission_for_object("nominations.declare_conflict", NOMINATIONS)
def remove_conflict(request, nomination, conflict_pk):
    conflict = get_object_or_404(ConflictOfInterest, pk=conflict_pk, nomination=nomination)
    return _act(
        request,
        nomination,
        lambda n: services.remove_conflict(conflict, actor=request.user),
        _("The conflict of interest was removed."),
    )


@permission_required("nominations.endorse_nomination", fn=_endorsement_for)
def endorse(request, token):
    """The page an endorser reaches from the e-mail link (signed in as that endorser)."""
    endorsement = _endorsement_for(request, token)
    nomination = endorsement.nomination
    is_current = Endorsement.objects.current().filter(pk=endorsement.pk).exists()
    refusal = services.signing_refusal(endorsement) if is_current else None
    form = EndorsementDecisionForm(request.POST or None) if is_current and not refusal else None
    if request.method == "POST" and form is not None and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        if decision == EndorsementDecisionForm.ENDORSE:
            service = services.endorse
            success = _("Thank you: you endorsed the nomination.")
        else:
            service = services.decline
            success = _("You declined the nomination; the coordinator was told why.")
        return perform(
            request,
            lambda: service(endorsement, actor=request.user, reason=reason),
            success=success,
            then=redirect("nominations:endorse", token=token),
        )
    context = {
        "endorsement": endorsement,
        "nomination": nomination,
        "chain": nomination.endorsements.select_related("endorser"),
        "form": form,
        "refusal": refusal,
    }
    return render(request, "nominations/endorse.html", context)
