"""Forms for starting, constraining and publishing runs, and for answering offers."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.forms import Form

from .models import MatchMode, PairRule
from .services import DEFAULT_RESPONSE_DAYS


class StartRunForm(Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=MatchMode.choices,
        widget=forms.RadioSelect,
        initial=MatchMode.STABLE,
        help_text=_(
            "Stable: nobody would rather swap with someone a host prefers (deferred "
            "acceptance). Optimal: the largest total fit, within the balance tolerance."
        ),
    )
    balance_tolerance = forms.IntegerField(
        label=_("Balance tolerance"),
        required=False,
        min_value=0,
        max_value=50,
        help_text=_(
            "How far the number an organisation receives may differ from the number it "
            "sends (0: strict exchange). Leave empty for no balance rule. The optimal mode "
            "enforces it; the stable mode reports the balance that results."
        ),
    )
    round = forms.IntegerField(
        label=_("Round"),
        min_value=1,
        max_value=9,
        initial=1,
        help_text=_(
            "Round 2 and later match what is left: people without an accepted or open "
            "offer, and the places nobody has taken."
        ),
    )


class PublishForm(Form):
    respond_by = forms.DateField(
        label=_("Participants answer by"),
        help_text=_("The date by which each participant accepts or declines their offer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["respond_by"].initial = timezone.localdate() + datetime.timedelta(
            days=DEFAULT_RESPONSE_DAYS
        )

    def clean_respond_by(self):
        value = self.cleaned_data["respond_by"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The answer date cannot be in the past."))
        return value


class ConstraintForm(Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    opportunity = forms.IntegerField(widget=forms.HiddenInput)
    rule = forms.ChoiceField(label=_("Rule"), choices=PairRule.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PairPickForm(Form):
    """Lock or forbid any pair of the cycle. The two lists offer only the first few
    candidates and opportunities matching what was typed to find them (a cycle has
    thousands); a posted pair is checked against the whole cycle."""

    nomination = forms.TypedChoiceField(label=_("Candidate"), coerce=int)
    opportunity = forms.TypedChoiceField(label=_("Opportunity"), coerce=int)
    rule = forms.ChoiceField(label=_("Rule"), choices=PairRule.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, nominations, opportunities, shown: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name, pool, label in (
            ("nomination", nominations, lambda n: f"{n.person} ({n.home_organization})"),
            ("opportunity", opportunities, lambda o: f"{o.title} ({o.host_organization})"),
        ):
            rows = list(pool[:shown])
            posted = self.data.get(name, "") if self.is_bound else ""
            if posted.isdigit() and int(posted) not in {row.pk for row in rows}:
                rows += list(pool.filter(pk=int(posted)))
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(row.pk, label(row)) for row in rows]


class CompareForm(Form):
    a = forms.TypedChoiceField(label=_("First run"), coerce=int)
    b = forms.TypedChoiceField(label=_("Second run"), coerce=int)

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(run.pk, run_label(run)) for run in runs]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


def run_label(run) -> str:
    return _("#%(id)s %(mode)s, round %(round)s, %(when)s") % {
        "id": run.pk,
        "mode": run.get_mode_display(),
        "round": run.round,
        "when": timezone.localtime(run.created_at).strftime("%d %b %H:%M"),
    }


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
