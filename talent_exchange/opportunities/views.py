"""Opportunity pages: browse a cycle's approved slots, post and edit your own, review."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from talent_exchange.core.permissions import permission_for_object
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import ScopedListView, perform, perform_form
from talent_exchange.programs.models import Cycle

from . import services
from .filters import OpportunityFilter
from .forms import OpportunityForm, ReviewForm, WithdrawForm
from .models import OPPORTUNITY_WORKFLOW, Opportunity
from .presenters import opportunity_rows, skill_names

# Out of the user's reach is "not found": guessing URLs reveals nothing (get_for_user).
CYCLES = Cycle.objects.select_related("program")
OPPORTUNITIES = Opportunity.objects.with_card()
# An opportunity's page reads its skills as names (presenters.skill_names), not prefetched.
OPPORTUNITY_PAGE = Opportunity.objects.select_related(
    "host_organization", "cycle__program", "coach"
)


def _cycle_for(request, cycle_pk) -> Cycle:
    return get_object_or_404(CYCLES.visible_to(request.user), pk=cycle_pk)


class CycleScopedList(ScopedListView):
    """A list of one cycle's opportunities."""

    model = Opportunity
    # The rows written by opportunity_rows (the results template shows ``rows``); the
    # review queue's template writes its own, with a box to tick on each.
    writes_rows = False

    def dispatch(self, request, *args, **kwargs):
        self.cycle = _cycle_for(request, kwargs["cycle_pk"])
        request.cycle = self.cycle  # the filter's organisation choices
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        queryset = (
            Opportunity.objects.visible_to(self.request.user)
            .for_cycle(self.cycle)
            .order_by("host_organization__name", "title", "pk")
        )
        return queryset.for_rows() if self.writes_rows else queryset.with_card()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["cycle"] = self.cycle
        if self.writes_rows:
            context["rows"] = opportunity_rows(list(context["object_list"]))
        context["can_post"] = user.has_perm("opportunities.add_opportunity", self.cycle)
        context["can_review"] = user.has_perm("opportunities.review_opportunity", self.cycle)
        return context


class OpportunityList(CycleScopedList):
    """Everyone in the program browses the approved opportunities of a cycle."""

    permission_required = "opportunities.list_opportunities"
    filterset_class = OpportunityFilter
    template_name = "opportunities/opportunity_list.html"
    results_template_name = "opportunities/_opportunity_results.html"
    writes_rows = True

    def get_base_queryset(self):
        return super().get_base_queryset().approved()


class OwnOpportunityList(CycleScopedList):
    """A coordinator's own organisation's opportunities, in every state."""

    permission_required = "opportunities.list_own_opportunities"
    filterset_class = OpportunityFilter
    template_name = "opportunities/own_list.html"
    results_template_name = "opportunities/_opportunity_results.html"
    writes_rows = True

    def get_base_queryset(self):
        from talent_exchange.accounts.roles import roles_of

        roles = roles_of(self.request.user)
        queryset = super().get_base_queryset()
        if roles.is_auditor or roles.is_superuser:
            return queryset
        return queryset.hosted_by(roles.coordinator_org_ids)


class ReviewQueue(CycleScopedList):
    """The administrator's queue: opportunities awaiting approval, to approve one by one
    (the detail page) or several at once (ticked here)."""

    permission_required = "opportunities.list_review_queue"
    filterset_class = OpportunityFilter
    template_name = "opportunities/review_queue.html"
    results_template_name = "opportunities/_review_results.html"

    def get_permission_object(self):
        return self.cycle

    def get_base_queryset(self):
        return super().get_base_queryset().awaiting_approval()


@permission_for_object("opportunities.view_opportunity", OPPORTUNITY_PAGE)
def opportunity_detail(request, opportunity):
    user = request.user
    actions = OPPORTUNITY_WORKFLOW.available_names(opportunity, user)
    context = {
        "opportunity": opportunity,
        "cycle": opportunity.cycle,
        "actions": actions,
        "review_form": ReviewForm() if "approve" in actions else None,
        "withdraw_form": WithdrawForm(),
        **skill_names(opportunity.pk),
        "transitions": opportunity.transitions.select_related("actor")
        if actions
        or user.has_perm("opportunities.change_opportunity", opportunity)
        or user.has_perm("opportunities.view_opportunitytransition", opportunity)
        else None,
    }
    return render(request, "opportunities/opportunity_detail.html", context)


