"""Sign-in throttling behind a proxy: per user name and client address, with pauses that
grow; nobody can keep someone else's account locked. The client address comes from the one
helper, ``core.client.client_ip``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from talent_exchange.accounts.lockout import pause_after
from talent_exchange.core.client import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.2"
ATTACKER = "198.51.100.66"
OWNER = "203.0.113.10"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def _login(address: str, username: str, password: str):
    return Client().post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def _fail(address: str, username: str = "coord_a", times: int = 1):
    for _ in range(times):
        _login(address, username, "wrong-password")


def _wind_clock(by: timedelta):
    """Move every recorded failure back in time, as if ``by`` had passed."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= by
        attempt.save()


def test_someone_elses_failures_do_not_lock_the_owner_out(world, behind_proxy):
    _fail(ATTACKER, times=behind_proxy.AXES_FAILURE_LIMIT + 3)
    assert _login(ATTACKER, "coord_a", PASSWORD).status_code == 429
    # the owner, at another address behind the same proxy, signs in
    assert _login(OWNER, "coord_a", PASSWORD).status_code == 302
    # and the attempts were recorded with the client's address, not the proxy's
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_pauses_grow_with_each_failure_after_a_pause(world, behind_proxy):
    limit = behind_proxy.AXES_FAILURE_LIMIT
    first = behind_proxy.LOGIN_PAUSE_FIRST
    _fail(ATTACKER, times=limit)
    locked = _login(ATTACKER, "coord_a", PASSWORD)
    assert locked.status_code == 429
    assert "paused for 1 minute" in locked.content.decode()
    _wind_clock(first + timedelta(seconds=1))
    _fail(ATTACKER)  # one more failure after the pause: the next pause is twice as long
    _wind_clock(first + timedelta(seconds=1))
    locked = _login(ATTACKER, "coord_a", PASSWORD)
    assert locked.status_code == 429
    assert "paused for 2 minutes" in locked.content.decode()
    _wind_clock(first)
    assert _login(ATTACKER, "coord_a", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()  # a successful sign-in forgets the failures


def test_trying_during_a_pause_does_not_lengthen_it(world, behind_proxy):
    limit = behind_proxy.AXES_FAILURE_LIMIT
    _fail(ATTACKER, times=limit + 5)
    assert AccessAttempt.objects.get().failures_since_start == limit


def test_failures_are_forgotten_after_a_day(world, behind_proxy):
    _fail(ATTACKER, times=behind_proxy.AXES_FAILURE_LIMIT)
    _wind_clock(behind_proxy.LOGIN_FAILURES_FORGOTTEN_AFTER + timedelta(seconds=1))
    _fail(ATTACKER)
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_pause_lengths(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_PAUSE_FIRST = timedelta(minutes=1)
    settings.LOGIN_PAUSE_MAX = timedelta(hours=24)
    assert [pause_after(n).total_seconds() / 60 for n in (5, 6, 7, 10)] == [1, 2, 4, 32]
    assert pause_after(10**9) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.1", PROXY),  # no proxy configured: the header is anyone's to forge
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, "198.51.100.1", PROXY),  # fewer entries than proxies: not through them all
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
