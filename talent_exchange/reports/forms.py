"""The dashboard's and the reports' filters, and the upload forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import AssignmentType
from talent_exchange.programs.models import Cycle

from .models import ExportFormat, ImportKind


class FilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), required=False, empty_label=_("Current")
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    assignment_type = forms.ChoiceField(
        label=_("Assignment type"),
        choices=[("", _("All types")), *AssignmentType.choices],
        required=False,
    )
    start = forms.DateField(
        label=_("Placements starting from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Placements starting until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, program, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        cycle_field = self.fields["cycle"]
        org_field = self.fields["organization"]
        assert isinstance(cycle_field, forms.ModelChoiceField)
        assert isinstance(org_field, forms.ModelChoiceField)
        cycle_field.queryset = Cycle.objects.filter(program=program).order_by("-created_at", "-pk")
        org_field.queryset = program.participating_organizations.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out and shown with its error)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            "cycle": data.get("cycle"),
            "organization": data.get("organization"),
            "assignment_type": data.get("assignment_type") or "",
            "start": data.get("start"),
            "end": data.get("end"),
        }


def filters_to_json(filters: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if value in (None, ""):
            continue
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif hasattr(value, "pk"):
            out[key] = value.pk
        else:
            out[key] = value
    return out


def filters_from_json(program, data: dict[str, Any]) -> dict[str, Any]:
    form = FilterForm(program, data=data)
    form.is_valid()
    return form.filters()


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(ExportFormat.XLSX, ExportFormat.XLSX.label), (ExportFormat.CSV, "CSV")],
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )


class UploadForm(forms.Form):
    """An upload: its size is checked here, next to the field, before anything is read."""

    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A spreadsheet (.xlsx or .csv) of profiles and past placements, or a "
            "full history export (.json)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            from .services import upload_limit

            limit = upload_limit(data.get("kind", ""))
            if upload.size > limit:
                self.add_error(
                    "file",
                    _("The file is larger than %(mb)s MB; split it into smaller files.")
                    % {"mb": limit // (1024 * 1024)},
                )
        return data
