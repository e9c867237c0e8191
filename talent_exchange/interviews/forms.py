from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.forms import Form, ModelForm, SearchableCheckboxes

from .models import Panel
from .services import assignable_candidates, eligible_panelists


class PanelForm(ModelForm):
    class Meta:
        model = Panel
        fields = ["name", "location", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}
        help_texts = {
            "members": _("People who hold the panelist role for this cycle, from any organisation.")
        }

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cycle = cycle
        self.fields["members"].queryset = eligible_panelists(cycle)
        self.fields["members"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}"


class AssignForm(Form):
    """Add one candidate or many at once: the endorsed nominees not on this panel yet."""

    nomination: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Candidates"), queryset=None, widget=SearchableCheckboxes
    )

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = assignable_candidates(panel.cycle).exclude(
            panel_assignments__panel=panel
        )
        self.fields["nomination"].label_from_instance = lambda n: (
            f"{n.person} — {n.home_organization}"
        )
        self.fields["nomination"].widget.attrs.pop("class", None)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class SlotForm(Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput)
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in ("starts", "ends"):
            self.fields[name].help_text = _("Time in %(zone)s, 24-hour clock.") % {"zone": zone}
            self.fields[name].widget.attrs["aria-describedby"] = f"{name}-hint"

    def clean(self):
        data = super().clean()
        if {"day", "starts", "ends"} <= set(data):
            zone = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(
                datetime.combine(data["day"], data["starts"]), zone
            )
            data["ends_at"] = timezone.make_aware(datetime.combine(data["day"], data["ends"]), zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", _("The interview must end after it starts."))
        return data


class ScheduleManyForm(Form):
    """Give every candidate of the panel without a time a slot, one after the other."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput)
    first = forms.TimeField(label=_("First interview starts"), widget=TimeInput)
    minutes = forms.IntegerField(
        label=_("Length of each interview (minutes)"), min_value=5, max_value=480, initial=45
    )
    gap = forms.IntegerField(
        label=_("Break between interviews (minutes)"), min_value=0, max_value=240, initial=15
    )

    def clean(self):
        data = super().clean()
        if {"day", "first"} <= set(data):
            data["first_at"] = timezone.make_aware(
                datetime.combine(data["day"], data["first"]), timezone.get_current_timezone()
            )
        return data


class ScoreForm(Form):
    """One score and one note per rubric criterion."""

    def __init__(self, *args, criteria, existing=None, **kwargs):
        existing = existing or {}
        initial = {}
        for c in criteria:
            if c.pk in existing:
                initial[f"score_{c.pk}"] = existing[c.pk].score
                initial[f"notes_{c.pk}"] = existing[c.pk].notes
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=_("%(criterion)s: score from 0 to %(max)d")
                % {"criterion": c.name, "max": c.max_score},
                min_value=0,
                max_value=c.max_score,
                help_text=c.description,
            )
            self.fields[f"notes_{c.pk}"] = forms.CharField(
                label=_("%(criterion)s: notes") % {"criterion": c.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # The mixin set the classes before these fields existed.
        self._style_new_fields()

    def _style_new_fields(self):
        for name, field in self.fields.items():
            widget = field.widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = (
                    "usa-textarea" if isinstance(widget, forms.Textarea) else "usa-input"
                )
                if field.help_text:
                    widget.attrs["aria-describedby"] = f"{name}-hint"

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"notes_{c.pk}"])
            for c in self.criteria
        }
