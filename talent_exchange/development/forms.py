"""The forms of executive development pages; the services check the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from talent_exchange.accounts.roles import roles_of
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import AssignmentType, Person
from talent_exchange.placements.models import Placement
from talent_exchange.programs.models import Program

from .models import (
    ActivityType,
    Competency,
    Decision,
    ExceptionReason,
    FrameworkVersion,
    MobilityRule,
    ProgressStage,
)


class PlanForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    year = forms.IntegerField(label=_("Appraisal year"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(
        label=_("Competency framework"), queryset=FrameworkVersion.objects.all()
    )
    goals = forms.CharField(
        label=_("Short- and long-term goals"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs


class ItemForm(forms.Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.none())
    activity_type = forms.ChoiceField(label=_("Activity"), choices=ActivityType.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    starts_on = forms.DateField(
        label=_("Target start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Target end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cost = forms.DecimalField(
        label=_("Cost"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    success_criteria = forms.CharField(
        label=_("Indicators of success"), widget=forms.Textarea, required=False
    )
    placement = forms.ModelChoiceField(
        label=_("Placement (for a developmental assignment)"),
        queryset=Placement.objects.none(),
        required=False,
    )

    def __init__(self, *args, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(version=plan.framework)
        # Every placement the user may see: the service refuses someone else's, with a reason.
        self.fields["placement"].queryset = Placement.objects.visible_to(user).select_related(
            "person"
        )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class ProgressForm(forms.Form):
    stage = forms.ChoiceField(label=_("Review"), choices=ProgressStage.choices)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea)


class RuleForm(forms.ModelForm):
    counted_types = forms.MultipleChoiceField(
        label=_("Assignment types that count"),
        choices=AssignmentType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MobilityRule
        fields = [
            "interval_years",
            "min_days",
            "counted_types",
            "due_within_months",
            "min_moves",
            "max_moves",
            "moves_period_years",
            "goal_share",
            "framework",
        ]


# The exception form's list of executives offers this many (find the others by name), as the
# match constraints' and rankings' pickers do: a program has thousands of executives.
CHOICES_SHOWN = settings.PAGE_SIZE
FIND_MAX_LENGTH = 100


class ExceptionForm(forms.Form):
    """The executive is picked from a list of at most ``CHOICES_SHOWN`` of ``people``
    (narrowed by what was typed in the page's find box); a posted executive is checked
    against all of ``people``, so one picked from an earlier search still validates."""

    person = forms.ModelChoiceField(label=_("Executive"), queryset=Person.objects.none())
    reason = forms.ChoiceField(label=_("Reason"), choices=ExceptionReason.choices)
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea, required=False)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people, shown=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people  # what a posted value is checked against
        # found ones best first (people/search.py), otherwise by name
        offered = shown if shown is not None else people.order_by("last_name", "first_name", "pk")
        rows = list(offered.select_related("organization")[: CHOICES_SHOWN + 1])
        self.shown = CHOICES_SHOWN
        self.more = len(rows) > CHOICES_SHOWN
        rows = rows[:CHOICES_SHOWN]
        picked = self.data.get("person", "") if self.is_bound else self.initial.get("person")
        if str(picked or "").isdigit() and int(picked) not in {p.pk for p in rows}:
            rows += list(people.select_related("organization").filter(pk=int(picked)))
        field.widget.choices = [("", field.empty_label)] + [
            (p.pk, f"{p} ({p.organization})") for p in rows
        ]


class SessionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class TalentSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, position or skill"), required=False, max_length=200)
    would_take = forms.CharField(
        label=_("Assignments they would take"), required=False, max_length=200
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )
    designation = forms.CharField(label=_("Designation"), required=False, max_length=100)
    min_years = forms.IntegerField(
        label=_("At least this many years of service"), required=False, min_value=0, max_value=80
    )
    moved_since = forms.IntegerField(
        label=_("On an assignment since (year)"), required=False, min_value=1900, max_value=2100
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # The organisations of the user's scope, from their roles: not a pass over every
            # profile they see (100,000 for a consortium's administrator). The results stay
            # scoped by ``Person.objects.visible_to`` whatever is chosen here.
            roles = roles_of(user)
            organizations = Organization.objects.all()
            if not (roles.is_superuser or roles.is_auditor):
                ids = set(roles.admin_org_ids | roles.coordinator_org_ids | roles.board_org_ids)
                if roles.person_organization_id:
                    ids.add(roles.person_organization_id)
                organizations = organizations.filter(pk__in=ids)
            self.fields["organization"].queryset = organizations


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class AgreementForm(forms.Form):
    agree = forms.BooleanField(label=_("I have read and sign this mobility agreement"))
