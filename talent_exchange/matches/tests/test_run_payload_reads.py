"""A run's snapshot and result are read only by the pages that show them (issue 17): a list
of offers, the progress poll and the dashboards never load them, and the offer list is paged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent_exchange.matches import services
from talent_exchange.matches.models import RUN_DEFERRED, Offer

from .factories import small_market

pytestmark = pytest.mark.django_db


def _payload_read(queries) -> list[str]:
    """SQL statements that select a run's snapshot or result column."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and any(f'"matches_matchrun"."{name}"' in q["sql"] for name in RUN_DEFERRED)
    ]


@pytest.fixture
def published(world):
    m = small_market(world)
    admin = world.users["admin"]
    run = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    services.publish_run(run, actor=admin)
    run.refresh_from_db()
    assert run.result and Offer.objects.filter(run=run).exists()
    return run


@pytest.mark.parametrize("page", ["offers", "offer", "progress", "dashboard"])
def test_pages_that_do_not_show_a_runs_payload_do_not_load_it(world, published, client_for, page):
    client = client_for(world.users["admin"])
    offer = Offer.objects.filter(run=published).first()
    url = {
        "offers": reverse("matches:offers"),
        "offer": reverse("matches:offer", args=[offer.pk]),
        "progress": reverse("matches:run_progress", args=[published.pk]),
        "dashboard": "/",
    }[page]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert _payload_read(queries) == []


def test_the_run_page_still_shows_the_result(world, published, client_for):
    client = client_for(world.users["admin"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("matches:run", args=[published.pk]))
    assert response.status_code == 200
    assert len(_payload_read(queries)) >= 1
    assert len(response.context["assignments"]) == len(published.result["assignments"])


def test_the_offer_list_is_paged(world, published, client_for, settings):
    settings.PAGE_SIZE = 2
    client = client_for(world.users["admin"])
    total = Offer.objects.count()
    assert total > 2
    first = client.get(reverse("matches:offers")).content.decode()
    assert first.count('href="/matches/offers/') == 2
    assert f"Page 1 of {-(-total // 2)}" in first
    last = client.get(reverse("matches:offers"), {"page": 99}).content.decode()
    assert last.count('href="/matches/offers/') == total - 2 * (-(-total // 2) - 1)
