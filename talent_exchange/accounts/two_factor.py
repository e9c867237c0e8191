"""Two-factor sign-in: who must have a second factor, and the one place that holds them to it.

The factors themselves (an authenticator app with its recovery codes, security keys and
passkeys) are django-allauth's ``mfa``: its sign-in step asks for a code from anyone who
has one. This module adds the rule of the product (ADR 0014): **platform operators
(superusers), program administrators and auditors must have one**. At sign-in (any path:
the sign-in page, single sign-on, the admin's) the session is marked; until such a person
has set a factor up, ``TwoFactorRequiredMiddleware`` sends every page they ask for to the
set-up page (the API answers 403). Everybody else may add a factor on the same page.

A single sign-on whose provider asserts a strong sign-in (``amr``/``acr``, accounts/sso.py)
counts as the second factor for that session.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require

from .models import FactorReset, User
from .roles import forget_roles, roles_of

SESSION_KEY = "te_two_factor"
REQUIRED = "required"
SATISFIED = "satisfied"
# Set just before the sign-in completes by a single sign-on whose provider asserted a strong
# sign-in (accounts/sso/adapter.py): which provider account; read (and dropped) at sign-in.
STRONG_SESSION_KEY = "te_strong_sign_in"

FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# Pages a person who must set up a factor may still open: the set-up itself, signing out,
# the language, and (demo mode) switching persona.
OPEN_DURING_SET_UP = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "accounts:logout",
    "account_logout",
    "set_language",
    "core:health",
    "nonprod:switch",
}


def must_have_a_factor(user: Any) -> bool:
    """Platform operators, program administrators and auditors."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    roles = roles_of(user)
    return bool(roles.is_superuser or roles.is_program_admin or roles.is_auditor)


def has_a_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES).exists()


def factors_of(user: Any) -> list[Authenticator]:
    return list(Authenticator.objects.filter(user=user).order_by("type", "pk"))


@receiver(user_logged_in, dispatch_uid="accounts.two_factor.note_sign_in")
def note_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Mark the new session: does this person still have to set up a second factor?"""
    session = getattr(request, "session", None)
    if session is None:
        return
    strong = _strong_sso(session.pop(STRONG_SESSION_KEY, None), user)
    pending = must_have_a_factor(user) and not strong and not has_a_factor(user)
    session[SESSION_KEY] = REQUIRED if pending else SATISFIED
    # The roles read here are cached on this user object; whoever signed them in (a test's
    # force_login, a command) may change their grants next and expect them read afresh.
    forget_roles(user)


def expect_strong_sign_in(request: HttpRequest, provider: str, uid: str) -> None:
    """The identity provider asserted a second factor for this provider account: the
    sign-in about to happen counts as two factors (if it is that account's)."""
    request.session[STRONG_SESSION_KEY] = {"provider": provider, "uid": uid}


def _strong_sso(expected: Any, user: Any) -> bool:
    if not isinstance(expected, dict):
        return False
    from allauth.socialaccount.models import SocialAccount

    return SocialAccount.objects.filter(
        user=user, provider=expected.get("provider"), uid=expected.get("uid")
    ).exists()


def mark_strong(request: HttpRequest) -> None:
    """This session counts as two factors (the demo's persona switcher)."""
    request.session[SESSION_KEY] = SATISFIED


class TwoFactorRequiredMiddleware:
    """The one place that holds operators, administrators and auditors to a second factor."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any):
        session = getattr(request, "session", None)
        if session is None or session.get(SESSION_KEY) != REQUIRED:
            return None
        if not request.user.is_authenticated:
            return None
        if has_a_factor(request.user):  # set up since (here or in another session)
            session[SESSION_KEY] = SATISFIED
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_DURING_SET_UP:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Set up two-factor sign-in on the site before using the API.")},
                status=403,
            )
        messages.warning(
            request,
            _(
                "Your role needs a second factor to sign in. Set one up now: an "
                "authenticator app on your phone, or a security key."
            ),
        )
        return redirect("mfa_index")


def reset_factors(person: User, *, actor: User, reason: str) -> FactorReset:
    """Remove every factor of ``person`` (app, recovery codes, security keys), recording who
    did it and why; at their next sign-in they set one up again if their role needs it."""
    require(actor, "accounts.reset_factors", person, _("Only a platform operator can do this."))
    with transaction.atomic():
        factors = factors_of(person)
        described = ", ".join(str(f.get_type_display()) for f in factors) or "—"
        record = FactorReset(user=person, reset_by=actor, reason=reason, factors=described)
        attribute_to(record, actor, reason=reason).save()
        Authenticator.objects.filter(pk__in=[f.pk for f in factors]).delete()
    return record
