"""A cycle's market download: a small market built as it is sent, a large one written once
by the task worker (the reports app's exports, as a large run's snapshot) and then sent as a
file, the same bytes either way, with the market's permission."""

from __future__ import annotations

import gzip
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talent_exchange.accounts.tests.factories import UserFactory, grant
from talent_exchange.matches import reports as downloads
from talent_exchange.matches.market import build_arrays
from talent_exchange.programs.tests.factories import ProgramFactory
from talent_exchange.reports.models import Export, ExportStatus

from .factories import small_market

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


@pytest.fixture
def market(world):
    return small_market(world)  # six participants' rankings


@pytest.fixture
def large(settings):
    """The market counts as large: it is written by the worker."""
    settings.MARKET_EXPORT_SYNC_RANKINGS = 5


def built_now(cycle, round_number=1, tolerance=None) -> bytes:
    """What the download gave when it was built in the web request."""
    if tolerance is None:
        tolerance = cycle.program.tolerance_for_engine
    market = build_arrays(cycle, round_number=round_number, balance_tolerance=tolerance)
    return b"".join(market.json_chunks())


def _key(page: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page)
    assert found, "the form has no one-time key"
    return found.group(1)


def prepare(client, url, capture, execute=True):
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "Prepare the file" in text
    with capture(execute=execute):
        return client.post(url, {"submission_key": _key(text)})


def body(response) -> bytes:
    data = b"".join(response.streaming_content)
    return gzip.decompress(data) if response.get("Content-Encoding") == "gzip" else data


def test_a_small_market_downloads_at_once_as_before(world, client_for, market):
    client = client_for(world.users["admin"])
    page = client.get(reverse("matches:runs", args=[market.cycle.pk])).content.decode()
    assert "Download the market (JSON)" in page
    url = reverse("matches:market_export", args=[market.cycle.pk])
    response = client.get(url, {"round": 2, "tolerance": 1})
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="market-cycle-{market.cycle.pk}-round-2.json"'
    )
    assert b"".join(response.streaming_content) == built_now(market.cycle, 2, 1)
    assert not Export.objects.exists()


def test_a_large_market_is_written_by_the_worker_then_sent_as_the_same_bytes(
    world, client_for, market, large, django_capture_on_commit_callbacks, exports_dir, monkeypatch
):
    client = client_for(world.users["admin"])
    url = reverse("matches:market_export", args=[market.cycle.pk]) + "?round=1&tolerance=2"
    expected = built_now(market.cycle, 1, 2)
    response = prepare(client, url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert response["Location"] == reverse("reports:export", args=[export.pk])
    assert export.status == ExportStatus.DONE and export.progress == 100
    assert export.program == market.cycle.program and export.format == "json.gz"
    assert export.filters == {"cycle": market.cycle.pk, "round": 1, "tolerance": 2}
    assert [p.name for p in exports_dir.iterdir()] == [export.file_name]
    assert any(f"/reports/exports/{export.pk}/" in m.body for m in mail.outbox)
    assert gzip.decompress(export.path.read_bytes()) == expected

    # From now on the request sends the file: the market is not built again.
    def not_in_a_request(*args, **kwargs):
        raise AssertionError("the market was built in the web request")

    monkeypatch.setattr(downloads, "build_arrays", not_in_a_request)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Disposition"] == (
        f'attachment; filename="market-cycle-{market.cycle.pk}-round-1.json"'
    )
    assert b"".join(zipped.streaming_content) == export.path.read_bytes()
    assert body(client.get(url)) == expected  # decompressed for a client without gzip
    page = client.get(reverse("reports:export", args=[export.pk])).content.decode()
    assert f"Market of cycle #{market.cycle.pk}, round 1" in page and "export-download" in page
    assert Export.objects.count() == 1

    # Another round or tolerance is another file.
    other = reverse("matches:market_export", args=[market.cycle.pk]) + "?round=1&tolerance=3"
    assert "Prepare the file" in client.get(other).content.decode()


