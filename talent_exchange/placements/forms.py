"""Forms for the placement pages; the services do the checking that needs the database."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.forms import Form, ModelForm
from talent_exchange.people.models import Person

from .models import Achievement, Agreement, Outcome


class AgreementTermsForm(ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "return_position",
            "return_rights",
            "return_rights_fr",
            "re_entry_plan",
            "re_entry_plan_fr",
            "return_service_months",
            "salary_home_percent",
            "salary_host_percent",
            "expenses_home_percent",
            "expenses_host_percent",
            "reimbursement",
            "appraisal_handling",
            "appraisal_handling_fr",
            "awards_handling",
            "awards_handling_fr",
            "conflict_statement",
            "conflict_statement_fr",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "return_rights",
                "re_entry_plan",
                "reimbursement",
                "appraisal_handling",
                "awards_handling",
                "conflict_statement",
                "return_rights_fr",
                "re_entry_plan_fr",
                "appraisal_handling_fr",
                "awards_handling_fr",
                "conflict_statement_fr",
            )
        }

    def clean(self):
        data = super().clean()
        for kind in ("salary", "expenses"):
            home, host = data.get(f"{kind}_home_percent"), data.get(f"{kind}_host_percent")
            if home is not None and host is not None and home + host != 100:
                self.add_error(
                    f"{kind}_host_percent",
                    _("The home and host shares must add up to 100%."),
                )
        return data


class SupervisorsForm(Form):
    """Who supervises the assignment on each side: people of that side's organisation."""

    home_supervisor: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Home supervisor"),
        help_text=_("Evaluates the assignment from the home organisation."),
    )
    coach: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Host supervisor and coach"),
        help_text=_("Supervises and coaches the participant at the host organisation."),
    )

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.exclude(pk=placement.person_id).order_by("last_name", "first_name")
        self.fields["home_supervisor"].queryset = people.filter(
            organization_id=placement.home_organization_id
        )
        self.fields["coach"].queryset = people.filter(
            organization_id=placement.host_organization_id
        )


class ObjectiveForm(Form):
    description = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 3}))
    indicators = forms.CharField(
        label=_("Indicators of success"),
        help_text=_("How you will know the objective was met."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ObjectiveReviewForm(Form):
    achievement = forms.ChoiceField(
        label=_("Result"), choices=Achievement.choices, widget=forms.RadioSelect
    )
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))


class CheckInForm(Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        help_text=_("A few lines: what you discussed and what happens next."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluationForm(Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how is the assignment going?"),
        coerce=int,
        choices=[
            (5, _("5 – excellent")),
            (4, _("4 – good")),
            (3, _("3 – satisfactory")),
            (2, _("2 – some difficulties")),
            (1, _("1 – serious difficulties")),
        ],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 4}))
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_with_program = forms.BooleanField(
        label=_("Share these lessons learned with the program"), required=False
    )

    def __init__(self, *args, final: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not final:
            del self.fields["lessons_learned"]
            del self.fields["share_with_program"]


class ExtendForm(Form):
    new_end = forms.DateField(label=_("New end date"), widget=forms.DateInput)
    note = forms.CharField(label=_("Why"), required=False)
    override = forms.BooleanField(
        label=_("Override the program's longest assignment (administrators only)"),
        required=False,
    )

    def __init__(self, *args, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override"]


class EndEarlyForm(Form):
    ended_on = forms.DateField(label=_("Last day of the assignment"), widget=forms.DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(Form):
    returned_on = forms.DateField(label=_("Back home on"), widget=forms.DateInput)
    position = forms.CharField(label=_("Position returned to"))


class NoteForm(Form):
    note = forms.CharField(label=_("Note"), required=False)


YES_NO = [("", _("Not known")), ("true", _("Yes")), ("false", _("No"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=capfirst(label),
        choices=YES_NO,
        required=False,
        coerce=lambda v: {"true": True, "false": False}.get(v),
        empty_value=None,
        widget=forms.RadioSelect,
    )


class OutcomeForm(Form):
    promoted = _yes_no(Outcome._meta.get_field("promoted").verbose_name)
    new_role = _yes_no(Outcome._meta.get_field("new_role").verbose_name)
    still_with_home = _yes_no(Outcome._meta.get_field("still_with_home").verbose_name)
    obligation_fulfilled = _yes_no(Outcome._meta.get_field("obligation_fulfilled").verbose_name)
    position = forms.CharField(label=_("Position now"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
