"""Publishing in the background (issue 17): the click reserves the round and queues the
task; the task makes the offers in batches with their history, a fixed number of statements
per batch, once however often it runs (resuming after a crash), and the page follows it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.matches import services
from talent_exchange.matches.models import MatchRun, Offer, PublishStatus
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory

from .factories import finished_run

pytestmark = pytest.mark.django_db


def run_with_pairs(world, n: int) -> MatchRun:
    """A finished run whose result assigns n nominees (of city A) to n places (at B)."""
    nominations = NominationFactory.create_batch(
        n, cycle=world.cycle, person__organization=world.city_a
    )
    places = OpportunityFactory.create_batch(n, cycle=world.cycle, host_organization=world.city_b)
    result = {
        "status": "stable",
        "assignments": [
            {"participant": f"n{a.pk}", "slot": f"o{b.pk}", "reason": "1st choice"}
            for a, b in zip(nominations, places, strict=True)
        ],
        "unmatched": [],
        "metrics": {"matched": n},
        "problems": [],
    }
    return finished_run(world.cycle, world.users["admin"], result=result)


DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def queued(world, run, settings) -> MatchRun:
    """Publication asked for, the task not run yet (as with the database worker: the dummy
    backend keeps what is queued without running it)."""
    settings.TASKS = DUMMY
    return services.publish_run(run, actor=world.users["admin"])


def statements(queries) -> int:
    return sum(1 for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE")))


@pytest.mark.parametrize("n", [5, 50])
def test_publishing_costs_the_same_statements_for_5_or_50_offers(world, n, settings):
    run = queued(world, run_with_pairs(world, n), settings)
    with CaptureQueriesContext(connection) as queries:
        assert services.execute_publish(run.pk) == n
    # claim, read, the result; per batch: lock, existing offers, offers, history (one
    # statement with the offers on PostgreSQL), progress; then published and the e-mail task.
    assert statements(queries) == (8 if connection.vendor == "postgresql" else 9)
    assert Offer.objects.filter(run=run).count() == n


def test_the_page_follows_the_publication_and_reloads_when_it_is_done(world, client_for, settings):
    run = queued(world, run_with_pairs(world, 3), settings)
    assert run.publishing and run.published_at and not Offer.objects.exists()
    client = client_for(world.users["admin"])
    page = client.get(reverse("matches:run", args=[run.pk])).content.decode()
    assert 'data-testid="publish-progress"' in page and 'role="status"' in page
    assert "?watching=publish" in page and 'hx-trigger="every 2s"' in page
    poll = reverse("matches:run_progress", args=[run.pk]) + "?watching=publish"
    assert "HX-Refresh" not in client.get(poll, headers={"HX-Request": "true"})
    services.execute_publish(run.pk)
    run.refresh_from_db()
    assert run.publish_status == PublishStatus.DONE and run.publish_progress == 100
    assert client.get(poll, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(reverse("matches:run", args=[run.pk])).content.decode()
    assert "publish-progress" not in page and "hx-trigger" not in page


def test_a_second_click_or_task_makes_no_second_offer(world, settings):
    run = queued(world, run_with_pairs(world, 4), settings)
    with pytest.raises(ActionRefused, match="already published"):
        services.publish_run(run, actor=world.users["admin"])
    assert services.execute_publish(run.pk) == 4
    assert services.execute_publish(run.pk) == 0  # the task again: done, nothing to do
    MatchRun.objects.filter(pk=run.pk).update(publish_status=PublishStatus.RUNNING)
    assert services.execute_publish(run.pk) == 0  # even if it thought it was not done
    assert Offer.objects.filter(run=run).count() == 4
    assert Offer.history.filter(run_id=run.pk, history_type="+").count() == 4


def test_a_publication_that_stopped_resumes_without_doubles(world, monkeypatch, settings):
    run = queued(world, run_with_pairs(world, 5), settings)
    monkeypatch.setattr(services, "PUBLISH_BATCH", 2)
    real = services._make_offers
    calls = []

    def crash_on_the_second_batch(run, pairs, **kwargs):
        calls.append(len(pairs))
        if len(calls) == 2:
            raise RuntimeError("the worker was killed")
        return real(run, pairs, **kwargs)

    monkeypatch.setattr(services, "_make_offers", crash_on_the_second_batch)
    with pytest.raises(RuntimeError):
        services.execute_publish(run.pk)
    run.refresh_from_db()
    # The first batch is committed whole (offers and history), the second not at all.
    assert Offer.objects.filter(run=run).count() == 2
    assert Offer.history.filter(run_id=run.pk).count() == 2
    assert run.publishing and run.publish_progress == 40
    monkeypatch.setattr(services, "_make_offers", real)
    # The scheduled command queues it again once it is stalled; it finishes the set.
    MatchRun.objects.filter(pk=run.pk).update(
        publish_heartbeat_at=run.created_at.replace(year=2000)
    )
    settings.TASKS = IMMEDIATE  # the worker runs what the command queues
    call_command("mark_stalled_runs", verbosity=0)
    run.refresh_from_db()
    assert run.publish_done
    assert Offer.objects.filter(run=run).count() == 5
    assert sorted(Offer.objects.filter(run=run).values_list("nomination_id", flat=True)) == sorted(
        int(a["participant"][1:]) for a in run.result["assignments"]
    )


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_publishing_goes_through_the_real_worker(world, client_for, mailoutbox):
    run = run_with_pairs(world, 3)
    client = client_for(world.users["admin"])
    response = client.post(reverse("matches:publish", args=[run.pk]), {"respond_by": "2099-01-01"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.publish_status == PublishStatus.QUEUED and not Offer.objects.exists()
    assert mailoutbox == []
    for _ in range(4):  # the offers, then the e-mail batches, then their deliveries
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    run.refresh_from_db()
    assert run.publish_done and Offer.objects.filter(run=run).count() == 3
    assert len(mailoutbox) >= 3
