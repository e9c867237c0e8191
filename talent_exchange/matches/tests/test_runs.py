"""Starting runs, their background task, progress, failures and reproduction."""

from __future__ import annotations

import datetime
import html
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from talent_exchange.matches import presenters, services
from talent_exchange.matches.models import MatchRun, PairConstraint, PairRule, RunStatus
from talent_exchange.matching import solve
from talent_exchange.matching.arrays import is_npz
from talent_exchange.matching.jsonio import dumps

from .factories import small_market

pytestmark = pytest.mark.django_db


def start(client, cycle, **data):
    data = {"mode": "stable", "balance_tolerance": "", "round": 1, **data}
    return client.post(reverse("matches:runs", args=[cycle.pk]), data)


def test_the_administrator_starts_a_run_and_sees_every_pair_explained(world, client_for):
    m = small_market(world)
    client = client_for(world.users["admin"])
    response = start(client, m.cycle, mode="optimal", balance_tolerance=1)
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "matches:run", args=[run.pk]
    )
    # The immediate backend ran the task inline: snapshot, solve, store.
    assert run.status == RunStatus.SUCCEEDED and run.progress == 100
    assert run.task_id and run.started_at and run.finished_at
    assert run.market["rules"]["balance_tolerance"] == 1
    assert run.result["status"] == "optimal"
    response = client.get(reverse("matches:run", args=[run.pk]))
    page = html.unescape(response.content.decode())
    names = presenters.names_for([run])
    assert run.result["assignments"]
    for pair in run.result["assignments"]:
        explained = presenters.explanation(pair, names)
        assert explained in page
        assert f"“{m.at_a.title}”" in explained or pair["slot"] != f"o{m.at_a.pk}"
    for row in run.result["unmatched"]:
        assert presenters.explanation(row, names) in page
    assert 'role="img"' in page and '<title id="matrix-title">' in page
    assert "Publish and notify" in page
    # Which solver proved the answer, as the engine reported it.
    solver = run.result["solver"]
    assert solver["status"] == "OPTIMAL" and solver["exact"]
    assert f"{solver['name']} {solver['version']} · proven optimal" in page
    assert solver["proof"] in page


def test_a_run_whose_task_raises_is_failed_with_the_reason(world, client_for, monkeypatch):
    m = small_market(world)

    def broken(market, mode):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services, "solve", broken)
    monkeypatch.setattr(services, "solve_arrays", broken)
    start(client_for(world.users["admin"]), m.cycle)
    run = MatchRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "solver exploded" in run.error
    page = client_for(world.users["admin"]).get(reverse("matches:run", args=[run.pk]))
    assert "solver exploded" in page.content.decode()


def test_an_impossible_request_fails_with_the_engines_reason(world, client_for):
    m = small_market(world)
    # Strict exchange, but Ada (A) is locked into B's place and nobody can go to A from B
    # without... B's people rank A; force an imbalance: lock Ada to the county.
    PairConstraint.objects.create(
        cycle=m.cycle,
        nomination=m.ada,
        opportunity=m.at_county,
        rule=PairRule.LOCK,
        created_by=world.users["admin"],
    )
    start(client_for(world.users["admin"]), m.cycle, mode="optimal", balance_tolerance=0)
    run = MatchRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.result["status"] == "infeasible"
    assert run.error.startswith("The request cannot be satisfied")


