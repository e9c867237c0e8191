"""The forms that set a program up: its creation from a template, its rules, its cycles."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.bilingual import FRENCH_VERSION_HELP
from talent_exchange.core.forms import Form, ModelForm
from talent_exchange.interviews.models import RubricCriterion, Score
from talent_exchange.nominations.models import EndorsementStep
from talent_exchange.organizations.models import Kind, Organization
from talent_exchange.people.models import AssignmentType
from talent_exchange.placements.models import AgreementTemplate

from .models import Phase, Program
from .presenters import PHASE_GUIDE
from .schedule import DATED_PHASES
from .shapes import all_templates


class ProgramCreateForm(Form):
    """Step one: which shape, what name, who administers it."""

    template = forms.ChoiceField(
        label=_("Kind of program"),
        widget=forms.RadioSelect,
        help_text=_(
            "The template sets the starting rules: assignment types and lengths, reciprocity, "
            "eligibility, the endorsement chain, the interview rubric, reminders and the "
            "agreement. You can change every rule afterwards."
        ),
    )
    name = forms.CharField(label=_("Name of the program"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name (optional)"),
        max_length=40,
        required=False,
        help_text=_("Shown where space is short, for example MTEP."),
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    administering_organization = forms.ModelChoiceField(
        label=_("Administering organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The organisation whose office runs the program for all the others."),
    )
    new_organization = forms.CharField(
        label=_("Or a new organisation’s name"),
        max_length=200,
        required=False,
        help_text=_("When the administering organisation is not on the platform yet."),
    )
    new_organization_kind = forms.ChoiceField(
        label=_("Kind of the new organisation"),
        choices=[("", "---------"), *Kind.choices],
        required=False,
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ChoiceField)
        template_field.choices = [
            (shape, f"{t.label} — {t.description}") for shape, t in all_templates().items()
        ]
        org_field = self.fields["administering_organization"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organizations

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Program.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A program with this name already exists."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        existing = data.get("administering_organization")
        new = (data.get("new_organization") or "").strip()
        if existing and new:
            self.add_error(
                "new_organization",
                _("Choose an existing organisation or name a new one, not both."),
            )
        elif not existing and not new:
            self.add_error(
                "administering_organization",
                _("Choose the administering organisation, or name a new one below."),
            )
        elif new:
            if Organization.objects.filter(name__iexact=new).exists():
                self.add_error(
                    "new_organization",
                    _("An organisation with this name exists already: choose it above."),
                )
            if not data.get("new_organization_kind"):
                self.add_error("new_organization_kind", _("Say what kind of organisation it is."))
        return data


class ProgramRulesForm(ModelForm):
    """The program's own rules (the chain, the rubric and the agreement have their forms)."""

    assignment_types = forms.MultipleChoiceField(
        label=_("Assignment types"),
        choices=AssignmentType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of assignment hosts may post in this program."),
        error_messages={"required": _("Choose at least one kind of assignment.")},
    )
    reminder_days = forms.CharField(
        label=_("Reminder schedule (days before a phase closes)"),
        required=False,
        max_length=60,
        help_text=_(
            "Whole numbers of days, separated by commas, for example “7, 2”: the people a "
            "phase waits on are reminded that many days before it closes. Leave empty for "
            "no reminders."
        ),
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "name_fr",
            "short_name",
            "description",
            "administering_organization",
            "assignment_types",
            "min_assignment_months",
            "max_assignment_months",
            "eligibility",
            "min_years_of_service",
            "max_moves",
            "reciprocity",
            "balance_tolerance",
            "reminder_days",
            "requires_conflict_attestation",
            "phases_may_overlap",
            "cycles_may_overlap",
            "refuse_overlapping_interviews",
            "administrators_act_for_organizations",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "min_assignment_months": _("Hosts cannot post an assignment shorter than this."),
            "max_assignment_months": _("… nor longer than this."),
            "reciprocity": _(
                "Whether the match keeps each organisation's sending and receiving in "
                "balance (an exchange), or places people wherever they fit best "
                "(demand-driven)."
            ),
            "balance_tolerance": _(
                "With balanced reciprocity: how far the number an organisation receives may "
                "differ from the number it sends."
            ),
            "administering_organization": _(
                "The organisation whose office runs the program. Only a platform operator "
                "can change it: the program's administrators reach its people."
            ),
            "min_years_of_service": _("Nominees with fewer years of service are not eligible."),
        }

    def __init__(self, *args: Any, can_change_administering: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kwargs.get("instance") is not None and not self.is_bound:
            self.initial["reminder_days"] = ", ".join(
                str(d) for d in kwargs["instance"].reminder_days
            )
        if not can_change_administering:
            self.fields["administering_organization"].disabled = True

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data["reminder_days"] or ""
        days: set[int] = set()
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= 365:
                raise forms.ValidationError(
                    _(
                        "Write whole numbers of days from 1 to 365, separated by commas, for "
                        "example “7, 2”."
                    )
                )
            days.add(int(part))
        return sorted(days, reverse=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shortest, longest = data.get("min_assignment_months"), data.get("max_assignment_months")
        if shortest is not None and longest is not None and shortest > longest:
            self.add_error(
                "max_assignment_months",
                _("The longest assignment cannot be shorter than the shortest."),
            )
        if shortest == 0:
            self.add_error("min_assignment_months", _("An assignment lasts at least a month."))
        return data


class EndorsementStepForm(ModelForm):
    order = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        max_value=50,
        help_text=_("Steps sign in this order; change the numbers to reorder them."),
    )

    class Meta:
        model = EndorsementStep
        fields = ["order", "title", "kind"]
        labels = {"title": _("Who signs (title)")}


class BaseChainFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("title")
        ]
        if not kept:
            raise forms.ValidationError(
                _(
                    "The endorsement chain needs at least one step: say who signs a "
                    "nomination first."
                )
            )


