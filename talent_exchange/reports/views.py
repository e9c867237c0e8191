"""The reports pages: the list of programs one may report on, a program's dashboard and
reports, the exports (background files and their download), and the imports."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_exchange.core.permissions import permission_for_object, permission_required
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform, perform_form
from talent_exchange.programs.models import Program

from . import files, services, writers
from .forms import ExportForm, FilterForm, UploadForm
from .models import HISTORY, Export, ExportFormat, HistoryImport
from .registry import all_reports, figures_for, get_report


@permission_required("reports.list_reports")
def index(request):
    programs = [
        p
        for p in Program.objects.visible_to(request.user).order_by("name")[:200]
        if request.user.has_perm("reports.export_history", p)
    ]
    exports = [
        (export, services.report_title(export))
        for export in Export.objects.visible_to(request.user)
        .filter(requested_by=request.user)
        .select_related("program")[:20]
    ]
    return render(request, "reports/index.html", {"programs": programs, "exports": exports})


def _filters(request, program):
    form = FilterForm(program, data=request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form, form.filters()


@permission_for_object("reports.view_dashboard", Program, kwarg="program_pk")
def dashboard(request, program):
    form, filters = _filters(request, program)
    return render(
        request,
        "reports/dashboard.html",
        {
            "program": program,
            "form": form,
            "figures": figures_for(program, dict(filters), request.user),
            "reports": all_reports(),
            "query": request.GET.urlencode(),
            "can_export": request.user.has_perm("reports.export_history", program),
            "can_import": request.user.has_perm("reports.import_history", program),
        },
    )


def _to_export(export: Export):
    return redirect("reports:export", pk=export.pk)


@permission_for_object("reports.download_report", Program, kwarg="program_pk")
@submitted_once
def download(request, program, key):
    """A report at once when it is small; otherwise queued, and its link sent by e-mail."""
    report = get_report(key)
    if report is None:
        raise Http404
    export_form = ExportForm(request.GET)
    if not export_form.is_valid():
        return HttpResponse(_("Choose CSV or Excel."), status=400, content_type="text/plain")
    file_format = export_form.cleaned_data["format"]
    _form, filters = _filters(request, program)
    if (
        request.method == "POST"
        or report.count(program, filters, request.user) > services.SYNC_ROWS
    ):
        if request.method != "POST":
            return render(
                request,
                "reports/confirm_export.html",
                {
                    "program": program,
                    "report": report,
                    "format": file_format,
                    "query": request.GET.urlencode(),
                },
            )
        return perform(
            request,
            lambda: services.request_export(program, key, file_format, filters, actor=request.user),
            success=_("The report is being written; we will e-mail you a link when it is ready."),
            then=_to_export,
            refused=redirect("reports:dashboard", program.pk),
        )
    name = f"{key.split('.')[-1]}-{program.pk}.{file_format}"
    if file_format == ExportFormat.XLSX:
        data = services.report_now(report, program, filters, request.user, file_format)
        response = HttpResponse(data, content_type=writers.XLSX_TYPE)
    else:
        response = StreamingHttpResponse(
            writers.csv_lines(report.columns, report.rows(program, filters, request.user)),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@permission_for_object("reports.export_history", Program, kwarg="program_pk")
@submitted_once
def start_history_export(request, program):
    return perform(
        request,
        lambda: services.request_export(
            program, HISTORY, request.POST.get("format", ExportFormat.JSON), {}, actor=request.user
        ),
        success=_(
            "The full history export has started; we will e-mail you a link when it is ready."
        ),
        then=_to_export,
        refused=redirect("reports:dashboard", program.pk),
    )


def _following(request, finished: bool, page: str, fragment: str, context: dict):
    """A background job's page: htmx polls its progress fragment until the job is finished,
    then the whole page is loaded again to show the result. Without JavaScript a reload of
    the page shows the progress."""
    if not getattr(request, "htmx", False):
        return render(request, page, context)
    response = render(request, fragment, context)
    if finished:
        response["HX-Refresh"] = "true"
    return response


@permission_for_object("reports.view_export", Export.objects.select_related("program"))
def export_detail(request, export):
    available = export.file_available
    return _following(
        request,
        export.is_finished,
        "reports/export.html",
        "reports/_export_progress.html",
        {
            "export": export,
            "title": services.report_title(export),
            "available": available,
            # expired (or its file gone), or failed: the same file can be asked for again
            "can_ask_again": export.is_finished and not available,
            "retention_days": settings.EXPORT_RETENTION_DAYS,
        },
    )


@permission_for_object("reports.view_export", Export.objects.all())
def export_file(request, export):
    if not export.file_available:
        # Not written yet, failed, or expired: its page says which (and offers it again)
        # rather than a bare 404 for a link from an e-mail a week old.
        return redirect("reports:export", pk=export.pk)
    return files.serve(request, export)


@require_POST
@permission_for_object("reports.view_export", Export.objects.select_related("program"))
@submitted_once
def export_again(request, export):
    return perform(
        request,
        lambda: services.request_again(export, actor=request.user),
        success=_("The file is being prepared again; we will e-mail you a link when it is ready."),
        then=_to_export,
        refused=redirect("reports:export", pk=export.pk),
    )


@permission_for_object("reports.import_history", Program, kwarg="program_pk")
@submitted_once
def import_upload(request, program):
    form = UploadForm(request.POST or None, request.FILES or None)
    return perform_form(
        request,
        form,
        lambda data: services.check_upload(program, data["kind"], data["file"], actor=request.user),
        success=_("The file is being checked; nothing is written until you import it."),
        then=lambda job: redirect("reports:upload_detail", pk=job.pk),
        template="reports/import_upload.html",
        context={"program": program},
    )


IMPORTS = HistoryImport.objects.select_related("program").defer("content")


@permission_for_object("reports.import_history", IMPORTS)
def import_detail(request, job):
    return _following(
        request,
        not job.in_progress,
        "reports/import.html",
        "reports/_import_progress.html",
        {"job": job, "program": job.program, "rows": _fates(job.report.get("rows", []))},
    )


def _fates(rows: list[dict]) -> list[dict]:
    """The dry run's rows with their fate in words (the report keeps the codes)."""
    words = {
        "created": _("created"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "error": _("error"),
    }
    return [{**row, "fate": words.get(row.get("fate", ""), row.get("fate", ""))} for row in rows]


@require_POST
@permission_for_object("reports.import_history", IMPORTS)
@submitted_once
def import_commit(request, job):
    return perform(
        request,
        lambda: services.commit_import(job, actor=request.user),
        success=_("The import has started: every row is written, or none."),
        then=redirect("reports:upload_detail", pk=job.pk),
    )
