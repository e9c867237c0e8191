"""The administrator downloads a large cycle's market: the first click offers to prepare it,
the real task worker writes it while the export's page follows the progress, and the browser
saves the very JSON the download gave when it was built in the request; a week later the
file is gone and the export's page offers to prepare it again. Every page is checked with
axe."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from talent_exchange.matches.market import build_market
from talent_exchange.matches.tests.factories import small_market
from talent_exchange.reports import services
from talent_exchange.reports.models import Export

from .conftest import sign_in
from .screens import check
from .test_matching_runs import PASSWORD, work_through_the_queue

pytestmark = pytest.mark.browser


def test_a_large_market_is_prepared_in_the_background_and_offered_again_once_expired(
    world, new_page, settings, tmp_path
):
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.MARKET_EXPORT_SYNC_RANKINGS = 5  # this market (six rankings) counts as large
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    m = small_market(world)
    expected = build_market(m.cycle)

    page = new_page()
    sign_in(page, "admin", PASSWORD)
    page.goto(f"/matches/cycle/{m.cycle.pk}/runs/")
    page.get_by_role("link", name="Download the market (JSON)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Market of cycle #{m.cycle.pk}, round 1"
    )
    check(page)
    page.get_by_role("button", name="Prepare the file").click()
    expect(page.get_by_role("status").filter(has_text="being prepared")).to_be_visible()
    check(page)
    work_through_the_queue()
    expect(page.get_by_test_id("export-status")).to_have_text("Ready", timeout=20_000)
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    assert download.value.suggested_filename == f"market-cycle-{m.cycle.pk}-round-1.json"
    assert json.loads(Path(download.value.path()).read_bytes()) == expected

    # Eight days later the scheduled job has removed the file; the page says so.
    export = Export.objects.get()
    services.expire_exports(now=export.finished_at + timedelta(days=8))
    page.reload()
    expect(page.get_by_test_id("export-status")).to_have_text("Expired")
    expect(page.get_by_test_id("export-expired")).to_contain_text("files are kept for 7 days")
    check(page)
    page.get_by_role("button", name="Prepare it again").click()
    expect(page.get_by_role("status").filter(has_text="being prepared")).to_be_visible()
    work_through_the_queue()
    expect(page.get_by_test_id("export-status")).to_have_text("Ready", timeout=20_000)
    assert Export.objects.count() == 2
