"""django-allauth's pages, under the one permission layer.

allauth protects its own views (a page for signed-in people requires a sign-in, the sign-in
steps are public), but our deny-by-default middleware asks every view for a declared
permission. Each of allauth's signed-in pages (two-factor set-up, linked sign-in providers)
acts on the person's own account only, so it gets ``accounts.manage_own_account``; its public
steps keep allauth's ``login_not_required`` and are on the reviewed allowlist in
``tests/test_url_permissions.py``. allauth's pages we replace (sign-up, its password reset,
e-mail management) are left out, so they cannot be reached.
"""

from __future__ import annotations

from allauth import urls as allauth_urls
from django.urls import URLPattern, URLResolver

from talent_exchange.core.permissions import permission_required

OWN_ACCOUNT = "accounts.manage_own_account"

# allauth's pages that are not ours to offer: nobody signs up on the site, passwords are reset
# (and chosen from an invitation) through accounts:password_reset / password_reset_confirm,
# the e-mail address is kept by administrators. (allauth's sign-in and sign-out stay routed
# for their names; ours, at the same addresses, come first and answer.)
LEFT_OUT = {
    "account_signup",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "account_request_login_code",
    "mfa_signup_webauthn",
    None,  # allauth's redirects from its old URLs
}


def _guarded(entries) -> list[URLPattern | URLResolver]:
    guarded: list[URLPattern | URLResolver] = []
    for entry in entries:
        if isinstance(entry, URLResolver):
            entry.url_patterns  # noqa: B018 (evaluate the included module)
            guarded.append(
                URLResolver(
                    entry.pattern,
                    _guarded(entry.url_patterns),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
            continue
        if entry.name in LEFT_OUT:
            continue
        view = entry.callback
        if getattr(view, "login_required", True) is not False:
            view = permission_required(OWN_ACCOUNT)(view)
            # functools.wraps copied the class view's attributes; the permission declared
            # is the wrapper's own (core.permissions.declared_permission reads view_class).
            view.__dict__.pop("view_class", None)
        guarded.append(URLPattern(entry.pattern, view, entry.default_args, entry.name))
    return guarded


urlpatterns = _guarded(allauth_urls.urlpatterns)
