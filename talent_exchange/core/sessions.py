"""Idle sessions expire: a session lives ``SESSION_COOKIE_AGE`` seconds after the last
request that refreshed it.

Django's ``SESSION_SAVE_EVERY_REQUEST`` would write the session row on every request (one
UPDATE per page view, the largest share of the writes under load). Instead the expiry is
pushed forward at most once every ``REFRESH_SECONDS``: a session then expires between
``SESSION_COOKIE_AGE - REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE`` after the last request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
REFRESHED_KEY = "_refreshed_at"


class SlidingSessionMiddleware:
    """After Django's SessionMiddleware: marks an existing session modified (so that it is
    saved with a new expiry) when it was last refreshed more than a minute ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key:
            now = int(time.time())
            if now - int(session.get(REFRESHED_KEY, 0)) >= REFRESH_SECONDS:
                session[REFRESHED_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in)
def refreshed_at_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Signing in saves the session anyway: count it as the first refresh."""
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_KEY] = int(time.time())
