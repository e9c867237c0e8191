from django import forms
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.filters import offer_organizations
from talent_exchange.core.forms import Form
from talent_exchange.opportunities.forms import DecisionForm
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person

from . import services


class NominationForm(Form):
    person = forms.ModelChoiceField(
        label=_("Employee"), queryset=Person.objects.none(), empty_label=_("Choose a person")
    )
    rationale = forms.CharField(
        label=_("Why this person"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    backfill_plan = forms.CharField(
        label=_("Backfill plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who covers their post while they are away (often itself a development)."),
    )

    def __init__(self, *args, user=None, cycle=None, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.steps = list(steps)
        orgs = services.nominating_organizations(user)
        people = Person.objects.filter(organization__programs=cycle.program_id).select_related(
            "organization"
        )
        if orgs is not None:
            people = people.filter(organization_id__in=orgs)
        self.fields["person"].queryset = people.order_by("last_name", "first_name")
        for step in self.steps:
            name = f"endorser_{step.order}"
            self.fields[name] = forms.EmailField(
                label=_("E-mail of the endorser: %(title)s") % {"title": step.title},
                help_text=_("Step %(order)s of the endorsement chain. Who signs: %(who)s.")
                % {"order": step.order, "who": step.get_kind_display()},
            )
            self.fields[name].widget.attrs.update(
                {"class": "usa-input", "aria-describedby": f"{name}-hint"}
            )

    def clean(self):
        data = super().clean()
        names = [f"endorser_{s.order}" for s in self.steps]
        users = services.users_by_email(data.get(n, "") for n in names)
        self.endorsers = []
        for name in names:
            email = (data.get(name) or "").lower()
            user = users.get(email)
            if email and user is None:
                self.add_error(name, _("No user of this site has this e-mail."))
            self.endorsers.append(user)
        if data.get("person") is not None:
            # The endorsement rule, next to the field of each step it refuses.
            refused = services.endorser_refusals(
                data["person"], self.steps, self.endorsers, actor=self.user
            )
            for step, reasons in refused.items():
                for reason in reasons:
                    self.add_error(f"endorser_{step.order}", reason)
        return data


class ImportForm(Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel (.xlsx) or CSV (.csv) file, one nominee per row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class EndorsementDecisionForm(DecisionForm):
    ENDORSE = "endorse"
    DECLINE = "decline"
    choices = ((ENDORSE, _("Endorse")), (DECLINE, _("Decline")))
    decision_label = _("Your decision")
    reason_help = _("Required when you decline; the coordinator reads it.")
    reason_required_for = DECLINE
    reason_missing = _("Say why you decline.")


class ConflictForm(Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none()
    )
    reason = forms.CharField(
        label=_("Why you must not be placed there"),
        max_length=300,
        help_text=_("For example: my spouse works there; I audit them."),
    )

    def __init__(self, *args, nomination=None, find="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.exclude(
            pk=nomination.home_organization_id
        ).order_by("name")
        if not self.is_bound:  # shown: 25 organisations at most, found by name (core.filters)
            self.many_organizations = offer_organizations(self, "organization", find)
