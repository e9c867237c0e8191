"""Opportunity pages: browse a cycle's approved slots, post and edit your own, review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.permissions import permission_required
from talent_exchange.core.views_base import ScopedListView, perform
from talent_exchange.programs.models import Cycle

from . import services
from .filters import OpportunityFilter
from .forms import OpportunityForm, ReviewForm, WithdrawForm
from .models import Opportunity, OpportunityStatus


def _cycle_for(request, cycle_pk, **kwargs) -> Cycle:
    return get_object_or_404(
        Cycle.objects.visible_to(request.user).select_related("program"), pk=cycle_pk
    )


def _opportunity_for(request, pk, **kwargs) -> Opportunity:
    # Out of the user's reach is "not found": guessing URLs reveals nothing.
    return get_object_or_404(Opportunity.objects.visible_to(request.user).with_card(), pk=pk)


class CycleScopedList(ScopedListView):
    """A list of one cycle's opportunities."""

    model = Opportunity

    def dispatch(self, request, *args, **kwargs):
        self.cycle = _cycle_for(request, kwargs["cycle_pk"])
        request.cycle = self.cycle  # the filter's organisation choices
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            Opportunity.objects.visible_to(self.request.user)
            .for_cycle(self.cycle)
            .with_card()
            .order_by("host_organization__name", "title", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["cycle"] = self.cycle
        context["can_post"] = user.has_perm("opportunities.add_opportunity", self.cycle)
        context["can_review"] = user.has_perm("opportunities.review_opportunity", self.cycle)
        return context


class OpportunityList(CycleScopedList):
    """Everyone in the program browses the approved opportunities of a cycle."""

    permission_required = "opportunities.list_opportunities"
    filterset_class = OpportunityFilter
    template_name = "opportunities/opportunity_list.html"
    results_template_name = "opportunities/_opportunity_results.html"

    def get_base_queryset(self):
        return super().get_base_queryset().approved()


class OwnOpportunityList(CycleScopedList):
    """A coordinator's own organisation's opportunities, in every state."""

    permission_required = "opportunities.list_own_opportunities"
    filterset_class = OpportunityFilter
    template_name = "opportunities/own_list.html"
    results_template_name = "opportunities/_opportunity_results.html"

    def get_base_queryset(self):
        from talent_exchange.accounts.roles import roles_of

        roles = roles_of(self.request.user)
        queryset = super().get_base_queryset()
        if roles.is_auditor or roles.is_superuser:
            return queryset
        return queryset.hosted_by(roles.coordinator_org_ids)


class ReviewQueue(CycleScopedList):
    """The administrator's queue: opportunities awaiting approval."""

    permission_required = "opportunities.list_review_queue"
    filterset_class = OpportunityFilter
    template_name = "opportunities/review_queue.html"
    results_template_name = "opportunities/_opportunity_results.html"

    def get_permission_object(self):
        return self.cycle

    def get_base_queryset(self):
        return super().get_base_queryset().awaiting_approval()


@permission_required("opportunities.view_opportunity", fn=_opportunity_for)
def opportunity_detail(request, pk):
    opportunity = _opportunity_for(request, pk)
    user = request.user
    can_change = user.has_perm("opportunities.change_opportunity", opportunity)
    can_review = user.has_perm("opportunities.review_opportunity", opportunity)
    status = opportunity.status
    context = {
        "opportunity": opportunity,
        "cycle": opportunity.cycle,
        "can_edit": can_change and opportunity.is_editable,
        "can_submit": can_change and opportunity.is_editable,
        "can_withdraw": can_change and status != OpportunityStatus.WITHDRAWN,
        "review_form": ReviewForm() if can_review and status == "submitted" else None,
        "withdraw_form": WithdrawForm(),
        "transitions": opportunity.transitions.select_related("actor")
        if can_change
        or can_review
        or user.has_perm("opportunities.view_opportunitytransition", opportunity)
        else None,
    }
    return render(request, "opportunities/opportunity_detail.html", context)


def _save(request, form, opportunity):
    try:
        services.save_draft(
            opportunity,
            actor=request.user,
            skills_required=form.cleaned_data["skills_required"],
            skills_developed=form.cleaned_data["skills_developed"],
        )
    except ValidationError as invalid:
        form.add_error(None, invalid)
        return False
    except ActionRefused as refusal:
        form.add_error(None, refusal.message)
        return False
    return True


@permission_required("opportunities.add_opportunity", fn=_cycle_for)
def create_opportunity(request, cycle_pk):
    cycle = _cycle_for(request, cycle_pk)
    form = OpportunityForm(request.POST or None, user=request.user, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        opportunity = form.save(commit=False)
        if _save(request, form, opportunity):
            messages.success(
                request, _("The draft was saved. Submit it when it is ready for approval.")
            )
            return redirect("opportunities:detail", pk=opportunity.pk)
    return render(request, "opportunities/opportunity_form.html", {"form": form, "cycle": cycle})


@permission_required("opportunities.change_opportunity", fn=_opportunity_for)
def edit_opportunity(request, pk):
    opportunity = _opportunity_for(request, pk)
    if not opportunity.is_editable:
        messages.error(
            request,
            _("This opportunity is “%(status)s” and can no longer be edited.")
            % {"status": opportunity.get_status_display()},
        )
        return redirect("opportunities:detail", pk=pk)
    form = OpportunityForm(
        request.POST or None, instance=opportunity, user=request.user, cycle=opportunity.cycle
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, form.instance):
        messages.success(request, _("The opportunity was saved."))
        return redirect("opportunities:detail", pk=pk)
    return render(
        request,
        "opportunities/opportunity_form.html",
        {"form": form, "cycle": opportunity.cycle, "object": opportunity},
    )


def _act(request, pk, action, success: str):
    opportunity = _opportunity_for(request, pk)
    return perform(
        request,
        lambda: action(opportunity),
        success=success,
        then=redirect("opportunities:detail", pk=pk),
    )


@require_POST
@permission_required("opportunities.submit_opportunity", fn=_opportunity_for)
def submit_opportunity(request, pk):
    return _act(
        request,
        pk,
        lambda o: services.submit(o, actor=request.user),
        _("The opportunity was submitted for approval."),
    )


@require_POST
@permission_required("opportunities.withdraw_opportunity", fn=_opportunity_for)
def withdraw_opportunity(request, pk):
    form = WithdrawForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda o: services.withdraw(o, actor=request.user, comment=comment),
        _("The opportunity was withdrawn."),
    )


@require_POST
@permission_required("opportunities.review_opportunity", fn=_opportunity_for)
def review_opportunity(request, pk):
    opportunity = _opportunity_for(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == ReviewForm.APPROVE:
                services.approve(opportunity, actor=request.user, comment=comment)
                messages.success(request, _("The opportunity was approved."))
            else:
                services.return_for_changes(opportunity, actor=request.user, comment=comment)
                messages.success(request, _("The opportunity was returned to the host."))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("opportunities:detail", pk=pk)
    return render(
        request,
        "opportunities/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "cycle": opportunity.cycle,
            "review_form": form,
            "transitions": opportunity.transitions.select_related("actor"),
        },
        status=400,
    )
