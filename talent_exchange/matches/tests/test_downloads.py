"""A run's input snapshot and result downloads: a small run's written as it is sent, a large
run's written once by the task worker (the reports app's exports) and then served as a file,
the same bytes either way."""

from __future__ import annotations

import gzip
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from talent_exchange.accounts.tests.factories import UserFactory, grant
from talent_exchange.matches import reports as downloads
from talent_exchange.matches import services
from talent_exchange.matches.models import MatchRun, snapshot_chunks, unpack_chunks
from talent_exchange.programs.tests.factories import ProgramFactory
from talent_exchange.reports.models import Export, ExportStatus

from .factories import small_market

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


@pytest.fixture
def large(monkeypatch):
    """Every run counts as large: its downloads are written by the worker."""
    monkeypatch.setattr(downloads, "SYNC_BYTES", 0)


@pytest.fixture
def run(world):
    m = small_market(world)
    return services.start_run(
        m.cycle, actor=world.users["admin"], mode="optimal", balance_tolerance=1
    )


def _stored(run, field):
    return bytes(MatchRun.objects.values_list(field, flat=True).get(pk=run.pk))


def snapshot_now(run):
    """What the download gave when it was written in the web request."""
    return b"".join(snapshot_chunks(_stored(run, "market_data")))


def result_now(run):
    return b"".join(unpack_chunks(_stored(run, "result_data")))


DOWNLOADS = [
    ("matches:run_snapshot", snapshot_now, "market"),
    ("matches:run_result", result_now, "result"),
]


def _key(page: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page)
    assert found, "the form has no one-time key"
    return found.group(1)


def prepare(client, url, capture):
    page = client.get(url)
    assert page.status_code == 200 and "Prepare the file" in page.content.decode()
    with capture(execute=True):
        return client.post(url, {"submission_key": _key(page.content.decode())})


def body(response) -> bytes:
    data = b"".join(response.streaming_content)
    return gzip.decompress(data) if response.get("Content-Encoding") == "gzip" else data


