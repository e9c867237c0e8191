import io
import re
from datetime import date, datetime

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from talent_exchange.reports import services, writers
from talent_exchange.reports.models import Export, ExportStatus
from talent_exchange.reports.registry import Column

from .factories import ExportFactory, populate

pytestmark = pytest.mark.django_db


def test_excel_cells_are_typed_and_formulas_come_out_as_text():
    columns = [Column("name", "Name"), Column("n", "N", "int"), Column("day", "Day", "date")]
    rows = [
        ('=HYPERLINK("http://evil")', 3, date(2027, 2, 1)),
        ("+1", 4, date(2027, 3, 1)),
        ("@SUM(A1)", 5, None),
        ("-2", 6, None),
    ]
    buffer = io.BytesIO()
    writers.write_xlsx(buffer, columns, rows, title="Test")
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Name" and sheet["A1"].font.b
    for row in range(2, 6):
        assert sheet.cell(row, 1).data_type == "s"  # text, never a formula
    assert sheet["A2"].value == '=HYPERLINK("http://evil")'
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert isinstance(sheet["C2"].value, datetime) and sheet["C2"].is_date
    assert sheet.column_dimensions["A"].width == 20


def test_csv_quotes_formula_cells():
    lines = "".join(writers.csv_lines([Column("a", "A")], [("=1+1",), ("plain",)]))
    assert "'=1+1" in lines and "plain" in lines


def test_outcomes_report_downloads_as_excel(world, client_for):
    populate(world, 4)
    url = reverse("reports:download", args=[world.program.pk, "reports.outcomes"]) + "?format=xlsx"
    response = client_for(world.users["board"]).get(url)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Cohort"
    twelve = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == 12]
    assert twelve and twelve[0][2] == 4 and twelve[0][3] == 4 and twelve[0][5] == 4


def test_lessons_csv_is_formula_safe(world, client_for):
    populate(world, 2)
    url = reverse("reports:download", args=[world.program.pk, "reports.lessons"]) + "?format=csv"
    body = b"".join(client_for(world.users["admin"]).get(url).streaming_content).decode()
    assert "'=HYPERLINK" in body


def test_a_bad_format_is_refused_with_a_reason(world, client_for):
    url = reverse("reports:download", args=[world.program.pk, "reports.outcomes"]) + "?format=pdf"
    response = client_for(world.users["admin"]).get(url)
    assert response.status_code == 400


def test_coordinator_may_not_download_program_reports(world, client_for):
    url = reverse("reports:download", args=[world.program.pk, "reports.outcomes"]) + "?format=csv"
    assert client_for(world.users["coord_a"]).get(url).status_code == 403


def test_large_report_runs_in_the_background_and_mails_a_link(
    world, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    populate(world, 3)
    monkeypatch.setattr(services, "SYNC_ROWS", 1)
    client = client_for(world.users["admin"])
    url = (
        reverse("reports:download", args=[world.program.pk, "reports.participants"])
        + "?format=xlsx"
    )
    assert client.get(url).status_code == 200  # the confirmation page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE and export.rows_written == 3
    assert any(f"/reports/exports/{export.pk}/" in m.body for m in mail.outbox)
    download = client.get(reverse("reports:export_file", args=[export.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 4
    # someone else cannot open it
    assert client_for(world.users["auditor"]).get(
        reverse("reports:export_file", args=[export.pk])
    ).status_code in (403, 404)


def _key(page: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page)
    assert found, "the form has no one-time key"
    return found.group(1)


def test_confirming_a_large_report_twice_makes_one_export(
    world, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    populate(world, 3)
    monkeypatch.setattr(services, "SYNC_ROWS", 1)
    client = client_for(world.users["admin"])
    url = (
        reverse("reports:download", args=[world.program.pk, "reports.participants"]) + "?format=csv"
    )
    key = _key(client.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(url, {"submission_key": key}) for _ in range(2)]
    export = Export.objects.get()
    page = reverse("reports:export", args=[export.pk])
    assert [r["Location"] for r in responses] == [page, page]
    assert export.status == ExportStatus.DONE
    assert len([m for m in mail.outbox if page in m.body]) == 1


def test_pressing_export_the_full_history_twice_makes_one_export(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.users["admin"])
    dashboard = client.get(reverse("reports:dashboard", args=[world.program.pk])).content.decode()
    keys = re.findall(r'name="submission_key" value="([0-9a-f]{32})"', dashboard)
    assert len(keys) == len(set(keys)) == 2  # the JSON button and the workbook button
    url = reverse("reports:export_history", args=[world.program.pk])
    with django_capture_on_commit_callbacks(execute=False):  # queued; nobody writes them
        for _ in range(2):
            client.post(url, {"submission_key": keys[0]})
        client.post(url, {"submission_key": keys[1], "format": "xlsx"})
    assert sorted(Export.objects.values_list("report", "format")) == [
        ("history", "json"),
        ("history", "xlsx"),
    ]


def test_the_export_page_follows_the_progress_until_the_file_is_ready(world, client_for):
    admin = world.users["admin"]
    export = ExportFactory(program=world.program, requested_by=admin, progress=40)
    client = client_for(admin)
    url = reverse("reports:export", args=[export.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'role="status">40% written' in page
    assert "Reload to see the progress" in page  # without JavaScript
    assert "HX-Refresh" not in client.get(url, headers={"HX-Request": "true"})
    services.execute_export(export.pk)
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert 'id="export-progress-bar"' not in page and "export-download" in page


def test_an_interrupted_export_is_written_again_from_the_start_and_says_why(world, exports_dir):
    """What recovery leaves after a killed worker (operations/tests/test_crash.py kills one on
    PostgreSQL): the export still "being written", a partial file under the temporary name."""
    populate(world, 3)
    admin = world.users["admin"]
    export = ExportFactory(
        program=world.program,
        requested_by=admin,
        report="reports.participants",
        format="csv",
        status=ExportStatus.RUNNING,
        progress=60,
    )
    exports_dir.mkdir(parents=True)
    partial = exports_dir / (services.file_name(export) + ".part")
    partial.write_text("half a fi")
    assert services.execute_export(export.pk) == ExportStatus.DONE
    export.refresh_from_db()
    assert sorted(p.name for p in exports_dir.iterdir()) == [export.file_name]
    lines = export.path.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 4 and export.rows_written == 3 and "half" not in lines[0]
    reasons = list(export.history.values_list("history_change_reason", flat=True))
    assert any(r and r.startswith("Written again from the start") for r in reasons)
