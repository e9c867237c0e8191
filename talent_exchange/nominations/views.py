"""Nomination pages: a cycle's nominations, nominate one or many, the endorsement link,
and the nominee's page (confirm the profile, declare conflicts)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.permissions import permission_required
from talent_exchange.core.views_base import ScopedListView, perform
from talent_exchange.programs.models import Cycle

from . import importer, services
from .filters import NominationFilter
from .forms import ConflictForm, EndorsementDecisionForm, ImportForm, NominationForm
from .models import (
    ConflictOfInterest,
    Endorsement,
    Nomination,
    NominationImport,
    NominationStatus,
)


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _cycle_for(request, cycle_pk, **kwargs) -> Cycle:
    return get_object_or_404(
        Cycle.objects.visible_to(request.user).select_related("program"), pk=cycle_pk
    )


def _nomination_for(request, pk, **kwargs) -> Nomination:
    # Out of the user's reach is "not found": guessing URLs reveals nothing.
    return get_object_or_404(Nomination.objects.visible_to(request.user).with_card(), pk=pk)


def _endorsement_for(request, token, **kwargs) -> Endorsement:
    return get_object_or_404(
        Endorsement.objects.select_related(
            "endorser", "nomination__person__organization", "nomination__cycle__program"
        ),
        token=token,
    )


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
            .with_card()
            .prefetch_related("endorsements")
            .order_by("person__last_name", "person__first_name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        context["can_nominate"] = self.request.user.has_perm(
            "nominations.add_nomination", self.cycle
        )
        return context


@permission_required("nominations.add_nomination", fn=_cycle_for)
def nominate(request, cycle_pk):
    cycle = _cycle_for(request, cycle_pk)
    steps = services.chain_of(cycle.program)
    form = NominationForm(request.POST or None, user=request.user, cycle=cycle, steps=steps)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nominate(
                form.cleaned_data["person"],
                cycle,
                actor=request.user,
                endorsers=form.endorsers,
                rationale=form.cleaned_data["rationale"],
                backfill_plan=form.cleaned_data["backfill_plan"],
                site_url=_site(request),
            )
        except ActionRefused as refusal:
            form.add_error("person", refusal.message)
        else:
            messages.success(
                request,
                _("%(person)s is nominated; the first endorser was e-mailed.")
                % {"person": nomination.person},
            )
            return redirect("nominations:detail", pk=nomination.pk)
    return render(
        request, "nominations/nominate.html", {"form": form, "cycle": cycle, "steps": steps}
    )


@permission_required("nominations.import_nominations", fn=_cycle_for)
def import_nominations(request, cycle_pk):
    """Upload a spreadsheet; the task worker checks and imports it (see importer.py)."""
    cycle = _cycle_for(request, cycle_pk)
    steps = services.chain_of(cycle.program)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importer.start_import(
                form.cleaned_data["file"], cycle, actor=request.user, site_url=_site(request)
            )
        except ActionRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            return redirect("nominations:import_status", pk=job.pk)
    return render(
        request, "nominations/import.html", {"form": form, "cycle": cycle, "steps": steps}
    )


def _import_for(request, pk, **kwargs) -> NominationImport:
    return get_object_or_404(
        NominationImport.objects.visible_to(request.user)
        .select_related("cycle__program")
        .defer("content"),
        pk=pk,
    )


@permission_required("nominations.view_nominationimport", fn=_import_for)
def import_status(request, pk):
    """An import's progress, then its report. htmx polls the progress fragment."""
    job = _import_for(request, pk)
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


@permission_required("nominations.view_nomination", fn=_nomination_for)
def nomination_detail(request, pk):
    nomination = _nomination_for(request, pk)
    user = request.user
    endorsed = nomination.status == NominationStatus.ENDORSED
    can_declare = user.has_perm("nominations.declare_conflict", nomination)
    context = {
        "nomination": nomination,
        "cycle": nomination.cycle,
        "endorsements": nomination.endorsements.select_related("endorser"),
        "conflicts": nomination.conflicts.select_related("organization"),
        "can_confirm": endorsed
        and not nomination.profile_confirmed_at
        and user.has_perm("nominations.confirm_profile", nomination),
        "conflict_form": ConflictForm(nomination=nomination)
        if can_declare and nomination.status in (NominationStatus.ENDORSED,)
        else None,
        "can_declare": can_declare,
        "can_withdraw": nomination.status
        in (NominationStatus.AWAITING_ENDORSEMENT, NominationStatus.ENDORSED)
        and user.has_perm("nominations.withdraw_nomination", nomination),
        "is_nominee": nomination.person.user_id == user.pk,
    }
    return render(request, "nominations/nomination_detail.html", context)


def _act(request, pk, action, success: str):
    nomination = _nomination_for(request, pk)
    return perform(
        request,
        lambda: action(nomination),
        success=success,
        then=redirect("nominations:detail", pk=pk),
    )


@require_POST
@permission_required("nominations.confirm_profile", fn=_nomination_for)
def confirm_profile(request, pk):
    return _act(
        request,
        pk,
        lambda n: services.confirm_profile(n, actor=request.user),
        _("Thank you: your profile is confirmed."),
    )


@require_POST
@permission_required("nominations.withdraw_nomination", fn=_nomination_for)
def withdraw_nomination(request, pk):
    return _act(
        request,
        pk,
        lambda n: services.withdraw(n, actor=request.user),
        _("The nomination was withdrawn."),
    )


@require_POST
@permission_required("nominations.declare_conflict", fn=_nomination_for)
def declare_conflict(request, pk):
    nomination = _nomination_for(request, pk)
    form = ConflictForm(request.POST, nomination=nomination)
    if form.is_valid():
        try:
            services.declare_conflict(
                nomination,
                form.cleaned_data["organization"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The conflict of interest was recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("nominations:detail", pk=pk)


@require_POST
@permission_required("nominations.declare_conflict", fn=_nomination_for)
def remove_conflict(request, pk, conflict_pk):
    nomination = _nomination_for(request, pk)
    conflict = get_object_or_404(ConflictOfInterest, pk=conflict_pk, nomination=nomination)
    services.remove_conflict(conflict, actor=request.user)
    messages.success(request, _("The conflict of interest was removed."))
    return redirect("nominations:detail", pk=pk)


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
        try:
            if decision == EndorsementDecisionForm.ENDORSE:
                services.endorse(
                    endorsement, actor=request.user, reason=reason, site_url=_site(request)
                )
                messages.success(request, _("Thank you: you endorsed the nomination."))
            else:
                services.decline(
                    endorsement, actor=request.user, reason=reason, site_url=_site(request)
                )
                messages.success(
                    request, _("You declined the nomination; the coordinator was told why.")
                )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("nominations:endorse", token=token)
    context = {
        "endorsement": endorsement,
        "nomination": nomination,
        "chain": nomination.endorsements.select_related("endorser"),
        "form": form,
        "refusal": refusal,
    }
    return render(request, "nominations/endorse.html", context)
