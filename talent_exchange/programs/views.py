"""Programs, their cycles, and moving a cycle through its phases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.forms import BaseModelFormSet
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from talent_exchange.core import dashboard
from talent_exchange.core.forms import Form
from talent_exchange.core.permissions import (
    PermissionView,
    permission_for_object,
    permission_required,
)
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import ScopedListView, perform, perform_form
from talent_exchange.organizations.filters import OrganizationFilter
from talent_exchange.organizations.models import Organization, sector_for

from . import services
from .forms import (
    AgreementTemplateForm,
    ChainFormSet,
    CycleForm,
    ProgramCreateForm,
    ProgramRulesForm,
    RubricFormSet,
)
from .models import (
    CYCLE_WORKFLOW,
    INVITATION_WORKFLOW,
    PHASE_ORDER,
    Cycle,
    CyclePhase,
    CycleTransition,
    Phase,
    Program,
    ProgramInvitation,
)
from .presenters import PHASE_GUIDE, onboarding_checklist, rule_changes
from .services import move_cycle
from .shapes import template_for


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm("programs.add_program")
        return context


class ProgramDetail(PermissionView, DetailView):
    model = Program
    permission_required = "programs.view_program"
    template_name = "programs/program_detail.html"

    def get_queryset(self):
        return (
            Program.objects.visible_to(self.request.user)
            .with_setup_progress()
            .select_related("administering_organization")
            .prefetch_related("cycles")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # A national program has hundreds of organisations: a page of them at a time.
        context["organisations"] = Paginator(
            self.object.participating_organizations.order_by("name", "pk"), settings.PAGE_SIZE
        ).get_page(self.request.GET.get("organisations_page"))
        context["can_edit"] = user.has_perm("programs.change_program", self.object)
        context["can_add_cycle"] = user.has_perm("programs.add_cycle", self.object)
        context["checklist"] = onboarding_checklist(self.object) if context["can_edit"] else None
        context["can_invite"] = user.has_perm("programs.invite_organization", self.object)
        context["can_remove"] = user.has_perm("programs.remove_organization", self.object)
        context["invitations"] = (
            ProgramInvitation.objects.visible_to(user)
            .pending()
            .filter(program=self.object)
            .select_related("organization", "invited_by")
        )
        return context


@permission_required("programs.add_program")
@submitted_once
def create_program(request):
    """A new program from the template of one of the shapes we serve."""
    form = ProgramCreateForm(
        request.POST or None, organizations=services.administering_choices(request.user)
    )

    def create(data):
        administering = data["administering_organization"] or Organization(
            name=data["new_organization"].strip(),
            kind=data["new_organization_kind"],
            sector=sector_for(data["new_organization_kind"]),
        )
        return services.create_program(
            template_for(data["template"]),
            actor=request.user,
            name=data["name"],
            short_name=data["short_name"],
            description=data["description"],
            administering_organization=administering,
        )

    return perform_form(
        request,
        form,
        create,
        success=lambda program: (
            _("%(program)s was created from its template. Check its rules below.")
            % {"program": program}
        ),
        then=lambda program: redirect("programs:edit", pk=program.pk),
        template="programs/program_create.html",
    )


# The formsets of the settings page that take one more row on request ("Add a step").
ROW_PREFIXES: dict[str, type[BaseModelFormSet[Any, Any]]] = {
    "chain": ChainFormSet,
    "rubric": RubricFormSet,
}


def _with_one_more_row(data: QueryDict, prefix: str) -> QueryDict:
    """The page's data with one more empty row in the ``prefix`` formset, filled with the
    row's defaults (an unchanged row saves nothing). A plain button does it: no script."""
    data = data.copy()
    count = str(data.get(f"{prefix}-TOTAL_FORMS", ""))
    formset_class = ROW_PREFIXES[prefix]
    if not count.isdigit() or int(count) >= formset_class.max_num:
        return data  # a tampered count is the formset's to refuse; at the limit, no more rows
    total = int(count)
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    for name, field in formset_class.form.base_fields.items():
        if field.initial is not None:
            data[f"{prefix}-{total}-{name}"] = str(field.initial)
    return data


