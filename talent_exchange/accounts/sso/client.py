"""The token request and the ID token checks of our OpenID Connect client."""

from __future__ import annotations

import secrets
import time
from http import HTTPStatus
from typing import Any

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def client_assertion(
    *, client_id: str, audience: str, private_key: str, key_id: str = "", lifetime: int = 300
) -> str:
    """A ``private_key_jwt`` client assertion (OpenID Connect Core 9; RFC 7523): a short-lived
    JWT signed with the client's private key, as login.gov requires."""
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": secrets.token_urlsafe(24),
        "iat": now,
        "exp": now + lifetime,
    }
    headers = {"kid": key_id} if key_id else None
    return jwt.encode(claims, private_key, algorithm="RS256", headers=headers)


class PrivateKeyJWTClient(OAuth2Client):
    """allauth's OAuth 2 client, authenticating to the token endpoint with a signed
    assertion instead of a client secret."""

    private_key = ""
    key_id = ""

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.callback_url,
            "client_id": self.consumer_key,
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": client_assertion(
                client_id=self.consumer_key,
                audience=self.access_token_url,
                private_key=self.private_key,
                key_id=self.key_id,
            ),
        }
        if pkce_code_verifier:
            data["code_verifier"] = pkce_code_verifier
        if extra_data:
            data.update(extra_data)
        with get_adapter().get_requests_session() as session:
            response = session.post(self.access_token_url, data=data)
        token = response.json() if response.status_code == HTTPStatus.OK else None
        if not token or "access_token" not in token:
            raise OAuth2Error(f"Error retrieving access token: {response.status_code}")
        return token


class GovernmentOIDCAdapter(OpenIDConnectOAuth2Adapter):
    #: the nonce this sign-in sent (from its state, set by CallbackView)
    expected_nonce: str | None = None

    def get_client(self, request: HttpRequest, app):
        if app.settings.get("token_auth_method") != "private_key_jwt":
            return super().get_client(request, app)
        client = PrivateKeyJWTClient(
            self.request,
            app.client_id,
            "",
            self.access_token_method,
            self.access_token_url,
            self.get_callback_url(request, app),
            scope_delimiter=self.scope_delimiter,
        )
        client.private_key = app.settings["private_key"]
        client.key_id = app.settings.get("private_key_id", "")
        return client

    @property
    def basic_auth(self) -> bool:
        if self.get_provider().app.settings.get("token_auth_method") == "private_key_jwt":
            return False
        return bool(super().basic_auth)

    def complete_login(self, request: HttpRequest, app, token, **kwargs: Any):
        login = super().complete_login(request, app, token, **kwargs)
        claims = login.account.extra_data.get("id_token") or {}
        nonce = claims.get("nonce")
        if (
            not self.expected_nonce
            or not nonce
            or not secrets.compare_digest(str(nonce), self.expected_nonce)
        ):
            raise OAuth2Error("The ID token's nonce is not the one this sign-in sent.")
        return login


class CallbackView(OAuth2CallbackView):
    def _get_state(self, request: HttpRequest, provider):
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


def _view(view_class, request: HttpRequest, provider_id: str):
    from allauth.socialaccount.models import SocialApp

    try:
        return view_class.adapter_view(GovernmentOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


def login(request: HttpRequest, provider_id: str):
    return _view(OAuth2LoginView, request, provider_id)


def callback(request: HttpRequest, provider_id: str):
    return _view(CallbackView, request, provider_id)
