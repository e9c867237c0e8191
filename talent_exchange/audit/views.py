"""The audit trail pages: browse by kind of record, filter, export as CSV."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent_exchange.core import csv
from talent_exchange.core.forms import FilterForm
from talent_exchange.core.permissions import permission_required

from .presenters import entry_rows
from .trail import TRACKED, entries, history_of


class AuditFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Records"), choices=[(k, v[1]) for k, v in TRACKED.items()], required=False
    )
    actor = forms.CharField(label=_("Changed by (user name)"), required=False)
    object_id = forms.IntegerField(
        label=_("Record number"), required=False, min_value=1, max_value=2**63 - 1
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


def _filtered(form: AuditFilterForm, user):
    """The history the user may read (``history_of`` applies the scope), filtered."""
    kind = form.cleaned_data.get("kind") or "person"
    records = history_of(kind, user)
    data = form.cleaned_data
    if data.get("actor"):
        records = records.filter(history_user__username__icontains=data["actor"])
    if data.get("object_id"):
        records = records.filter(id=data["object_id"])
    tz = timezone.get_current_timezone()
    if data.get("since"):
        records = records.filter(history_date__gte=datetime.combine(data["since"], time.min, tz))
    if data.get("until"):
        records = records.filter(history_date__lte=datetime.combine(data["until"], time.max, tz))
    return kind, records


@permission_required("audit.view_audit_log")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    kind, page, rows = "person", None, []
    if form.is_valid() or not request.GET:
        if not request.GET:
            form = AuditFilterForm({"kind": "person"})
            form.is_valid()
        kind, records = _filtered(form, request.user)
        page = Paginator(records, 25).get_page(request.GET.get("page"))
        rows = entries(kind, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "kind": kind,
            "page_obj": page,
            "rows": rows,
            "rows_html": entry_rows(rows),
            "query_without_page": (query.urlencode() + "&") if query else "",
            "export_query": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value):
        return value


@permission_required("audit.view_audit_log")
def audit_export(request):
    """The filtered trail as CSV, streamed so a long history does not fill memory."""
    form = AuditFilterForm(request.GET or {"kind": "person"})
    if not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "rows": []}, status=400)
    kind, records = _filtered(form, request.user)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(
            [
                "when",
                "actor",
                "records",
                "record",
                "id",
                "action",
                "field",
                "before",
                "after",
                "reason",
            ]
        )
        batch = []
        for record in records.iterator(chunk_size=500):
            batch.append(record)
            if len(batch) == 500:
                yield from _csv_rows(writer, kind, batch)
                batch = []
        yield from _csv_rows(writer, kind, batch)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{kind}-{stamp}.csv"'
    return response


def _csv_rows(writer, kind, batch):
    for entry in entries(kind, batch):
        base = [
            entry.at.isoformat(),
            entry.actor,
            entry.kind_label,
            entry.object_label,
            entry.object_id,
            entry.action,
        ]
        if not entry.changes:
            yield writer.writerow([*base, "", "", "", entry.reason])
        for change in entry.changes:
            yield writer.writerow([*base, change.field, change.old, change.new, entry.reason])
