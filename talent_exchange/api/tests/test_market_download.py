"""The API's whole market of a cycle: a small one sent at once; a large one prepared by the
task worker (POST, 202 with the address to poll) and then sent as the file (GET, 200), the
same bytes either way, with the market's permission."""

from __future__ import annotations

import gzip
import json

import pytest

from talent_exchange.matches import reports as downloads
from talent_exchange.matches.market import build_market
from talent_exchange.reports import services
from talent_exchange.reports.models import Export, ExportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


@pytest.fixture
def large(settings):
    settings.MARKET_EXPORT_SYNC_RANKINGS = 0  # the cycle's one ranking makes it large


def _body(response) -> bytes:
    data = b"".join(response.streaming_content)
    return gzip.decompress(data) if response.get("Content-Encoding") == "gzip" else data


def test_a_small_market_is_sent_at_once(cycle, api_as):
    client = api_as(cycle.world.users["admin"])
    url = f"/api/cycles/{cycle.world.cycle.pk}/market"
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert json.loads(b"".join(response.streaming_content)) == build_market(cycle.world.cycle)
    prepared = client.post(url)
    assert prepared.status_code == 202 and prepared.json()["status"] == "ready"
    assert not Export.objects.exists()  # nothing to prepare


def test_a_large_market_is_prepared_then_polled_then_sent(
    cycle, api_as, large, django_capture_on_commit_callbacks, monkeypatch
):
    client = api_as(cycle.world.users["admin"])
    url = f"/api/cycles/{cycle.world.cycle.pk}/market"
    expected = json.dumps(build_market(cycle.world.cycle))

    not_yet = client.get(url)  # a GET writes nothing: it says how to prepare it
    assert not_yet.status_code == 409
    assert not_yet.json()["status"] == "not_prepared" and "POST" in not_yet.json()["detail"]
    assert not Export.objects.exists()

    with django_capture_on_commit_callbacks(execute=False):  # queued; no worker yet
        started = client.post(url)
    assert started.status_code == 202
    assert started.json() == {
        "detail": "The market is being prepared; GET the poll address.",
        "status": "queued",
        "progress": 0,
        "poll": url,
    }
    assert started["Location"] == url and started["Retry-After"] == "5"
    export = Export.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url).json()["status"] == "queued"  # joins it
    assert Export.objects.count() == 1

    polled = client.get(url)
    assert polled.status_code == 202 and polled.json()["status"] == "queued"

    services.execute_export(export.pk)  # the worker

    def not_in_a_request(*args, **kwargs):
        raise AssertionError("the market was built in the web request")

    monkeypatch.setattr(downloads, "build_arrays", not_in_a_request)
    ready = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert ready.status_code == 200 and ready["Content-Encoding"] == "gzip"
    assert ready["Content-Disposition"] == (
        f'attachment; filename="market-cycle-{cycle.world.cycle.pk}.json"'
    )
    assert json.loads(_body(ready)) == json.loads(expected)
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert json.loads(b"".join(plain.streaming_content)) == json.loads(expected)
    # Once written, a POST uses the file as it is; the auditor reads it too.
    assert client.post(url).json()["status"] == "ready"
    auditor = api_as(cycle.world.users["auditor"]).get(url)
    assert json.loads(_body(auditor)) == json.loads(expected)
    assert Export.objects.count() == 1


def test_the_api_sends_the_same_bytes_as_the_page(
    cycle, api_as, client_for, large, django_capture_on_commit_callbacks
):
    """The API's market is the page's default market (round 1, the program's rule): one
    file serves both."""
    with django_capture_on_commit_callbacks(execute=True):
        api_as(cycle.world.users["admin"]).post(f"/api/cycles/{cycle.world.cycle.pk}/market")
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE
    from django.urls import reverse

    page = client_for(cycle.world.users["admin"]).get(
        reverse("matches:market_export", args=[cycle.world.cycle.pk])
    )
    assert gzip.decompress(export.path.read_bytes()) == b"".join(page.streaming_content)


def test_a_failed_preparation_is_said_and_can_be_asked_again(
    cycle, api_as, large, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(cycle, filters, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(downloads, "market_chunks", broken)
    client = api_as(cycle.world.users["admin"])
    url = f"/api/cycles/{cycle.world.cycle.pk}/market"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    failed = client.get(url)
    assert failed.status_code == 409 and failed.json()["status"] == "failed"
    assert "RuntimeError" in failed.json()["detail"]
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url).json()["status"] == "queued"
    assert Export.objects.count() == 2


def test_the_large_market_keeps_the_markets_permission(
    cycle, api_as, large, django_capture_on_commit_callbacks
):
    url = f"/api/cycles/{cycle.world.cycle.pk}/market"
    with django_capture_on_commit_callbacks(execute=True):
        api_as(cycle.world.users["admin"]).post(url)
    assert Export.objects.get().status == ExportStatus.DONE
    for user in (cycle.world.users["coord_a"], cycle.world.users["board"]):
        client = api_as(user)
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 403 and "detail" in response.json()
    outside = api_as(cycle.other_admin)
    for response in (outside.get(url), outside.post(url)):
        assert response.status_code == 404
    assert Export.objects.count() == 1
