"""The finance pages' forms. Money fields are Decimal fields with two places and bounds;
the services check the rules again (nothing is trusted from the form alone)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Cycle

from .models import (
    Basis,
    BillingProfile,
    BudgetLine,
    Component,
    CostDefaults,
    CoverMethod,
    FeeSchedule,
    FundingLine,
)

MAX_MONEY = Decimal("999999999999.99")


def money_field(
    label, *, required: bool = True, allow_zero: bool = True, **kwargs
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0") if allow_zero else Decimal("0.01"),
        max_value=MAX_MONEY,
        **kwargs,
    )


class DateInput(forms.DateInput):
    input_type = "date"


class FeeScheduleForm(forms.ModelForm):
    class Meta:
        model = FeeSchedule
        fields = [
            "currency",
            "per_participant_sent",
            "per_place_hosted",
            "flat_per_organization",
            "waiver",
            "waiver_percent",
            "due_days",
        ]
        widgets = {"waiver": forms.RadioSelect}

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise ValidationError(_("A currency is three letters, such as USD or CAD."))
        return value

    def clean(self):
        data = super().clean()
        for name in ("per_participant_sent", "per_place_hosted", "flat_per_organization"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("A fee cannot be negative."))
        return data


class FundingLineForm(forms.ModelForm):
    reporting = forms.CharField(
        label=_("Reporting dates"),
        required=False,
        help_text=_("Dates as YYYY-MM-DD, separated by commas."),
    )

    class Meta:
        model = FundingLine
        fields = ["kind", "funder", "amount", "received", "currency", "conditions"]

    def clean_reporting(self) -> list[str]:
        dates = []
        for part in self.cleaned_data["reporting"].split(","):
            part = part.strip()
            if not part:
                continue
            try:
                dates.append(date.fromisoformat(part).isoformat())
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a date written as YYYY-MM-DD.") % {"value": part}
                ) from None
        return sorted(dates)

    def clean(self):
        data = super().clean()
        for name in ("amount", "received"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("An amount cannot be negative."))
        return data


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "category", "description", "planned"]

    def clean_planned(self) -> Decimal:
        value = self.cleaned_data["planned"]
        if value < 0:
            raise ValidationError(_("A planned amount cannot be negative."))
        return value


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("Spent on"), widget=DateInput)
    amount = money_field(_("Amount"), allow_zero=False)
    description = forms.CharField(label=_("Description"), max_length=200)


class CostDefaultsForm(forms.ModelForm):
    class Meta:
        model = CostDefaults
        fields = ["basis", "authority", "billing_frequency", "benefits_percent"]


class BillingProfileForm(forms.ModelForm):
    class Meta:
        model = BillingProfile
        fields = ["currency", "address", "prefix"]

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise ValidationError(_("A currency is three letters, such as USD or CAD."))
        return value


class PaymentForm(forms.Form):
    amount = money_field(_("Amount received"), allow_zero=False)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)


class CreditForm(forms.Form):
    amount = money_field(_("Amount credited"), allow_zero=False)
    reason = forms.CharField(label=_("Why"), max_length=250)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput)


class ArrangementForm(forms.Form):
    basis = forms.ChoiceField(label=_("Basis"), choices=Basis.choices)
    authority = forms.ChoiceField(label=_("Authority"))
    payer = forms.ModelChoiceField(label=_("Payer"), queryset=Organization.objects.none())
    payee = forms.ModelChoiceField(label=_("Payee"), queryset=Organization.objects.none())
    payer_percent = forms.IntegerField(label=_("Payer's share (%)"), min_value=0, max_value=100)
    payee_percent = forms.IntegerField(label=_("Payee's share (%)"), min_value=0, max_value=100)
    cap = money_field(
        _("Cap"), required=False, help_text=_("The most the payer pays; leave empty for none.")
    )
    billing_frequency = forms.ChoiceField(label=_("Billing frequency"))

    def __init__(self, *args, placement, **kwargs) -> None:
        from .models import Authority, Frequency

        super().__init__(*args, **kwargs)
        parties = Organization.objects.filter(
            pk__in=[placement.home_organization_id, placement.host_organization_id]
        )
        for name in ("payer", "payee"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = parties
        for name, choices in (
            ("authority", Authority.choices),
            ("billing_frequency", Frequency.choices),
        ):
            choice = self.fields[name]
            assert isinstance(choice, forms.ChoiceField)
            choice.choices = choices

    def clean(self):
        data = super().clean()
        payer, payee = data.get("payer_percent"), data.get("payee_percent")
        if payer is not None and payee is not None and payer + payee != 100:
            self.add_error("payee_percent", _("The two shares must add up to 100%."))
        if data.get("payer") and data.get("payer") == data.get("payee"):
            self.add_error("payee", _("The payer and the payee must be different organisations."))
        return data


class ComponentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Component"), choices=Component.choices)
    amount = money_field(_("Amount"), required=False)
    percent_of_salary = forms.DecimalField(
        label=_("or % of salary"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    is_estimate = forms.BooleanField(label=_("Estimate"), required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and data.get("percent_of_salary") is not None:
            self.add_error("percent_of_salary", _("Give an amount or a percentage, not both."))
        return data


ComponentFormSet = forms.formset_factory(ComponentForm, extra=2, max_num=12)


class BackfillForm(forms.Form):
    post_title = forms.CharField(label=_("Post"), max_length=200)
    method = forms.ChoiceField(
        label=_("How the post is covered"), choices=CoverMethod.choices, widget=forms.RadioSelect
    )
    acting_person = forms.ModelChoiceField(
        label=_("Person acting in the post"),
        queryset=Person.objects.none(),
        to_field_name="work_email",
        widget=forms.EmailInput,
        required=False,
        help_text=_(
            "For an acting appointment: the work e-mail of someone in the home organisation."
        ),
        error_messages={
            "invalid_choice": _("Nobody in the home organisation has this work e-mail.")
        },
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("To"), required=False, widget=DateInput)
    developmental = forms.BooleanField(
        label=_("This is a developmental assignment for the person acting"), required=False
    )
    opportunity_cycle = forms.ModelChoiceField(
        label=_("Posted as a developmental opportunity in cycle"),
        queryset=Cycle.objects.none(),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args, organization_id: int, program_id: int, with_cycle: bool = True, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        acting = self.fields["acting_person"]
        assert isinstance(acting, forms.ModelChoiceField)
        acting.queryset = Person.objects.filter(organization_id=organization_id)
        if with_cycle:
            cycles = self.fields["opportunity_cycle"]
            assert isinstance(cycles, forms.ModelChoiceField)
            cycles.queryset = Cycle.objects.filter(program_id=program_id)
        else:
            del self.fields["opportunity_cycle"]

    def clean(self):
        data = super().clean()
        if data.get("method") == CoverMethod.ACTING and not data.get("acting_person"):
            self.add_error("acting_person", _("An acting appointment names the person acting."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data