ChainFormSet = forms.modelformset_factory(
    EndorsementStep,
    form=EndorsementStepForm,
    formset=BaseChainFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
    absolute_max=20,  # a forged TOTAL_FORMS builds no more forms than this
)


class RubricCriterionForm(ModelForm):
    order = forms.IntegerField(label=_("Position"), min_value=1, max_value=50)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal(0),
        max_value=Decimal("99.99"),
        decimal_places=2,
        initial=Decimal(1),
        help_text=_("How much this criterion counts in the candidate's score; 0 leaves it out."),
    )
    max_score = forms.IntegerField(
        label=_("Highest score"),
        min_value=1,
        max_value=100,
        initial=5,
        help_text=_("Panelists score from 0 to this."),
    )

    class Meta:
        model = RubricCriterion
        fields = ["order", "name", "description", "weight", "max_score"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class BaseRubricFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept, refused = [], []
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                # A form marked for deletion is not validated: the refusal is the formset's.
                instance = form.instance
                if instance.pk and Score.objects.filter(criterion=instance).exists():
                    refused.append(
                        _(
                            "Panelists have scored candidates on “%(name)s”: it cannot be "
                            "removed. Give it the weight 0 to leave it out of the scores."
                        )
                        % {"name": instance.name},
                    )
                continue
            kept.append(form)
        if refused:
            raise forms.ValidationError(refused)
        if kept and sum(f.cleaned_data["weight"] for f in kept) <= 0:
            raise forms.ValidationError(
                _(
                    "The weights add up to zero, so no candidate would get a score: give at "
                    "least one criterion a weight above zero."
                )
            )


RubricFormSet = forms.modelformset_factory(
    RubricCriterion,
    form=RubricCriterionForm,
    formset=BaseRubricFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
    absolute_max=30,  # a forged TOTAL_FORMS builds no more forms than this
)


class AgreementTemplateForm(ModelForm):
    class Meta:
        model = AgreementTemplate
        fields = [
            "return_service_months",
            "return_rights_text",
            "return_rights_text_fr",
            "re_entry_text",
            "re_entry_text_fr",
            "conflict_text",
            "conflict_text_fr",
            "appraisal_text",
            "appraisal_text_fr",
            "awards_text",
            "awards_text_fr",
            "salary_home_percent",
            "expenses_home_percent",
            "checkin_interval_months",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for text in (
                "return_rights_text",
                "re_entry_text",
                "conflict_text",
                "appraisal_text",
                "awards_text",
            )
            for name in (text, f"{text}_fr")
        }
        help_texts = {
            "return_service_months": _(
                "How long a participant stays with the home organisation after returning "
                "(0 for no obligation)."
            ),
            "conflict_text": _(
                "Included in every agreement when the program requires the attestation, and "
                "always when the host is an external organisation."
            ),
            "salary_home_percent": _("The host pays the rest."),
            "expenses_home_percent": _("The host pays the rest."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("salary_home_percent", "expenses_home_percent"):
            if (data.get(name) or 0) > 100:
                self.add_error(name, _("A share cannot be more than 100%."))
        return data


class CycleForm(Form):
    """A cycle on one form: its name and the dates of its six phases. The program's rules
    decide what a valid schedule is (``services.cycle_schedule_errors``)."""

    name = forms.CharField(
        label=_("Name of the cycle"),
        max_length=200,
        help_text=_("For example “2027 spring cycle”."),
    )
    name_fr = forms.CharField(
        label=_("Name of the cycle in French"),
        max_length=200,
        required=False,
        help_text=FRENCH_VERSION_HELP,
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        for phase in DATED_PHASES:
            label = Phase(phase).label
            opens_on = forms.DateField(
                label=_("%(phase)s opens on") % {"phase": label},
                widget=forms.DateInput,
                required=False,
                help_text=PHASE_GUIDE[phase][0],
            )
            closes_on = forms.DateField(
                label=_("%(phase)s closes on") % {"phase": label},
                widget=forms.DateInput,
                required=False,
            )
            self.fields[f"{phase}_opens"] = opens_on
            self.fields[f"{phase}_closes"] = closes_on
        # The date widgets were added after the USWDS classes were set: set them again.
        for name in self.fields:
            if name.endswith(("_opens", "_closes")):
                widget = self.fields[name].widget
                widget.attrs["class"] = "usa-input"
                widget.input_type = "date"
                if self.fields[name].help_text:
                    widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-hint"

    def phase_rows(self) -> list[tuple[str, Any, Any]]:
        """(label, opens field, closes field) for each phase, for the template."""
        return [
            (str(Phase(p).label), self[f"{p}_opens"], self[f"{p}_closes"]) for p in DATED_PHASES
        ]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.program.cycles.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("This program already has a cycle with this name."))
        return name

    @property
    def dates(self) -> dict[str, tuple[Any, Any]]:
        data = self.cleaned_data
        return {p: (data.get(f"{p}_opens"), data.get(f"{p}_closes")) for p in DATED_PHASES}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from .services import cycle_schedule_errors

        for phase, problem in cycle_schedule_errors(self.program, self.dates).items():
            field = f"{phase}_{problem.field}"
            if field not in self.errors:  # a day that is not a date says so already
                self.add_error(field, problem.message)
        return data