def _save(request, data, opportunity) -> Opportunity:
    return services.save_draft(
        opportunity,
        actor=request.user,
        skills_required=data["skills_required"],
        skills_developed=data["skills_developed"],
    )


@permission_for_object("opportunities.add_opportunity", CYCLES, kwarg="cycle_pk")
@submitted_once
def create_opportunity(request, cycle):
    form = OpportunityForm(request.POST or None, user=request.user, cycle=cycle)
    return perform_form(
        request,
        form,
        lambda data: _save(request, data, form.save(commit=False)),
        success=_("The draft was saved. Submit it when it is ready for approval."),
        then=lambda opportunity: redirect("opportunities:detail", pk=opportunity.pk),
        template="opportunities/opportunity_form.html",
        context={"cycle": cycle},
    )


@permission_for_object("opportunities.change_opportunity", OPPORTUNITIES)
def edit_opportunity(request, opportunity):
    pk = opportunity.pk
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
    return perform_form(
        request,
        form,
        lambda data: _save(request, data, form.instance),
        success=_("The opportunity was saved."),
        then=redirect("opportunities:detail", pk=pk),
        template="opportunities/opportunity_form.html",
        context={"cycle": opportunity.cycle, "object": opportunity},
    )


def _act(request, opportunity, action, success: str):
    return perform(
        request,
        lambda: action(opportunity),
        success=success,
        then=redirect("opportunities:detail", pk=opportunity.pk),
    )


@require_POST
@permission_for_object("opportunities.submit_opportunity", OPPORTUNITIES)
def submit_opportunity(request, opportunity):
    return _act(
        request,
        opportunity,
        lambda o: services.submit(o, actor=request.user),
        _("The opportunity was submitted for approval."),
    )


@require_POST
@permission_for_object("opportunities.withdraw_opportunity", OPPORTUNITIES)
def withdraw_opportunity(request, opportunity):
    form = WithdrawForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        opportunity,
        lambda o: services.withdraw(o, actor=request.user, comment=comment),
        _("The opportunity was withdrawn."),
    )


@require_POST
@permission_for_object("opportunities.review_opportunity", CYCLES, kwarg="cycle_pk")
def approve_many(request, cycle):
    """Approve the opportunities ticked in the review queue, in one go."""
    ids = [int(pk) for pk in request.POST.getlist("opportunity") if pk.isdigit()]
    chosen = list(
        Opportunity.objects.visible_to(request.user)
        .filter(cycle=cycle, pk__in=ids)
        .awaiting_approval()
        .order_by("title", "pk")
    )
    back = redirect("opportunities:queue", cycle_pk=cycle.pk)
    if not chosen:
        messages.error(request, _("Tick the opportunities to approve."))
        return back
    return perform(
        request,
        lambda: services.approve_many(chosen, actor=request.user),
        success=ngettext(
            "%(n)s opportunity was approved.", "%(n)s opportunities were approved.", len(chosen)
        )
        % {"n": len(chosen)},
        then=back,
    )


@require_POST
@permission_for_object("opportunities.review_opportunity", OPPORTUNITIES)
def review_opportunity(request, opportunity):
    form = ReviewForm(request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        if form.cleaned_data["decision"] == ReviewForm.APPROVE:
            return _act(
                request,
                opportunity,
                lambda o: services.approve(o, actor=request.user, comment=comment),
                _("The opportunity was approved."),
            )
        return _act(
            request,
            opportunity,
            lambda o: services.return_for_changes(o, actor=request.user, comment=comment),
            _("The opportunity was returned to the host."),
        )
    return render(
        request,
        "opportunities/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "cycle": opportunity.cycle,
            "review_form": form,
            **skill_names(opportunity.pk),
            "transitions": opportunity.transitions.select_related("actor"),
        },
        status=400,
    )
