"""A creation form sent twice (a double click, a retry) creates one object; the second
sending is shown what the first made (core/submission.py)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from talent_exchange.core.models import SubmissionKey
from talent_exchange.core.submission import SubmittedOnceMixin
from talent_exchange.opportunities import services
from talent_exchange.opportunities.models import Opportunity
from tests.concurrency import race


def _data(world, key: str, **changes) -> dict:
    return {
        "submission_key": key,
        "host_organization": world.city_a.pk,
        "assignment_type": "detail",
        "title": "Performance auditor",
        "description": "Audit three programmes.",
        "duration_months": 3,
        "start_earliest": "2027-03-01",
        "start_latest": "2027-04-01",
        "workplace": "hybrid",
        "capacity": 1,
        **changes,
    }


def _key_from(page) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f]{32})"', page.content.decode())[1]


@pytest.mark.django_db
def test_sending_the_form_twice_creates_one_draft(world, client_for):
    client = client_for(world.users["coord_a"])
    url = reverse("opportunities:create", args=[world.cycle.pk])
    key = _key_from(client.get(url))
    first = client.post(url, _data(world, key))
    second = client.post(url, _data(world, key), follow=True)
    opportunity = Opportunity.objects.get()
    assert first["Location"] == reverse("opportunities:detail", args=[opportunity.pk])
    assert second.redirect_chain == [(first["Location"], 302)]
    assert "already been sent" in second.content.decode()
    # a fresh form (a new key) creates another
    assert client.post(url, _data(world, _key_from(client.get(url)))).status_code == 302
    assert Opportunity.objects.count() == 2


@pytest.mark.django_db
def test_a_form_sent_back_with_errors_can_be_sent_again_corrected(world, client_for):
    client = client_for(world.users["coord_a"])
    url = reverse("opportunities:create", args=[world.cycle.pk])
    key = _key_from(client.get(url))
    invalid = client.post(url, _data(world, key, duration_months=99))
    assert invalid.status_code == 200 and not SubmissionKey.objects.exists()
    assert client.post(url, _data(world, key)).status_code == 302
    assert Opportunity.objects.count() == 1


@pytest.mark.django_db
def test_another_users_key_or_a_forged_one_creates_nothing(world, client_for):
    url = reverse("opportunities:create", args=[world.cycle.pk])
    client = client_for(world.users["coord_a"])
    key = _key_from(client.get(url))
    client.post(url, _data(world, key))
    other = Client()
    other.force_login(world.users["coord_b"])
    assert other.post(url, _data(world, key, host_organization=world.city_b.pk)).status_code == 409
    assert other.post(url, _data(world, "not-a-key")).status_code == 400
    assert Opportunity.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_kept_for_a_week(world, client_for):
    client = client_for(world.users["coord_a"])
    url = reverse("opportunities:create", args=[world.cycle.pk])
    client.post(url, _data(world, "a" * 32))
    SubmissionKey.objects.update(created_at=timezone.now() - timedelta(days=8))
    client.post(url, _data(world, "b" * 32, title="Another"))
    assert list(SubmissionKey.objects.values_list("key", flat=True)) == ["b" * 32]


@pytest.fixture
def slow_save(monkeypatch):
    """Hold the creation inside its transaction for a moment, so that both sendings are
    in flight together."""
    save_draft = services.save_draft

    def slowly(*args, **kwargs):
        time.sleep(0.3)
        return save_draft(*args, **kwargs)

    monkeypatch.setattr(services, "save_draft", slowly)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sendings_create_one_draft(world, concurrent_db, slow_save):
    url = reverse("opportunities:create", args=[world.cycle.pk])
    key = "0123456789abcdef0123456789abcdef"
    user = world.users["coord_a"]

    def send():
        client = Client()
        client.force_login(user)
        response = client.post(url, _data(world, key))
        return response.status_code, response.get("Location")

    outcomes = race(send, send)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    created = concurrent_db(lambda: list(Opportunity.objects.values_list("pk", flat=True)))
    assert len(created) == 1
    location = reverse("opportunities:detail", args=[created[0]])
    assert [result for _, result in outcomes] == [(302, location), (302, location)]


# Every page that creates something sends a one-time key and its view honours it.
CREATION_VIEWS = {
    "accounts:program_roles",
    "accounts:organization_roles",
    "people:create",
    "people:add_mobility",
    "organizations:create",
    "programs:create",
    "programs:create_cycle",
    "programs:copy_cycle",
    "programs:invite",
    "opportunities:create",
    "nominations:create",
    "nominations:import",
    "nominations:declare_conflict",
    "interviews:panel_create",
    "interviews:panel_assign",
    "matches:runs",
    "matches:offer_next",
    "matches:run_again",
    "matches:run_snapshot",  # prepares a large run's download (an export)
    "matches:run_result",
    "matches:market_export",  # prepares a large market's download (an export)
    "matches:constraints",
    "placements:add_objective",
    "reports:upload",
    "reports:upload_commit",
    "reports:download",
    "reports:export_history",
    "reports:export_again",  # an expired or failed export, written again
    "development:plan_create",
    "development:plan_add_item",
    "development:exception_create",
    "development:sessions",
    "finance:add_funding",
    "finance:add_budget_line",
    "finance:add_expense",
    "finance:add_link",
    "finance:credit",
    "finance:payment",
    "learning:series_create",
    "learning:session_create",
    "learning:circle_session_create",
    "learning:thread_create",
}


def _views(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _views(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern.callback


def _honours_keys(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return issubclass(view_class, SubmittedOnceMixin)
    return getattr(callback, "submitted_once", False)


def test_every_creation_view_honours_the_one_time_key():
    views = dict(_views(get_resolver().url_patterns))
    assert set(views) >= CREATION_VIEWS
    for name in CREATION_VIEWS:
        assert _honours_keys(views[name]), f"{name} does not use submitted_once"
    # a new view whose name says it creates must be added above (or say why not)
    creating = re.compile(r":(create|new|add|import|invite|start)\w*$")
    pages_that_only_show = {"nominations:import_status", "programs:invite_list"}
    named_as_creating = {n for n in views if creating.search(n) and not n.startswith("admin:")}
    assert named_as_creating - pages_that_only_show <= CREATION_VIEWS
