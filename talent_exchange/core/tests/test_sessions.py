"""Idle sessions expire without a session write on every request (issue 17: throughput)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talent_exchange.core.sessions import REFRESH_SECONDS, REFRESHED_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        1
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_is_written_at_most_once_a_minute_and_pushed_forward_then(client):
    client.force_login(UserFactory())  # signing in saves the session: the first refresh
    first = _expiry(client)
    assert _session_writes(client) == 0  # within the minute: no write at all
    assert _session_writes(client) == 0
    # A minute later the next request pushes the expiry forward again.
    session = client.session
    session[REFRESHED_KEY] = session[REFRESHED_KEY] - REFRESH_SECONDS
    session.save()
    assert _session_writes(client) == 1
    assert _expiry(client) >= first


def test_an_idle_session_ends(client):
    client.force_login(UserFactory())
    client.get("/")
    key = client.session.session_key
    expired = Session.objects.get(session_key=key).expire_date - datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE + 1
    )
    Session.objects.filter(session_key=key).update(expire_date=expired)
    response = client.get("/")
    assert response.status_code == 302 and "login" in response["Location"]