@pytest.mark.parametrize(("name", "now", "stem"), DOWNLOADS)
def test_a_large_runs_download_is_written_by_the_worker_then_sent_as_the_same_bytes(
    world, client_for, run, large, django_capture_on_commit_callbacks, exports_dir, name, now, stem
):
    client = client_for(world.users["admin"])
    url = reverse(name, args=[run.pk])
    response = prepare(client, url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert response["Location"] == reverse("reports:export", args=[export.pk])
    assert export.status == ExportStatus.DONE and export.progress == 100
    assert export.program == run.cycle.program and export.filters == {"run": run.pk}
    # written under a temporary name, renamed when whole: only the finished file is there
    assert [p.name for p in exports_dir.iterdir()] == [export.file_name]
    assert export.file_name.endswith(".json.gz")
    assert any(f"/reports/exports/{export.pk}/" in m.body for m in mail.outbox)

    # A client that accepts gzip gets the stored bytes as they are; the browser saves JSON.
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Type"] == "application/json"
    assert zipped["Content-Disposition"] == f'attachment; filename="run-{run.pk}-{stem}.json"'
    assert "Accept-Encoding" in zipped["Vary"]
    assert b"".join(zipped.streaming_content) == export.path.read_bytes()
    assert gzip.decompress(export.path.read_bytes()) == now(run)
    # Any other client gets it decompressed as it is sent: the bytes of before, exactly.
    for accept in ({}, {"Accept-Encoding": "identity, gzip;q=0"}):
        plain = client.get(url, headers=accept)
        assert "Content-Encoding" not in plain
        assert plain["Content-Disposition"] == f'attachment; filename="run-{run.pk}-{stem}.json"'
        assert b"".join(plain.streaming_content) == now(run)
    # The export's own page offers the same file.
    page = client.get(reverse("reports:export", args=[export.pk])).content.decode()
    assert "export-download" in page and "Rows" not in page
    assert body(client.get(reverse("reports:export_file", args=[export.pk]))) == now(run)
    assert Export.objects.count() == 1  # downloading makes nothing new


def test_a_run_again_downloads_byte_identical_files(
    world, client_for, run, large, django_capture_on_commit_callbacks
):
    admin = world.users["admin"]
    again = services.rerun(run, actor=admin)
    client = client_for(admin)
    files = []
    for each in (run, again):
        prepare(client, reverse("matches:run_snapshot", args=[each.pk]),
                django_capture_on_commit_callbacks)  # fmt: skip
        files.append(Export.objects.of_download(downloads.SNAPSHOT, run=each.pk).get())
    first, second = (export.path.read_bytes() for export in files)
    assert first == second  # the gzip file itself, not only its content
    assert gzip.decompress(first) == snapshot_now(run) == snapshot_now(again)


def test_a_small_run_downloads_at_once_as_before(world, client_for, run):
    client = client_for(world.users["admin"])
    page = client.get(reverse("matches:run", args=[run.pk])).content.decode()
    assert "Download the input snapshot (JSON)" in page and "Download the result (JSON)" in page
    for name, now, stem in DOWNLOADS:
        response = client.get(reverse(name, args=[run.pk]), headers={"Accept-Encoding": "gzip"})
        assert response["Content-Disposition"] == f'attachment; filename="run-{run.pk}-{stem}.json"'
        assert b"".join(response.streaming_content) == now(run)
    assert not Export.objects.exists()


def test_once_written_the_file_serves_everyone_who_may_see_the_run_in_flat_queries(
    world, client_for, run, large, django_capture_on_commit_callbacks, django_assert_num_queries
):
    prepare(client_for(world.users["admin"]), reverse("matches:run_snapshot", args=[run.pk]),
            django_capture_on_commit_callbacks)  # fmt: skip
    colleague = UserFactory()
    grant(colleague, "program_admin", program=world.program)
    url = reverse("matches:run_snapshot", args=[run.pk])
    for user in (colleague, world.users["auditor"]):
        client = client_for(user)
        # session, user, roles, the run (without its payload), the ready export: the stored
        # snapshot is not read, whatever its size
        with django_assert_num_queries(5):
            response = client.get(url)
        assert b"".join(response.streaming_content) == snapshot_now(run)
    assert Export.objects.count() == 1


def test_downloads_keep_the_runs_permission(
    world, client_for, run, large, django_capture_on_commit_callbacks
):
    url = reverse("matches:run_snapshot", args=[run.pk])
    other_admin = UserFactory()
    grant(other_admin, "program_admin", program=ProgramFactory())
    for user in (world.users["coord_a"], world.users["board"], other_admin):
        client = client_for(user)
        assert client.get(url).status_code == 404  # outside their scope
        assert client.post(url).status_code == 404
    assert not Export.objects.exists()
    assert client_for(world.users["auditor"]).get(url).status_code == 200  # reads every run
    prepare(client_for(world.users["admin"]), url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    # The preparation's page is its requester's, as every export's.
    page = reverse("reports:export", args=[export.pk])
    assert client_for(other_admin).get(page).status_code == 404
    assert client_for(world.users["auditor"]).get(page).status_code == 403
    assert client_for(world.users["auditor"]).get(url).status_code == 200  # the run's file
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_a_preparation_that_fails_says_why_and_offers_no_file(
    world, client_for, run, large, django_capture_on_commit_callbacks, exports_dir, monkeypatch
):
    def broken(run, key, progress=None):
        yield b'{"participants":['
        raise RuntimeError("disk full")

    monkeypatch.setattr(downloads, "chunks", broken)
    client = client_for(world.users["admin"])
    url = reverse("matches:run_snapshot", args=[run.pk])
    prepare(client, url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED and "RuntimeError" in export.error
    assert not exports_dir.exists() or not list(exports_dir.iterdir())  # no half a file
    page = client.get(url)  # nothing served: the reason, and the offer to try again
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="download-error"' in text
    assert "Ask for it again" in text and "Prepare the file" in text


def test_someone_elses_preparation_in_progress_is_shown_and_ones_own_is_followed(
    world, client_for, run, large, django_capture_on_commit_callbacks
):
    url = reverse("matches:run_snapshot", args=[run.pk])
    admin = world.users["admin"]
    with django_capture_on_commit_callbacks(execute=False):  # queued; no worker writes it
        client_for(admin).post(url)
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED
    assert client_for(admin).get(url)["Location"] == reverse("reports:export", args=[export.pk])
    page = client_for(world.users["auditor"]).get(url).content.decode()
    assert 'data-testid="download-preparing"' in page