def _rules_forms(request, program: Program) -> services.ProgramRules:
    from talent_exchange.interviews.models import RubricCriterion
    from talent_exchange.nominations.models import EndorsementStep
    from talent_exchange.placements.models import AgreementTemplate

    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("add_row") in ROW_PREFIXES:
        data = _with_one_more_row(data, data["add_row"])
    return services.ProgramRules(
        program_form=ProgramRulesForm(
            data,
            instance=program,
            can_change_administering=request.user.is_superuser,
        ),
        chain=ChainFormSet(
            data, queryset=EndorsementStep.objects.filter(program=program), prefix="chain"
        ),
        rubric=RubricFormSet(
            data, queryset=RubricCriterion.objects.filter(program=program), prefix="rubric"
        ),
        agreement_form=AgreementTemplateForm(
            data, instance=AgreementTemplate.for_program(program), prefix="agreement"
        ),
    )


@permission_for_object(
    "programs.change_program", Program.objects.select_related("administering_organization")
)
def program_settings(request, program):
    """Every rule of a program on one page, each with its explanation; saved all at once or
    not at all, and kept in the program's history."""
    forms_ = _rules_forms(request, program)
    parts = [forms_.program_form, forms_.chain, forms_.rubric, forms_.agreement_form]
    adding_row = request.method == "POST" and request.POST.get("add_row") in ROW_PREFIXES

    def page():
        return {
            "program": program,
            "chain": forms_.chain,
            "rubric": forms_.rubric,
            "agreement_form": forms_.agreement_form,
            "has_errors": request.method == "POST" and not adding_row,
            "organisations": program.participating_organizations.order_by("name")[:50],
            "organisation_count": program.participating_organizations.count(),
            "changes": rule_changes(program, request.user),
        }

    template = "programs/program_settings.html"
    # Saved all at once or not at all: every part is checked, for all its messages.
    # "Add a step" shows the page again with one more row, saving nothing.
    saving = request.method == "POST" and not adding_row
    valid = [part.is_valid() for part in parts] if saving else []
    if adding_row or not all(valid):
        return render(request, template, {"form": forms_.program_form, **page()})
    return perform_form(
        request,
        forms_.program_form,
        lambda _data: services.save_program_rules(program, forms_, actor=request.user),
        success=_("The rules of %(program)s were saved.") % {"program": program},
        then=redirect("programs:detail", pk=program.pk),
        template=template,
        context=page,
    )


# -- cycles ---------------------------------------------------------------------------------


def _cycle_page(request, program, form, *, copy_from=None, shift_days=0):
    return perform_form(
        request,
        form,
        lambda data: services.create_cycle(
            program,
            actor=request.user,
            name=data["name"],
            name_fr=data["name_fr"],
            dates=form.dates,
            copy_from=copy_from,
        ),
        success=lambda cycle: (
            _("The cycle %(cycle)s was created.") % {"cycle": cycle.local_name}
            if copy_from is None
            else _("The cycle %(cycle)s was created as a copy of %(source)s.")
            % {"cycle": cycle.local_name, "source": copy_from.local_name}
        ),
        then=lambda cycle: redirect("programs:cycle", pk=cycle.pk),
        template="programs/cycle_form.html",
        context={"program": program, "copy_from": copy_from, "shift_days": shift_days},
    )


@permission_for_object("programs.add_cycle", Program)
@submitted_once
def create_cycle(request, program):
    """A new cycle on one form; its phase dates start from the program's template."""
    initial = {}
    if request.method != "POST":
        start = timezone.localdate() + timedelta(days=14)
        for phase, (opens, closes) in template_for(program.shape).phase_dates(start).items():
            initial[f"{phase}_opens"], initial[f"{phase}_closes"] = opens, closes
    form = CycleForm(request.POST or None, program=program, initial=initial)
    return _cycle_page(request, program, form)


@permission_for_object("programs.add_cycle", Cycle.objects.select_related("program"))
@submitted_once
def copy_cycle(request, cycle):
    """The cycle again, its dates moved past its end (editable), with its phase owners and
    panels; the program's rules and rubric are shared by every cycle."""
    program = cycle.program
    dates, days = services.copy_dates(cycle)
    initial = {"name": _("%(name)s (copy)") % {"name": cycle.name}}
    if cycle.name_fr:
        with translation.override("fr"):
            initial["name_fr"] = str(_("%(name)s (copy)") % {"name": cycle.name_fr})
    for phase, (opens, closes) in dates.items():
        initial[f"{phase}_opens"], initial[f"{phase}_closes"] = opens, closes
    form = CycleForm(request.POST or None, program=program, initial=initial)
    return _cycle_page(request, program, form, copy_from=cycle, shift_days=days)


