"""Deny by default, proved by sweeping the URLconf.

Every URL pattern either declares a permission or is in the reviewed public allowlist
below; anonymous users are refused everywhere else; and a view with no permission is closed.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from talent_exchange import urls as project_urls
from talent_exchange.core.permissions import declared_permission

# The reviewed allowlist: URL names a signed-out person may open. Adding one needs review.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    # django-allauth's public steps (accounts/allauth_urls.py): its sign-in at the same
    # address as ours, the "account inactive" notice, the second-factor step of a sign-in,
    # and the single sign-on steps (cancelled at the provider, completing a first sign-in)
    "account_login",
    "account_logout",  # both at the same addresses as ours, which answer (accounts:login/logout)
    "account_inactive",
    "mfa_authenticate",
    "socialaccount_login_cancelled",
    "socialaccount_signup",
    # single sign-on: sending the person to their provider, and their return (accounts/sso/)
    "openid_connect_login",
    "openid_connect_callback",
    "accounts:welcome",  # an invited person chooses a password: the link's token is the key
    "learning:feed",  # a person's calendar feed for calendar clients: the secret token is the key
    "core:health",
    "operations:ready",
    "operations:metrics",  # a bearer token or an auditor (checked in the view)
    "set_language",
    "admin:login",  # the admin's own sign-in form (staff only get further)
    # demo mode only (never in production settings; see test_settings.py)
    "nonprod:switch",
    "nonprod:mailbox",
    "nonprod:message",
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


def concrete(route: str) -> str:
    """Turn a route into a URL a browser could ask for (int parameters become 1)."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str:|slug:)?\w+>", "x", route)
    route = re.sub(r"<path:\w+>", "x/y", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)  # the admin's regex routes
    route = route.replace("\\", "")
    return "/" + route


ALL = list(walk(get_resolver()))
OWN = [
    (r, n, cb)
    for r, n, cb in ALL
    if not (n or "").startswith("admin:") and not r.startswith("admin/")
]


def test_the_sweep_finds_our_pages():
    names = {n for _r, n, _cb in OWN}
    assert {"people:list", "people:detail", "audit:log", "programs:cycle"} <= names


@pytest.mark.parametrize(("route", "name", "callback"), OWN, ids=[n or r for r, n, _ in OWN])
def test_every_view_declares_a_permission_or_is_reviewed_public(route, name, callback):
    public = getattr(callback, "login_required", True) is False  # Django's login_not_required
    if public:
        assert name in PUBLIC_URL_NAMES, f"{name} ({route}) is public but not in the allowlist"
    else:
        assert declared_permission(callback), f"{name} ({route}) declares no permission"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name", "callback"), ALL, ids=[n or r for r, n, _ in ALL])
def test_anonymous_users_are_refused(client, route, name, callback):
    if name in PUBLIC_URL_NAMES:
        return
    url = concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403, 404, 405), (url, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (url, response["Location"])
        assert b"@example.org" not in response.content


def _unguarded(request):
    return HttpResponse("secret")


def _guarded_nothing(request):
    return HttpResponse("secret")


_guarded_nothing.permission_required = "core.view_dashboard"

urlpatterns = [
    path("unguarded/", _unguarded),
    path("guarded/", _guarded_nothing),
    *project_urls.urlpatterns,
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_permission_is_refused_even_when_signed_in(client, django_user_model):
    user = django_user_model.objects.create_user("someone", "someone@example.org", "pw-123456789")
    client.force_login(user)
    response = client.get("/unguarded/")
    assert response.status_code == 403
    assert b"secret" not in response.content
    assert client.get("/guarded/").content == b"secret"
