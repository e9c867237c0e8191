"""The program administrator reads the program dashboard (charts with their tables),
downloads the outcomes report as Excel and reads it back, starts the full history export,
gets the e-mail and downloads the file. Every page is checked with axe."""

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
