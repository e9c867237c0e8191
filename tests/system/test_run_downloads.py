"""The administrator downloads a large run's input snapshot: the first click offers to
prepare it, the real task worker writes it while the export's page follows the progress, and
the browser saves the very JSON the download gave when it was written in the request (sent
gzip-encoded, saved decoded); the next click downloads at once. Every page is checked with
axe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from talent_exchange.matches import reports as downloads
from talent_exchange.matches import services
from talent_exchange.matches.models import MatchRun, snapshot_chunks
from talent_exchange.matches.tests.factories import small_market
from talent_exchange.reports.models import Export

from .conftest import sign_in
from .screens import check
from .test_matching_runs import PASSWORD, work_through_the_queue

pytestmark = pytest.mark.browser


def test_a_large_runs_snapshot_is_prepared_in_the_background_then_downloads_at_once(
    world, new_page, settings, tmp_path, monkeypatch
):
    settings.EXPORTS_DIR = tmp_path / "exports"
    m = small_market(world)
    run = services.start_run(m.cycle, actor=world.users["admin"], mode="stable",
                             balance_tolerance=None)  # fmt: skip
    expected = b"".join(
        snapshot_chunks(bytes(MatchRun.objects.values_list("market_data", flat=True).get()))
    )
    monkeypatch.setattr(downloads, "SYNC_BYTES", 0)  # this run counts as large
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    page = new_page()
    sign_in(page, "admin", PASSWORD)
    page.goto(f"/matches/runs/{run.pk}/")
    page.get_by_role("link", name="Download the input snapshot (JSON)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Input snapshot of run #{run.pk}")
    check(page)
    page.get_by_role("button", name="Prepare the file").click()
    # Queued: nothing was written in the request; the export's page follows the progress.
    expect(page.get_by_role("status").filter(has_text="being prepared")).to_be_visible()
    expect(page.get_by_test_id("export-progress")).to_have_attribute("hx-trigger", "every 2s")
    check(page)
    work_through_the_queue()
    expect(page.get_by_test_id("export-status")).to_have_text("Ready", timeout=20_000)
    check(page)
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    assert download.value.suggested_filename == f"run-{run.pk}-market.json"
    assert Path(download.value.path()).read_bytes() == expected

    # From now on the run page's link downloads the kept file at once.
    page.goto(f"/matches/runs/{run.pk}/")
    with page.expect_download() as again:
        page.get_by_role("link", name="Download the input snapshot (JSON)").click()
    assert Path(again.value.path()).read_bytes() == expected
    assert Export.objects.count() == 1
    assert re.fullmatch(r".*\.json\.gz", Export.objects.get().file_name)