# -- organisations join by invitation ----------------------------------------------------------


_INVITATION_PAGE = ProgramInvitation.objects.select_related(
    "program__administering_organization", "organization", "invited_by", "answered_by"
)


class InviteOrganizationList(ScopedListView):
    """Find an organisation to invite: a search box and a page of results (there may be
    thousands), leaving out those already taking part or already invited."""

    model = Organization
    permission_required = "programs.invite_organization"
    filterset_class = OrganizationFilter
    template_name = "programs/invite_list.html"
    results_template_name = "programs/_invite_results.html"

    def dispatch(self, request, *args, **kwargs):
        self.program = get_object_or_404(Program.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.program

    def get_base_queryset(self):
        program = self.program
        return (
            Organization.objects.visible_to(self.request.user)
            .exclude(pk__in=program.participating_organizations.values("pk"))
            .exclude(pk__in=program.invitations.pending().values("organization_id"))
            .select_related("parent")
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["program"] = self.program
        return context


class InvitationForm(Form):
    note = forms.CharField(
        label=_("Message to the organisation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to its coordinators with the invitation."),
    )


class EnrolForm(Form):
    reason = forms.CharField(
        label=_("Why enrol it without an invitation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A platform operator's act, kept in the history: for example, the signed "
            "participation agreement it rests on."
        ),
    )


def _organization_for(request, org_pk) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)


@permission_for_object("programs.invite_organization", Program)
@submitted_once
def invite_organization(request, program, org_pk):
    organization = _organization_for(request, org_pk)
    form = InvitationForm(request.POST if request.method == "POST" else None)

    def invited(_invitation):
        if any(c.email for c in services.coordinators_of(organization)):
            return _("%(org)s was invited; its coordinators were e-mailed.") % {"org": organization}
        return (
            messages.WARNING,
            _(
                "%(org)s was invited, but it has no coordinator yet to answer: the "
                "invitation waits until one is appointed."
            )
            % {"org": organization},
        )

    return perform_form(
        request,
        form,
        lambda data: services.invite_organization(
            program, organization, actor=request.user, note=data["note"]
        ),
        success=invited,
        then=redirect("programs:detail", pk=program.pk),
        **_invite_page(request, program, organization, enrol_form=EnrolForm()),
    )


@require_POST
@permission_for_object("programs.enrol_organization", Program)
def enrol_organization(request, program, org_pk):
    organization = _organization_for(request, org_pk)
    form = EnrolForm(request.POST)
    page = _invite_page(request, program, organization, enrol_form=form)
    page["context"]["form"] = InvitationForm()  # the page's other form, empty
    return perform_form(
        request,
        form,
        lambda data: services.enrol_organization(
            program, organization, actor=request.user, reason=data["reason"]
        ),
        success=_("%(org)s now takes part in %(program)s.")
        % {"org": organization, "program": program},
        then=redirect("programs:detail", pk=program.pk),
        **page,
    )


def _invite_page(request, program, organization, *, enrol_form) -> dict:
    """The template and context of the page with both forms: invite, and (for a platform
    operator) enrol without an invitation."""
    can_enrol = request.user.has_perm("programs.enrol_organization", program)
    return {
        "template": "programs/invite_confirm.html",
        "context": {
            "program": program,
            "organization": organization,
            "enrol_form": enrol_form if can_enrol else None,
        },
    }


class RemoveForm(Form):
    reason = forms.CharField(
        label=_("Why it leaves the program"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the program's history."),
    )


@permission_for_object("programs.remove_organization", Program)
def remove_organization(request, program, org_pk):
    organization = get_object_or_404(program.participating_organizations.all(), pk=org_pk)
    return removal_page(
        request, program, organization, back=reverse("programs:detail", args=[program.pk])
    )


def removal_page(request, program: Program, organization: Organization, *, back: str):
    """The page that takes an organisation out of a program, for its administrator and for
    the organisation's coordinator alike: what holds it there, the reason, the button."""
    form = RemoveForm(request.POST if request.method == "POST" else None)
    return perform_form(
        request,
        form,
        lambda data: services.remove_organization(
            program, organization, actor=request.user, reason=data["reason"]
        ),
        success=_("%(org)s no longer takes part in %(program)s.")
        % {"org": organization, "program": program},
        then=lambda _done: redirect(back),  # built on success only, as before
        template="programs/remove_confirm.html",
        context=lambda: {
            "program": program,
            "organization": organization,
            "ties": services.work_under_way(program, organization),
            "back": back,
        },
    )


class AnswerForm(Form):
    note = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@permission_for_object("programs.view_programinvitation", _INVITATION_PAGE)
def invitation_detail(request, invitation):
    return render(
        request,
        "programs/invitation_detail.html",
        {
            "invitation": invitation,
            "actions": INVITATION_WORKFLOW.available_names(invitation, request.user),
            # An invited organisation's coordinator does not see the program until it joins.
            "can_see_program": request.user.has_perm("programs.view_program", invitation.program),
            "answer_form": AnswerForm(),
            "withdraw_form": AnswerForm(prefix="withdraw"),
            "transitions": invitation.transitions.select_related("actor"),
        },
    )


def _answer(request, invitation, service, success: str, prefix: str | None = None):
    form = AnswerForm(request.POST, prefix=prefix)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return perform(
        request,
        lambda: service(invitation, actor=request.user, note=note),
        success=success % {"org": invitation.organization, "program": invitation.program},
        then=redirect("programs:invitation", pk=invitation.pk),
    )


@require_POST
@permission_for_object("programs.accept_programinvitation", _INVITATION_PAGE)
def accept_invitation(request, invitation):
    return _answer(
        request,
        invitation,
        services.accept_invitation,
        _("%(org)s now takes part in %(program)s."),
    )


@require_POST
@permission_for_object("programs.decline_programinvitation", _INVITATION_PAGE)
def decline_invitation(request, invitation):
    return _answer(
        request,
        invitation,
        services.decline_invitation,
        _("You declined the invitation of %(org)s to %(program)s."),
    )


@require_POST
@permission_for_object("programs.withdraw_programinvitation", _INVITATION_PAGE)
def withdraw_invitation(request, invitation):
    return _answer(
        request,
        invitation,
        services.withdraw_invitation,
        _("The invitation of %(org)s to %(program)s was withdrawn."),
        prefix="withdraw",
    )


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
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [
            (action.target, Phase(action.target).label)
            for action in CYCLE_WORKFLOW.available_actions(cycle, user)
            if action.target is not None
        ]


@permission_for_object("programs.view_cycle", Cycle.objects.select_related("program"))
def cycle_detail(request, cycle):
    can_move = bool(CYCLE_WORKFLOW.available_actions(cycle, request.user))
    form = MoveCycleForm(cycle=cycle, user=request.user)
    if request.method == "POST":
        if not can_move:
            raise PermissionDenied
        form = MoveCycleForm(request.POST, cycle=cycle, user=request.user)
    return perform_form(
        request,
        form,
        lambda data: move_cycle(cycle, data["target"], actor=request.user, note=data["note"]),
        success=lambda _moved: (
            _("The cycle is now in the %(phase)s phase.") % {"phase": cycle.get_state_display()}
        ),
        then=redirect("programs:cycle", pk=cycle.pk),
        template="programs/cycle_detail.html",
        context=lambda: _cycle_page_context(request, cycle, form if can_move else None),
    )


def _cycle_page_context(request, cycle, form) -> dict:
    phases = {p.phase: p for p in CyclePhase.objects.filter(cycle=cycle).select_related("owner")}
    current_index = PHASE_ORDER.index(cycle.state)
    timeline = [
        {
            "phase": Phase(code),
            "dates": phases.get(code),
            "done": i < current_index,
            "current": i == current_index,
            "opens": PHASE_GUIDE.get(code, ("", ""))[0],
            "waiting": PHASE_GUIDE.get(code, ("", ""))[1],
        }
        for i, code in enumerate(PHASE_ORDER)
    ]
    transitions = CycleTransition.objects.filter(cycle=cycle).select_related("actor")
    return {
        "cycle": cycle,
        "timeline": timeline,
        "transitions": transitions,
        "form": form,
        "can_copy": request.user.has_perm("programs.add_cycle", cycle),
        "cycle_links": dashboard.links_for_cycle(cycle, request.user),
    }
