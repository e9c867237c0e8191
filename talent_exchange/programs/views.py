"""Programs, their cycles, and moving a cycle through its phases."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, UpdateView

from talent_exchange.core import hooks
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.forms import Form, ModelForm
from talent_exchange.core.permissions import PermissionView, permission_for_object
from talent_exchange.core.views_base import SuccessMessageMixin

from .models import CYCLE_WORKFLOW, PHASE_ORDER, Cycle, CyclePhase, CycleTransition, Phase, Program
from .services import move_cycle


class ProgramList(PermissionView, ListView):
    model = Program
    permission_required = "programs.list_programs"
    template_name = "programs/program_list.html"

    def get_queryset(self):
        return (
            Program.objects.visible_to(self.request.user)
            .select_related("administering_organization")
            .annotate(org_count=Count("participating_organizations", distinct=True))
            .prefetch_related(Prefetch("cycles", queryset=Cycle.objects.order_by("-created_at")))
        )


class ProgramDetail(PermissionView, DetailView):
    model = Program
    permission_required = "programs.view_program"
    template_name = "programs/program_detail.html"

    def get_queryset(self):
        return (
            Program.objects.visible_to(self.request.user)
            .select_related("administering_organization")
            .prefetch_related("participating_organizations", "cycles")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.has_perm("programs.change_program", self.object)
        return context


class ProgramForm(ModelForm):
    class Meta:
        model = Program
        fields = [
            "name",
            "short_name",
            "description",
            "participating_organizations",
            "min_assignment_months",
            "max_assignment_months",
            "reciprocity",
            "balance_tolerance",
            "eligibility",
            "min_years_of_service",
            "max_moves",
        ]
        widgets = {
            "participating_organizations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
        }


class ProgramUpdate(SuccessMessageMixin, PermissionView, UpdateView):
    model = Program
    form_class = ProgramForm
    permission_required = "programs.change_program"
    template_name = "programs/program_form.html"
    success_message = _("%(object)s was saved.")

    def get_queryset(self):
        return Program.objects.visible_to(self.request.user)

    def get_success_url(self):
        return reverse("programs:detail", args=[self.object.pk])


class MoveCycleForm(Form):
    target = forms.ChoiceField(label=_("Move to"), choices=Phase.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when going back a phase."),
    )

    def __init__(self, *args, cycle: Cycle, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (action.target, Phase(action.target).label)
            for action in CYCLE_WORKFLOW.available_actions(cycle, user)
        ]


@permission_for_object("programs.view_cycle", Cycle.objects.select_related("program"))
def cycle_detail(request, cycle):
    can_move = bool(CYCLE_WORKFLOW.available_actions(cycle, request.user))
    form = MoveCycleForm(cycle=cycle, user=request.user)
    if request.method == "POST":
        if not can_move:
            raise PermissionDenied
        form = MoveCycleForm(request.POST, cycle=cycle, user=request.user)
        if form.is_valid():
            try:
                move_cycle(
                    cycle,
                    form.cleaned_data["target"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _("The cycle is now in the %(phase)s phase.")
                    % {"phase": cycle.get_state_display()},
                )
                return redirect("programs:cycle", pk=cycle.pk)
    phases = {p.phase: p for p in CyclePhase.objects.filter(cycle=cycle)}
    current_index = PHASE_ORDER.index(cycle.state)
    timeline = [
        {
            "phase": Phase(code),
            "dates": phases.get(code),
            "done": i < current_index,
            "current": i == current_index,
        }
        for i, code in enumerate(PHASE_ORDER)
    ]
    transitions = CycleTransition.objects.filter(cycle=cycle).select_related("actor")
    return render(
        request,
        "programs/cycle_detail.html",
        {
            "cycle": cycle,
            "timeline": timeline,
            "transitions": transitions,
            "form": form if can_move else None,
            "cycle_links": hooks.cycle_links(cycle, request.user),
        },
    )
