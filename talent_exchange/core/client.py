"""The address a request came from, for the sign-in lockout and for signatures.

Behind a reverse proxy every connection comes from the proxy, so ``REMOTE_ADDR`` names the
proxy, not the person. ``settings.TRUSTED_PROXY_COUNT`` says how many proxies of our own
stand in front of the app; each appends the address it was reached from to
``X-Forwarded-For``. The client is therefore the entry that many places from the right:
entries further left were written by the client and cannot be trusted. With no proxy
(the default) the header is ignored, since anyone can send it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the outermost trusted proxy saw it (``REMOTE_ADDR`` without
    proxies, or when the header does not hold a valid address at that place)."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # not through all our proxies (a health check, a direct connection)
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
