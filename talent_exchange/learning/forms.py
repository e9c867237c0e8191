from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.bilingual import FRENCH_VERSION_HELP
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.forms import Form, ModelForm
from talent_exchange.interviews.forms import TimeInput
from talent_exchange.organizations.models import Organization
from talent_exchange.programs.models import Cycle

from .models import Attendance, Response, Series, Session
from .recurrence import expand, zone

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def monthly_rule(first_day: date) -> str:
    """The rule "the same weekday of the month as ``first_day``" (e.g. the first Tuesday);
    a fifth weekday becomes the last one."""
    nth = (first_day.day - 1) // 7 + 1
    return f"FREQ=MONTHLY;BYDAY={'-1' if nth == 5 else f'+{nth}'}{WEEKDAYS[first_day.weekday()]}"


REPEATS = [
    ("weekly", _("Every week")),
    ("biweekly", _("Every two weeks")),
    (
        "monthly_weekday",
        _("Every month, on the same weekday as the first day (e.g. first Tuesday)"),
    ),
    ("monthly_date", _("Every month, on the same date as the first day")),
    ("custom", _("A recurrence rule of my own (below)")),
]


def _rule_for(repeat: str, first_day: date, custom: str) -> str:
    return {
        "weekly": "FREQ=WEEKLY",
        "biweekly": "FREQ=WEEKLY;INTERVAL=2",
        "monthly_weekday": monthly_rule(first_day),
        "monthly_date": "FREQ=MONTHLY",
        "custom": custom,
    }[repeat]


class _Guests(forms.Form):
    invite_supervisors = forms.BooleanField(
        label=_("Also invite the participants' home supervisors"), required=False
    )
    invite_alumni = forms.BooleanField(label=_("Also invite the program's alumni"), required=False)


def _limit_choices(form: forms.BaseForm, program) -> None:
    cycle: Any = form.fields["cycle"]  # ModelChoiceFields
    organization: Any = form.fields["host_organization"]
    cycle.queryset = Cycle.objects.filter(program=program)
    organization.queryset = Organization.objects.filter(
        pk__in=program.participating_organizations.values("pk")
    ).order_by("name")


class SeriesForm(ModelForm):
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEATS, initial="monthly_weekday")
    custom_rule = forms.CharField(
        label=_("Recurrence rule"),
        required=False,
        max_length=200,
        help_text=_("Only for “a rule of my own”: for example FREQ=MONTHLY;BYDAY=+1TU."),
    )
    invite_supervisors = _Guests.base_fields["invite_supervisors"]
    invite_alumni = _Guests.base_fields["invite_alumni"]

    class Meta:
        model = Series
        fields = [
            "cycle",
            "kind",
            "title",
            "title_fr",
            "first_day",
            "last_day",
            "start_time",
            "duration_minutes",
            "time_zone",
            "place",
            "online_link",
            "capacity",
            "speaker",
            "topic",
            "topic_fr",
            "book",
            "host_organization",
        ]
        widgets = {
            "first_day": forms.DateInput,
            "last_day": forms.DateInput,
            "start_time": TimeInput,
        }

    field_order = [
        "cycle",
        "kind",
        "title",
        "title_fr",
        "repeat",
        "custom_rule",
        "first_day",
        "last_day",
    ]

    def __init__(self, *args: Any, program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.program = program
        _limit_choices(self, program)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The series must end on or after its first day."))
            return data
        if data.get("repeat") == "custom" and not data.get("custom_rule"):
            self.add_error("custom_rule", _("Write the rule, or choose how often above."))
            return data
        if first and last and data.get("repeat") and data.get("start_time"):
            rule = _rule_for(data["repeat"], first, data.get("custom_rule", ""))
            try:
                expand(
                    rule,
                    first,
                    last,
                    data["start_time"],
                    data.get("duration_minutes") or 60,
                    data.get("time_zone") or "UTC",
                )
            except ActionRefused as refusal:
                field = "custom_rule" if data["repeat"] == "custom" else "repeat"
                self.add_error(field, refusal.message)
            else:
                self.instance.rule = rule
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place, an online link, or both."))
        return data


def _aware(day: date, clock, time_zone: str) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=zone(time_zone))


class _Times(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput)
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput)


