"""Placement pages: thin views over the services (services.py) and presenters
(presenters.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from talent_exchange.core.client import client_ip
from talent_exchange.core.permissions import PermissionView, permission_for_object
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform, perform_form
from talent_exchange.programs.models import Program

from . import presenters, services
from .forms import (
    AgreementTermsForm,
    CheckInForm,
    EndEarlyForm,
    EvaluationForm,
    ExtendForm,
    NoteForm,
    ObjectiveForm,
    ObjectiveReviewForm,
    OutcomeForm,
    ReturnForm,
    SupervisorsForm,
)
from .models import CheckIn, Evaluation, Objective, Outcome, Placement, Signature, Stage, Status
from .rules import respondent_roles_for


class PlacementList(PermissionView, ListView):
    permission_required = "placements.list_placements"
    template_name = "placements/placement_list.html"
    paginate_by = 25

    def get_queryset(self):
        queryset = Placement.objects.visible_to(self.request.user).with_parties()
        cycle = self.request.GET.get("cycle", "")
        if cycle.isdigit():
            queryset = queryset.filter(cycle_id=int(cycle))
        status = self.request.GET.get("status", "")
        if status in Status.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = Status.choices
        context["status"] = self.request.GET.get("status", "")
        return context


PLACEMENTS = Placement.objects.with_parties()


@permission_for_object(
    "placements.view_placement",
    PLACEMENTS.select_related("agreement", "home_supervisor").prefetch_related(
        Prefetch("agreement__signatures", queryset=Signature.objects.order_by("signed_at")),
        Prefetch("objectives", queryset=Objective.objects.select_related("written_by")),
        "checkins",
        "evaluations",
        "outcomes",
        Prefetch("transitions__actor"),
    ),
)
def placement_detail(request, placement):
    context = presenters.placement_page(placement, request.user, timezone.localdate())
    return render(request, "placements/placement_detail.html", context)


@permission_for_object("placements.change_agreement", PLACEMENTS)
def edit_agreement(request, placement):
    pk = placement.pk
    agreement = placement.agreement
    if agreement.is_frozen:
        messages.error(request, _("All three parties have signed; the terms can no longer change."))
        return redirect("placements:detail", pk=pk)
    form = AgreementTermsForm(request.POST or None, instance=agreement)
    before = agreement.version
    return perform_form(
        request,
        form,
        # Read the new values off the form; the service saves them.
        lambda data: services.update_terms(
            placement, request.user, **{name: data[name] for name in form.Meta.fields}
        ),
        success=lambda saved: (
            (
                messages.WARNING,
                _("The terms changed after someone had signed: every party signs again."),
            )
            if saved.version != before
            else _("The terms were saved.")
        ),
        then=redirect("placements:detail", pk=pk),
        template="placements/agreement_form.html",
        context={"placement": placement},
    )


@require_POST
@permission_for_object("placements.sign_agreement", PLACEMENTS)
def sign(request, placement):
    party = request.POST.get("party", "")
    return perform(
        request,
        lambda: services.sign_agreement(
            placement,
            request.user,
            party,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ),
        success=_("You signed the agreement."),
        then=redirect("placements:detail", pk=placement.pk),
    )


@require_POST
@permission_for_object("placements.view_placement", PLACEMENTS)
def attest(request, placement):
    return perform(
        request,
        lambda: services.attest_no_conflict(placement, request.user),
        success=_("You attested to having no conflict of interest."),
        then=redirect("placements:detail", pk=placement.pk),
    )


@permission_for_object("placements.view_placement", PLACEMENTS)
def agreement_pdf(request, placement):
    from .pdf import agreement_pdf as render_pdf

    if not placement.agreement.is_frozen:
        raise Http404(_("The PDF is available once all three parties have signed."))
    response = HttpResponse(render_pdf(placement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{placement.pk}.pdf"'
    return response


def _form_page(request, placement, form, title, action):
    """Show ``form``; on a valid POST run ``action(cleaned_data)`` (it returns the message to
    show) and go back to the placement. A refusal shows next to the form."""
    return perform_form(
        request,
        form,
        action,
        then=redirect("placements:detail", pk=placement.pk),
        template="placements/action_form.html",
        context={"placement": placement, "title": title},
    )


@permission_for_object("placements.manage_placement", PLACEMENTS)
def edit_supervisors(request, placement):
    form = SupervisorsForm(
        request.POST or None,
        placement=placement,
        initial={"home_supervisor": placement.home_supervisor_id, "coach": placement.coach_id},
    )
    return _form_page(
        request,
        placement,
        form,
        _("Supervisors of the assignment"),
        lambda d: (
            services.name_supervisors(
                placement, request.user, home_supervisor=d["home_supervisor"], coach=d["coach"]
            )
            and _("The supervisors were saved.")
        ),
    )


@permission_for_object("placements.write_objective", PLACEMENTS)
@submitted_once
def add_objective(request, placement):
    form = ObjectiveForm(request.POST or None)
    return _form_page(
        request,
        placement,
        form,
        _("Add an objective"),
        lambda d: (
            services.add_objective(placement, request.user, d["description"], d["indicators"])
            and _("The objective was added.")
        ),
    )


@permission_for_object("placements.write_objective", PLACEMENTS)
def review_objective(request, placement, item):
    objective = get_object_or_404(Objective, pk=item, placement=placement)
    form = ObjectiveReviewForm(request.POST or None)
    return _form_page(
        request,
        placement,
        form,
        _("Review the objective: %(objective)s") % {"objective": objective},
        lambda d: (
            services.review_objective(objective, request.user, d["achievement"], d["evidence"])
            and _("The objective was reviewed.")
        ),
    )


@permission_for_object("placements.record_checkin", PLACEMENTS)
def record_checkin(request, placement, item):
    checkin = get_object_or_404(CheckIn, pk=item, placement=placement)
    form = CheckInForm(request.POST or None, initial={"held_on": timezone.localdate()})
    return _form_page(
        request,
        placement,
        form,
        _("Record the check-in due %(due)s") % {"due": checkin.due_on},
        lambda d: (
            services.record_checkin(checkin, request.user, d["held_on"], d["notes"])
            and _("The check-in was recorded.")
        ),
    )


@permission_for_object("placements.submit_evaluation", PLACEMENTS)
def submit_evaluation(request, placement, item):
    evaluation = get_object_or_404(Evaluation, pk=item, placement=placement)
    if evaluation.respondent not in respondent_roles_for(request.user, placement):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, final=evaluation.stage == Stage.FINAL)
    return _form_page(
        request,
        placement,
        form,
        _("%(stage)s evaluation: %(respondent)s")
        % {
            "stage": evaluation.get_stage_display(),
            "respondent": evaluation.get_respondent_display(),
        },
        lambda d: (
            services.submit_evaluation(evaluation, request.user, **d)
            and _("Thank you: the evaluation was submitted.")
        ),
    )


@permission_for_object("placements.manage_placement", PLACEMENTS)
def transition(request, placement, action):
    user = request.user
    today = timezone.localdate()
    if action == "activate":
        form = NoteForm(request.POST or None)
        title = _("Start the placement")

        def run(d):
            services.activate_placement(placement, user, today=today, note=d["note"])
            return _("The placement is active.")
    elif action == "extend":
        form = ExtendForm(
            request.POST or None,
            can_override=user.has_perm("placements.override_placement", placement),
        )
        title = _("Extend the placement")

        def run(d):
            services.extend_placement(
                placement, user, d["new_end"], note=d["note"], override=d.get("override", False)
            )
            return _("The placement was extended to %(end)s.") % {"end": d["new_end"]}
    elif action == "end_early":
        form = EndEarlyForm(request.POST or None, initial={"ended_on": today})
        title = _("End the placement early")

        def run(d):
            services.end_placement_early(placement, user, d["ended_on"], d["reason"])
            return _("The placement ended early.")
    elif action == "return":
        form = ReturnForm(
            request.POST or None,
            initial={"returned_on": today, "position": placement.agreement.return_position},
        )
        title = _("Record the participant's return")

        def run(d):
            services.record_return(placement, user, d["returned_on"], d["position"])
            return _("The return was recorded; outcomes are due at 6, 12 and 24 months.")
    elif action == "close":
        form = NoteForm(request.POST or None)
        title = _("Close the placement")

        def run(d):
            services.close_placement(placement, user, note=d["note"])
            return _("The placement is closed.")
    else:
        raise Http404
    return _form_page(request, placement, form, title, run)


@permission_for_object("placements.record_outcome", PLACEMENTS)
def record_outcome(request, placement, item):
    outcome = get_object_or_404(Outcome, pk=item, placement=placement)
    initial = {
        name: {True: "true", False: "false"}.get(getattr(outcome, name), "")
        for name in ("promoted", "new_role", "still_with_home", "obligation_fulfilled")
    }
    form = OutcomeForm(
        request.POST or None,
        initial={**initial, "position": outcome.position, "notes": outcome.notes},
    )
    return _form_page(
        request,
        placement,
        form,
        _("Outcome %(months)s months after return") % {"months": outcome.months_after},
        lambda d: (
            services.record_outcome(outcome, request.user, **d) and _("The outcome was recorded.")
        ),
    )


@permission_for_object("placements.view_lessons", Program, kwarg="program_pk")
def lessons(request, program):
    evaluations = (
        Evaluation.objects.shared_lessons()
        .filter(placement__program=program)
        .select_related("placement__person", "placement__host_organization", "placement__cycle")
        .order_by("-submitted_at")
    )
    return render(
        request, "placements/lessons.html", {"program": program, "evaluations": evaluations}
    )


@permission_for_object("placements.view_program_results", Program, kwarg="program_pk")
def results(request, program):
    context = presenters.program_results(program)
    return render(request, "placements/results.html", {"program": program, **context})