def test_a_prepared_market_is_sent_to_everyone_allowed_while_fresh_then_prepared_again(
    world, client_for, market, large, django_capture_on_commit_callbacks, django_assert_num_queries
):
    url = reverse("matches:market_export", args=[market.cycle.pk])
    prepare(client_for(world.users["admin"]), url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    colleague = UserFactory()
    grant(colleague, "program_admin", program=world.program)
    for user in (colleague, world.users["auditor"]):
        client = client_for(user)
        # session, user, roles, the cycle, the count of rankings (bounded), the ready export
        with django_assert_num_queries(6):
            response = client.get(url)
        assert body(response) == built_now(market.cycle)
    # Older than MARKET_FRESH: the market may have changed since; it is prepared again.
    Export.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - downloads.MARKET_FRESH - timedelta(seconds=1)
    )
    page = client_for(colleague).get(url).content.decode()
    assert "Prepare the file" in page and "for 10 minutes" in page
    assert Export.objects.count() == 1


def test_the_market_download_keeps_the_markets_permission(
    world, client_for, market, large, django_capture_on_commit_callbacks
):
    url = reverse("matches:market_export", args=[market.cycle.pk])
    prepare(client_for(world.users["admin"]), url, django_capture_on_commit_callbacks)
    assert Export.objects.count() == 1
    other_admin = UserFactory()
    grant(other_admin, "program_admin", program=ProgramFactory())
    for user in ("coord_a", "board", "participant"):
        client = client_for(world.users[user])
        assert client.get(url).status_code in (403, 404)
        assert client.post(url).status_code in (403, 404)
    client = client_for(other_admin)
    assert client.get(url).status_code == 404  # another program's cycle
    assert client.post(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page
    assert Export.objects.count() == 1  # nobody refused made an export
    # The preparation's page is its requester's, as every export's.
    page = reverse("reports:export", args=[Export.objects.get().pk])
    assert client_for(world.users["coord_a"]).get(page).status_code == 404
    assert client_for(world.users["auditor"]).get(page).status_code == 403


def test_someone_elses_preparation_in_progress_is_shown_and_ones_own_is_followed(
    world, client_for, market, large, django_capture_on_commit_callbacks
):
    url = reverse("matches:market_export", args=[market.cycle.pk])
    admin = world.users["admin"]
    prepare(client_for(admin), url, django_capture_on_commit_callbacks, execute=False)
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED  # nothing was written in the request
    assert client_for(admin).get(url)["Location"] == reverse("reports:export", args=[export.pk])
    page = client_for(world.users["auditor"]).get(url).content.decode()
    assert 'data-testid="download-preparing"' in page


def test_a_failed_preparation_says_why_and_offers_to_prepare_again(
    world, client_for, market, large, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(cycle, filters, progress=None):
        yield b'{"participants":['
        raise RuntimeError("disk full")

    monkeypatch.setattr(downloads, "market_chunks", broken)
    client = client_for(world.users["admin"])
    url = reverse("matches:market_export", args=[market.cycle.pk])
    prepare(client, url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED and "RuntimeError" in export.error
    text = client.get(url).content.decode()
    assert 'data-testid="download-error"' in text and "Prepare the file" in text


def test_a_market_without_a_reciprocity_rule_is_found_again_once_prepared(
    world, client_for, market, large, django_capture_on_commit_callbacks
):
    from talent_exchange.programs.models import Reciprocity

    world.program.reciprocity = Reciprocity.NONE
    world.program.save(update_fields=["reciprocity"])
    client = client_for(world.users["admin"])
    url = reverse("matches:market_export", args=[market.cycle.pk])
    prepare(client, url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert export.filters["tolerance"] is None  # JSON null, matched as such
    assert body(client.get(url)) == built_now(market.cycle, 1, None) == built_now(market.cycle)
    assert Export.objects.count() == 1
