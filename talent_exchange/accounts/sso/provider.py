"""The OpenID Connect provider class (``SOCIALACCOUNT_PROVIDERS["openid_connect"]
["provider_class"]``): allauth's, with a nonce and the claim mapping of each app."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    _pick_data,
)
from django.http import HttpRequest

from .client import GovernmentOIDCAdapter

DEFAULT_CLAIMS = {
    "email": "email",
    "email_verified": "email_verified",
    "first_name": "given_name",
    "last_name": "family_name",
    "organization": "",
    # OpenID Connect's standard claim ("fr-CA"): a new account starts in that language
    "language": "locale",
}


class GovernmentOIDCProvider(OpenIDConnectProvider):
    # allauth imports ``<package>.urls`` for the provider's login and callback pages
    package = "talent_exchange.accounts.sso"
    oauth2_adapter_class = GovernmentOIDCAdapter

    def claim_names(self) -> dict[str, str]:
        return {**DEFAULT_CLAIMS, **self.app.settings.get("claims", {})}

    def claim(self, data: dict[str, Any], name: str) -> Any:
        source = self.claim_names().get(name, "")
        return _pick_data(data).get(source) if source else None

    def email_verified(self, data: dict[str, Any]) -> bool:
        """The provider says the address is the person's: its ``email_verified`` claim, or
        the deployment's word for a provider that only hands out its own staff's addresses
        (``trust_email``)."""
        if self.app.settings.get("trust_email", False):
            return True
        return self.claim(data, "email_verified") is True

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        fields = super().extract_common_fields(data)
        fields.update(
            email=self.claim(data, "email"),
            first_name=self.claim(data, "first_name") or "",
            last_name=self.claim(data, "last_name") or "",
        )
        return fields

    def extract_email_addresses(self, data: dict[str, Any]) -> list[EmailAddress]:
        email = self.claim(data, "email")
        if not email:
            return []
        return [EmailAddress(email=email, verified=self.email_verified(data), primary=True)]

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        """Send the person to the provider with a fresh nonce, kept in the sign-in's state
        and checked against the ID token on the way back (client.GovernmentOIDCAdapter)."""
        nonce = secrets.token_urlsafe(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


provider_classes = [GovernmentOIDCProvider]