def _clean_times(form: forms.BaseForm, data: dict[str, Any], time_zone: str) -> None:
    if {"day", "starts", "ends"} <= set(data):
        try:
            data["starts_at"] = _aware(data["day"], data["starts"], time_zone)
            data["ends_at"] = _aware(data["day"], data["ends"], time_zone)
        except ActionRefused as refusal:
            form.add_error("time_zone", refusal.message)
            return
        if data["ends_at"] <= data["starts_at"]:
            form.add_error("ends", _("The session must end after it starts."))


class SessionForm(ModelForm):
    day = _Times.base_fields["day"]
    starts = _Times.base_fields["starts"]
    ends = _Times.base_fields["ends"]
    invite_supervisors = _Guests.base_fields["invite_supervisors"]
    invite_alumni = _Guests.base_fields["invite_alumni"]

    class Meta:
        model = Session
        fields = [
            "cycle",
            "kind",
            "title",
            "title_fr",
            "time_zone",
            "place",
            "online_link",
            "capacity",
            "speaker",
            "topic",
            "topic_fr",
            "book",
            "host_organization",
        ]

    field_order = ["cycle", "kind", "title", "title_fr", "day", "starts", "ends"]

    def __init__(self, *args: Any, program, circle=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.program = program
        _limit_choices(self, program)
        if circle is not None:
            self.instance.circle = circle
            self.instance.cycle = circle.cycle
            self.instance.kind = "circle"
            for name in ("cycle", "kind", "invite_supervisors", "invite_alumni"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        _clean_times(self, data, data.get("time_zone") or "UTC")
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place, an online link, or both."))
        if "starts_at" in data:
            self.instance.starts_at, self.instance.ends_at = data["starts_at"], data["ends_at"]
        return data


class MoveForm(Form):
    day = _Times.base_fields["day"]
    starts = _Times.base_fields["starts"]
    ends = _Times.base_fields["ends"]
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Leave empty for no limit. A larger capacity promotes from the waitlist."),
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session

    def clean(self):
        data = super().clean()
        _clean_times(self, data, self.session.time_zone)
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place, an online link, or both."))
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data["place"],
            "online_link": data["online_link"],
            "capacity": data["capacity"],
        }


class RsvpForm(Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"),
        choices=[c for c in Response.choices if c[0] != Response.PENDING],
        widget=forms.RadioSelect,
    )


class CancelForm(Form):
    note = forms.CharField(
        label=_("Message to the people invited (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InviteForm(_Guests, Form):
    pass


class AttendanceForm(Form):
    """One radio group per person invited: present, absent or excused."""

    def __init__(self, *args: Any, invitations, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        choices = [c for c in Attendance.choices if c[0]]
        for invitation in self.invitations:
            self.fields[f"mark_{invitation.pk}"] = forms.ChoiceField(
                label=invitation.person.full_name,
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                initial=invitation.attendance or None,
            )
        from talent_exchange.core.forms import style_fields

        style_fields(self)

    def marks(self) -> dict[int, str]:
        return {
            invitation.pk: self.cleaned_data[f"mark_{invitation.pk}"]
            for invitation in self.invitations
            if self.cleaned_data.get(f"mark_{invitation.pk}")
        }


class FeedbackForm(Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the session?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: not useful, 5: very useful."),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea
    )


class CircleForm(Form):
    cycle = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("The whole program"),
    )
    min_size = forms.IntegerField(label=_("Smallest circle"), min_value=2, max_value=12, initial=4)
    max_size = forms.IntegerField(label=_("Largest circle"), min_value=2, max_value=12, initial=6)

    def __init__(self, *args: Any, program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.filter(program=program)  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean(self):
        data = super().clean()
        if data.get("min_size") and data.get("max_size") and data["max_size"] < data["min_size"]:
            self.add_error("max_size", _("The largest circle cannot be smaller than the smallest."))
        return data


class ThreadForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_fr = forms.CharField(
        label=_("Title in French"),
        max_length=200,
        required=False,
        help_text=FRENCH_VERSION_HELP,
    )
    body = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea)


class ReplyForm(Form):
    body = forms.CharField(label=_("Your reply"), max_length=10000, widget=forms.Textarea)


class HideForm(Form):
    reason = forms.CharField(
        label=_("Why is this post hidden?"),
        max_length=500,
        help_text=_("Kept in the post's history."),
    )


class MaterialForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("PDF, slides, documents, text or images; at most 5 MB."),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            self.add_error("url", _("Give either a link or a file."))
        return data


class CompletionRuleForm(Form):
    percent = forms.IntegerField(
        label=_("Share of sessions a participant must attend (%)"), min_value=0, max_value=100
    )