def test_a_page_warns_of_a_stalled_run_but_only_the_command_fails_it(world, client_for):
    """No write on GET: the run page says the worker seems stopped; the scheduled command
    fails the run, and the history records that change."""
    m = small_market(world)
    admin = world.users["admin"]
    stale = timezone.now() - services.STALL_AFTER - datetime.timedelta(minutes=1)
    run = MatchRun.objects.create(
        cycle=m.cycle, mode="stable", started_by=admin, status=RunStatus.RUNNING,
        progress=30, heartbeat_at=stale, started_at=stale,
    )  # fmt: skip
    fresh = MatchRun.objects.create(
        cycle=m.cycle, mode="stable", started_by=admin, heartbeat_at=timezone.now()
    )
    client = client_for(admin)
    page = client.get(reverse("matches:run", args=[run.pk])).content.decode()
    fragment = client.get(reverse("matches:run_progress", args=[run.pk])).content.decode()
    client.get(reverse("matches:runs", args=[m.cycle.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # the pages only read
    assert 'data-testid="run-stalled"' in page and 'data-testid="run-stalled"' in fragment
    assert "run-stalled" not in client.get(reverse("matches:run", args=[fresh.pk])).content.decode()
    history_before = run.history.count()

    call_command("mark_stalled_runs", stdout=io.StringIO())

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "The worker stopped" in run.error
    assert run.history.count() == history_before + 1
    latest = run.history.latest()
    assert latest.status == RunStatus.FAILED and latest.history_type == "~"
    after = client.get(reverse("matches:run", args=[run.pk])).content.decode()
    assert "The worker stopped" in after
    fresh.refresh_from_db()
    assert fresh.status == RunStatus.QUEUED  # still within its time


def test_the_command_marks_stalled_runs(world):
    m = small_market(world)
    queued = MatchRun.objects.create(cycle=m.cycle, mode="stable", started_by=world.users["admin"])
    later = timezone.now() + services.STALL_AFTER + datetime.timedelta(minutes=1)
    assert services.mark_stalled_runs(now=timezone.now()) == 0
    MatchRun.objects.filter(pk=queued.pk).update(heartbeat_at=None)
    assert services.mark_stalled_runs(now=later) == 1
    queued.refresh_from_db()
    assert queued.status == RunStatus.FAILED
    # and the command does the same, quietly, when there is nothing to do
    call_command("mark_stalled_runs")


def test_a_stalled_run_does_not_come_back_to_life(world):
    """If the worker was only slow, its late steps must not revive a failed run."""
    m = small_market(world)
    run = MatchRun.objects.create(
        cycle=m.cycle, mode="stable", started_by=world.users["admin"], status=RunStatus.FAILED
    )
    assert services.execute_run(run.pk) == "skipped"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.result is None


def test_the_progress_fragment_polls_until_the_run_ends(world, client_for):
    m = small_market(world)
    admin = world.users["admin"]
    run = MatchRun.objects.create(
        cycle=m.cycle, mode="stable", started_by=admin, status=RunStatus.RUNNING,
        progress=30, progress_note="Solving", heartbeat_at=timezone.now(),
    )  # fmt: skip
    client = client_for(admin)
    url = reverse("matches:run_progress", args=[run.pk])
    fragment = client.get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert f'hx-get="{url}?watching=run"' in html and 'hx-trigger="every 2s"' in html
    assert '<progress id="run-progress-bar"' in html and 'value="30"' in html
    assert '<label class="usa-label margin-top-0" for="run-progress-bar">' in html
    assert "HX-Refresh" not in fragment.headers
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, progress=100)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_run_again_with_the_same_input_gives_the_same_bytes(world, client_for):
    m = small_market(world)
    client = client_for(world.users["admin"])
    start(client, m.cycle, mode="optimal", balance_tolerance=1)
    first = MatchRun.objects.get()
    # The cycle changes afterwards; the repeat still uses the first run's snapshot.
    PairConstraint.objects.create(
        cycle=m.cycle, nomination=m.bo, opportunity=m.at_a, rule=PairRule.FORBID,
        created_by=world.users["admin"],
    )  # fmt: skip
    response = client.post(reverse("matches:run_again", args=[first.pk]))
    second = MatchRun.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("matches:run", args=[second.pk])
    assert second.source_run == first and second.market == first.market
    assert dumps(second.result) == dumps(first.result)
    # ...and the engine, given the downloaded snapshot, answers the same bytes again.
    snapshot = client.get(reverse("matches:run_snapshot", args=[first.pk]))
    assert snapshot["Content-Disposition"].startswith("attachment")
    from talent_exchange.matching.jsonio import loads

    downloaded = b"".join(snapshot.streaming_content)
    assert downloaded == dumps(first.market, indent=False)  # the stored (compact) bytes
    assert dumps(solve(loads(downloaded), "optimal")) == dumps(first.result)
    result = client.get(reverse("matches:run_result", args=[first.pk]))
    assert b"".join(result.streaming_content) == dumps(first.result)
    # The snapshot is stored as the market's arrays; its JSON is written for the download.
    assert is_npz(bytes(first.market_data)) and second.market_data == first.market_data


def test_a_snapshot_stored_as_json_runs_again_and_downloads_as_before(world, client_for):
    """Runs from before the snapshot was stored as arrays keep their gzip JSON."""
    m = small_market(world)
    client = client_for(world.users["admin"])
    start(client, m.cycle, mode="stable")
    first = MatchRun.objects.get()
    market = first.market
    first.market = market  # a dict is stored as compressed JSON, as snapshots were
    first.save(update_fields=["market_data", "market_bytes", "summary"])
    assert not is_npz(bytes(first.market_data)) and first.market == market
    client.post(reverse("matches:run_again", args=[first.pk]))
    second = MatchRun.objects.exclude(pk=first.pk).get()
    assert second.status == RunStatus.SUCCEEDED and second.market_data == first.market_data
    assert dumps(second.result) == dumps(first.result)
    snapshot = client.get(reverse("matches:run_snapshot", args=[second.pk]))
    assert b"".join(snapshot.streaming_content) == dumps(market, indent=False)


def test_the_market_export_is_the_engines_input(world, client_for):
    m = small_market(world)
    response = client_for(world.users["admin"]).get(
        reverse("matches:market_export", args=[m.cycle.pk])
    )
    from talent_exchange.matching.jsonio import loads

    market = loads(b"".join(response.streaming_content))
    assert response["Content-Type"] == "application/json"
    assert len(market["participants"]) == 3
    assert solve(market, "stable")["status"] == "stable"


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_run_goes_through_the_real_worker(world, client_for):
    """Enqueued as a database row by the request; run by the worker (one batch)."""
    from django_tasks_db.models import DBTaskResult

    m = small_market(world)
    start(client_for(world.users["admin"]), m.cycle, mode="optimal", balance_tolerance=1)
    run = MatchRun.objects.get()
    assert run.status == RunStatus.QUEUED and run.result is None  # nothing ran in the request
    assert DBTaskResult.objects.filter(pk=run.task_id, status="READY").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.result["status"] == "optimal" and run.progress == 100
    assert DBTaskResult.objects.get(pk=run.task_id).status == "SUCCESSFUL"


def test_a_large_result_is_shown_a_page_at_a_time(world, client_for):
    from .factories import finished_run

    m = small_market(world)
    result = solve(
        {
            "participants": [
                {"id": f"n{i}", "organization": "1", "preferences": [f"o{i}"]} for i in range(250)
            ],
            "slots": [{"id": f"o{i}", "organization": "2", "capacity": 1} for i in range(250)],
        },
        "stable",
    )
    run = finished_run(m.cycle, world.users["admin"], result=result)
    client = client_for(world.users["admin"])
    page = client.get(reverse("matches:run", args=[run.pk])).content.decode()
    assert page.count('data-testid="pair-reason"') == 100
    assert "Page 1 of 3" in page
    last = client.get(reverse("matches:run", args=[run.pk]) + "?page=3").content.decode()
    assert last.count('data-testid="pair-reason"') == 50


def test_a_stable_run_says_how_it_was_solved(world, client_for):
    m = small_market(world)
    client = client_for(world.users["admin"])
    start(client, m.cycle, mode="stable")
    run = MatchRun.objects.get()
    page = html.unescape(client.get(reverse("matches:run", args=[run.pk])).content.decode())
    solver = run.result["solver"]
    assert f"{solver['name']} · the participant-optimal stable matching" in page
    assert "proven optimal" not in page
