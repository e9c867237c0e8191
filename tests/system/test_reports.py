"""The program administrator reads the program dashboard (charts with their tables),
downloads the outcomes report as Excel and reads it back, starts the full history export,
gets the e-mail and downloads the file, then imports a spreadsheet of past placements (a dry
run, then the import). Every page is checked with axe."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.core import mail
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .conftest import sign_in

pytestmark = pytest.mark.browser

PROGRAM = "Bayshore Management Talent Exchange Program"


@pytest.fixture
def exports(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"


def test_the_administrator_reads_the_dashboard_downloads_a_report_and_exports_the_history(
    demo, exports, new_page
):
    page = new_page()
    sign_in(page, "admin")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    assert_accessible(page)
    page.get_by_role("link", name=f"Dashboard of {PROGRAM}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")

    # Each figure: a heading, a sentence that sums it up, and a table beside the chart.
    for heading in (
        "Pipeline of the cycle",
        "Exchange flow between organisations",
        "Reciprocity: sent and hosted per organisation",
        "Outcomes by cohort",
        "Evaluation ratings",
    ):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_test_id("funnel-table")).to_contain_text("Nominations")
    expect(page.get_by_test_id("flow-table")).to_be_visible()
    assert page.locator("svg.te-chart").count() >= 3
    assert_accessible(page)

    # A filter narrows the figures and keeps the page accessible.
    page.get_by_label("Assignment type").select_option("sabbatical")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No placements match these filters.").first).to_be_visible()
    assert_accessible(page)

    # The outcomes report as Excel, read back.
    with page.expect_download() as download:
        page.get_by_test_id("report-list").get_by_role(
            "link", name=re.compile(r"^Excel.*Outcomes by cohort")
        ).click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["Cohort", "Months after return", "Placements"]
    assert sheet.freeze_panes == "A2"

    # The full history, in the background; the e-mail's link leads to the file.
    sent_before = len(mail.outbox)
    page.get_by_role("button", name="Export the full history").click()
    expect(page.get_by_text("The full history export has started")).to_be_visible()
    assert_accessible(page)
    ready = [m for m in mail.outbox[sent_before:] if "Your export is ready" in m.subject]
    assert len(ready) == 1
    link = re.search(r"https?://[^/\s]+(/reports/exports/\d+/)", ready[0].body).group(1)
    page.goto(link)
    expect(page.get_by_test_id("export-status")).to_have_text("Ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "talent-exchange-history" and header["program"] == PROGRAM
    assert json.loads(lines[-1])["section"] == "end"


def test_the_administrator_imports_past_placements_from_a_spreadsheet(demo, tmp_path, new_page):
    from talent_exchange.people.models import MobilityRecord
    from talent_exchange.programs.models import Program

    program = Program.objects.get(name=PROGRAM)
    home = program.participating_organizations.order_by("name").first().name
    sheet = tmp_path / "past-placements.csv"
    sheet.write_text(
        "work_email,first_name,last_name,organization,position_title,placement_title,"
        "started_on,ended_on\n"
        f'nia.new@example.org,Nia,New,"{home}",Analyst,Acting director,2019-01-07,2019-06-28\n'
        f'nia.new@example.org,Nia,New,"{home}",Analyst,Policy lead,2019-05-06,2019-09-27\n',
        encoding="utf-8",
    )
    page = new_page()
    sign_in(page, "admin")
    page.goto("/reports/")
    page.get_by_role("link", name=f"Dashboard of {PROGRAM}").click()
    page.get_by_role("link", name="Import profiles, past placements or a history file").click()
    assert_accessible(page)
    page.get_by_label("What the file holds").select_option("spreadsheet")
    page.locator("input[type=file]").set_input_files(sheet)
    page.get_by_role("button", name="Check the file").click()

    # The dry run (a background task) refuses the overlapping placement, line and column.
    expect(page.get_by_test_id("import-status")).to_have_text("Refused")
    rows = page.get_by_test_id("import-rows")
    expect(rows.get_by_role("row").nth(2)).to_contain_text("overlaps another placement")
    expect(rows.get_by_role("row").nth(2)).to_contain_text("3")
    expect(page.get_by_test_id("import-commit")).to_have_count(0)
    assert_accessible(page)
    assert not MobilityRecord.objects.filter(person__work_email="nia.new@example.org")

    # Corrected, checked again, then imported: every row, once.
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("2019-05-06", "2019-07-08"), encoding="utf-8"
    )
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("What the file holds").select_option("spreadsheet")
    page.locator("input[type=file]").set_input_files(sheet)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Checked (dry run)")
    expect(page.get_by_test_id("import-rows")).to_contain_text("created")
    page.get_by_test_id("import-commit").click()
    expect(page.get_by_test_id("import-summary")).to_have_text("Every row was imported.")
    expect(page.get_by_test_id("import-status")).to_have_text("Imported")
    assert_accessible(page)
    assert MobilityRecord.objects.filter(person__work_email="nia.new@example.org").count() == 2
