from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.forms import Form, ModelForm, SearchableCheckboxes
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person, Skill
from talent_exchange.programs.models import Program

from .models import Opportunity
from .rules import acts_for_organizations


class OpportunityForm(ModelForm):
    class Meta:
        model = Opportunity
        fields = [
            "host_organization",
            "assignment_type",
            "title",
            "title_fr",
            "description",
            "description_fr",
            "duration_months",
            "start_earliest",
            "start_latest",
            "location",
            "workplace",
            "skills_required",
            "skills_developed",
            "capacity",
            "coach",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_fr": forms.Textarea(attrs={"rows": 5}),
            "start_earliest": forms.DateInput,
            "start_latest": forms.DateInput,
            "skills_required": SearchableCheckboxes,
            "skills_developed": SearchableCheckboxes,
        }

    def __init__(self, *args, user=None, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cycle = cycle
        program_orgs = Program.organization_ids_by_program([cycle.program_id]).get(
            cycle.program_id, set()
        )
        host_ids = roles_of(user).coordinator_org_ids & program_orgs
        if acts_for_organizations(user, cycle):  # the program's office posts for any of them
            host_ids = set(program_orgs)
        if self.instance.pk:
            host_ids = {self.instance.host_organization_id}
        hosts = Organization.objects.filter(pk__in=host_ids)
        self.fields["host_organization"].queryset = hosts
        self.fields["host_organization"].empty_label = None
        self.fields["coach"].queryset = Person.objects.filter(organization_id__in=host_ids)
        self.fields["coach"].help_text = _(
            "The host supervisor who coaches the participant: someone of the host organisation."
        )
        program = cycle.program
        if program.assignment_types:  # the kinds the program's rules allow (and the current)
            current = self.instance.assignment_type if self.instance.pk else ""
            allowed = set(program.assignment_types) | {current}
            kind = self.fields["assignment_type"]
            kind.choices = [c for c in kind.choices if c[0] in allowed]
        self.fields["duration_months"].help_text = _(
            "Between %(low)s and %(high)s months in this program."
        ) % {"low": program.min_assignment_months, "high": program.max_assignment_months}
        skills = Skill.objects.vocabulary()
        if self.instance.pk:
            skills = (
                skills
                | Skill.objects.filter(pk__in=self.instance.skills_required.values("pk"))
                | Skill.objects.filter(pk__in=self.instance.skills_developed.values("pk"))
            ).distinct()
        for name in ("skills_required", "skills_developed"):
            self.fields[name].queryset = skills
            # The shared "te-choice" class sizes the inputs but also lands on the widget's
            # container div, squeezing the list to 1.25rem (reported to core); leave it off.
            self.fields[name].widget.attrs.pop("class", None)


class DecisionForm(Form):
    """A decision between two choices, with a reason that one of them requires (approve or
    return an opportunity; endorse or decline a nomination). Subclasses set the words."""

    choices: tuple = ()
    decision_label: StrOrPromise = _("Decision")
    reason_field = "reason"
    reason_label: StrOrPromise = _("Reason")
    reason_help: StrOrPromise = ""
    reason_required_for = ""
    reason_missing: StrOrPromise = _("Give a reason.")

    def __init__(self, *args, **kwargs):
        self.base_fields = {
            "decision": forms.ChoiceField(
                label=self.decision_label, choices=self.choices, widget=forms.RadioSelect
            ),
            self.reason_field: forms.CharField(
                label=self.reason_label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=self.reason_help,
            ),
        }
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        reason = data.get(self.reason_field, "").strip()
        if data.get("decision") == self.reason_required_for and not reason:
            self.add_error(self.reason_field, self.reason_missing)
        return data


class ReviewForm(DecisionForm):
    APPROVE = "approve"
    RETURN = "return"
    choices = ((APPROVE, _("Approve")), (RETURN, _("Return for changes")))
    reason_field = "comment"
    reason_label = _("Comment for the host")
    reason_help = _("Required when you return the opportunity: say what should change.")
    reason_required_for = RETURN
    reason_missing = _("Say what the host should change.")


class WithdrawForm(Form):
    comment = forms.CharField(
        label=_("Why is it withdrawn? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
