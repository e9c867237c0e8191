"""Sign-in throttling with django-axes: per user name *and* address, with growing pauses.

Failures are counted per (user name, client address) — the address from
``core.client.client_ip``, so behind a proxy it is the person's, not the proxy's. Someone
failing to sign in as another person therefore pauses only their own address, never the
account. After ``AXES_FAILURE_LIMIT`` failures the pair is paused for
``LOGIN_PAUSE_FIRST``; each further failure after a pause doubles it, up to
``LOGIN_PAUSE_MAX``. Failures are forgotten after ``LOGIN_FAILURES_FORGOTTEN_AFTER`` without
one, and at a successful sign-in. Attempts during a pause are refused without counting, so a
person who tries again too early does not lengthen their own pause.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from talent_exchange.core.client import client_ip

MAX_DOUBLINGS = 20


def pause_after(failures: int) -> timedelta:
    """How long a (user name, address) pair is paused after this many failures."""
    first: timedelta = settings.LOGIN_PAUSE_FIRST
    doublings = min(max(failures - settings.AXES_FAILURE_LIMIT, 0), MAX_DOUBLINGS)
    return min(first * 2**doublings, settings.LOGIN_PAUSE_MAX)


def failures_of(request: HttpRequest | None) -> int:
    if request is None:
        return 0
    username = get_client_username(request)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    if not username:
        return 0
    total = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


def cool_off(request: HttpRequest | None) -> timedelta:
    """``AXES_COOLOFF_TIME``: the pause that applies to this request's pair now."""
    return pause_after(failures_of(request))


class ProgressiveLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, except that failures are kept until they are forgotten, not
    only for the current pause (axes would drop them when the pause ends, so the next
    pause could never be longer than the first)."""

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        forgotten = timezone.now() - settings.LOGIN_FAILURES_FORGOTTEN_AFTER
        count, _ = AccessAttempt.objects.filter(attempt_time__lte=forgotten).delete()
        return count


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the page saying how long the pause lasts."""
    minutes = max(1, round(cool_off(request).total_seconds() / 60))
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )
