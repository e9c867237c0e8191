"""Who a single sign-on may let in (``SOCIALACCOUNT_ADAPTER``).

- A person already linked to the provider signs in.
- Otherwise the provider's address is looked up among the accounts: it links to the account
  with that address only when the provider says the address is **verified** (or the
  deployment trusts it, ``trust_email``) and, when the provider has ``domains``, only inside
  them — a ministry's provider cannot sign people of another organisation in.
- Nobody else gets in, unless the provider allows new accounts (``create_accounts``).
- A provider whose ``amr``/``acr`` claim says the person used a second factor there may count
  as the second factor here (``strong_amr`` / ``strong_acr``, accounts/two_factor.py).
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from talent_exchange.accounts.language import offered_language
from talent_exchange.accounts.two_factor import expect_strong_sign_in


def _refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(
        render(request, "accounts/sso_refused.html", {"message": message}, status=403)
    )


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return bool(sociallogin.account.get_provider().app.settings.get("create_accounts"))

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        provider = sociallogin.account.get_provider()
        app_settings = provider.app.settings
        data = sociallogin.account.extra_data
        email = (provider.claim(data, "email") or "").strip()
        domains = [d.lower() for d in app_settings.get("domains", [])]
        if email and domains and _domain(email) not in domains:
            raise _refuse(
                request,
                _("This sign-in service may sign in addresses of %(domains)s only.")
                % {"domains": ", ".join(domains)},
            )
        if self._is_strong(provider, data):
            expect_strong_sign_in(request, provider.sub_id, sociallogin.account.uid)
        if sociallogin.is_existing:
            return
        users = list(get_user_model()._default_manager.filter(email__iexact=email)) if email else []
        if len(users) == 1 and users[0].is_active:
            if not provider.email_verified(data):
                raise _refuse(
                    request,
                    _(
                        "Your organisation's sign-in service did not confirm your e-mail "
                        "address, so it cannot be linked to your account here. Sign in with "
                        "your password, or ask your organisation to confirm the address."
                    ),
                )
            sociallogin.connect(request, users[0])
            return
        if not self.is_open_for_signup(request, sociallogin):
            raise _refuse(
                request,
                _(
                    "There is no account here for the address your organisation gave. Ask "
                    "your program administrator to invite you, then sign in again."
                ),
            )

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        """A new account also takes the language the provider gives (its ``locale``)."""
        user = super().populate_user(request, sociallogin, data)
        provider = sociallogin.account.get_provider()
        locale = provider.claim(sociallogin.account.extra_data, "language")
        if isinstance(locale, str) and locale:
            user.language = offered_language(locale)
        return user

    @staticmethod
    def _is_strong(provider: Any, data: dict[str, Any]) -> bool:
        claims = data.get("id_token") or {}
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        strong_amr = set(provider.app.settings.get("strong_amr", []))
        strong_acr = set(provider.app.settings.get("strong_acr", []))
        return bool(strong_amr & set(amr)) or (claims.get("acr") in strong_acr)
