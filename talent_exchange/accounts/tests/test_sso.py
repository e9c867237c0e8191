"""Single sign-on through a real OpenID Connect provider running on 127.0.0.1 inside the test
(oidc-provider-mock): the person is sent to the provider, signs in there, and comes back with
a code that our server exchanges at the provider's token endpoint."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import jwt
import oidc_provider_mock
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from talent_exchange.accounts.sso.client import CLIENT_ASSERTION_TYPE, client_assertion
from talent_exchange.settings.sso import oidc_app

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(scope="module")
def provider_url():
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def sso(settings, provider_url):
    """Configure one provider (as OIDC_PROVIDERS would) and return the sign-in steps."""

    def configure(**extra):
        entry = {
            "id": "ministry",
            "name": "Ministry of Testing",
            "server_url": provider_url,
            "client_id": "talent-exchange",
            "secret": "client-secret-for-tests",
            **extra,
        }
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
                "APPS": [oidc_app(entry, 0)],
            }
        }

    configure()
    return Steps(provider_url, configure)


class Steps:
    def __init__(self, provider_url, configure):
        self.provider_url = provider_url
        self.configure = configure

    def person_at_provider(self, sub: str, **claims) -> None:
        response = requests.put(f"{self.provider_url}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204

    def start(self, client: Client) -> str:
        """Press "Sign in with Ministry of Testing": our server sends the browser on."""
        response = client.post(reverse("openid_connect_login", args=["ministry"]))
        assert response.status_code == 302
        assert response["Location"].startswith(self.provider_url)
        return response["Location"]

    def sign_in_at_provider(self, authorize_url: str, sub: str) -> str:
        """The person signs in at the provider, which sends the browser back with a code."""
        response = requests.post(
            authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def come_back(self, client: Client, callback_url: str):
        parts = urlparse(callback_url)
        return client.get(f"{parts.path}?{parts.query}")

    def sign_in(self, client: Client, sub: str):
        return self.come_back(client, self.sign_in_at_provider(self.start(client), sub))


def _signed_in_as(client: Client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_sign_in_page_offers_the_provider(world, sso):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Sign in with Ministry of Testing" in page


def test_the_request_uses_pkce_and_a_nonce(world, sso):
    query = parse_qs(urlparse(sso.start(Client())).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["nonce"][0]) >= 32
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}


def test_an_existing_person_is_linked_by_a_verified_address(world, sso):
    coordinator = world.users["coord_a"]
    sso.person_at_provider(
        "ms-0001", email=coordinator.email.upper(), email_verified=True, given_name="Cora"
    )
    client = Client()
    response = sso.sign_in(client, "ms-0001")
    assert response.status_code == 302
    assert _signed_in_as(client) == coordinator
    link = SocialAccount.objects.get(provider="ministry", uid="ms-0001")
    assert link.user == coordinator
    # next time the link itself signs them in
    client.post(reverse("accounts:logout"))
    sso.sign_in(client, "ms-0001")
    assert _signed_in_as(client) == coordinator
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_an_unverified_address_is_not_linked(world, sso):
    sso.person_at_provider("ms-0002", email=world.users["coord_b"].email, email_verified=False)
    client = Client()
    response = sso.sign_in(client, "ms-0002")
    assert response.status_code == 403
    assert "did not confirm your e-mail address" in response.content.decode()
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_an_unknown_person_is_refused_when_the_provider_creates_no_accounts(world, sso):
    sso.person_at_provider("ms-0003", email="stranger@ministry.example", email_verified=True)
    before = User.objects.count()
    client = Client()
    response = sso.sign_in(client, "ms-0003")
    assert response.status_code == 403
    assert "no account here" in response.content.decode()
    assert _signed_in_as(client) is None
    assert User.objects.count() == before


def test_an_unknown_person_gets_an_account_where_the_provider_allows_it(world, sso):
    sso.configure(
        create_accounts=True,
        claims={"organization": "org_name", "first_name": "first", "last_name": "last"},
    )
    sso.person_at_provider(
        "ms-0004",
        email="new.person@ministry.example",
        email_verified=True,
        first="Nadia",
        last="Newcomer",
        org_name="Ministry of Testing",
    )
    client = Client()
    sso.sign_in(client, "ms-0004")
    user = _signed_in_as(client)
    assert (user.email, user.first_name, user.last_name) == (
        "new.person@ministry.example",
        "Nadia",
        "Newcomer",
    )
    assert SocialAccount.objects.get(user=user).extra_data["userinfo"]["org_name"] == (
        "Ministry of Testing"
    )


def test_a_new_account_starts_in_the_language_the_provider_gives(world, sso):
    sso.configure(create_accounts=True)
    sso.person_at_provider(
        "ms-0005",
        email="nouvelle@ministry.example",
        email_verified=True,
        given_name="Noémie",
        locale="fr-CA",
    )
    client = Client()
    sso.sign_in(client, "ms-0005")
    assert _signed_in_as(client).language == "fr"
    assert "Bienvenue, Noémie" in client.get("/").content.decode()


def test_a_provider_signs_in_only_its_own_domains(world, sso):
    sso.configure(domains=["ministry.example"])
    sso.person_at_provider("ms-0005", email=world.users["coord_a"].email, email_verified=True)
    client = Client()
    response = sso.sign_in(client, "ms-0005")
    assert response.status_code == 403
    assert _signed_in_as(client) is None


def test_a_tampered_state_is_refused(world, sso):
    sso.person_at_provider("ms-0006", email=world.users["coord_a"].email, email_verified=True)
    client = Client()
    callback = sso.sign_in_at_provider(sso.start(client), "ms-0006")
    parts = urlparse(callback)
    query = parse_qs(parts.query)
    query["state"] = ["forged" + query["state"][0][6:]]
    response = sso.come_back(client, urlunparse(parts._replace(query=urlencode(query, True))))
    assert response.status_code == 401  # allauth's "sign-in failed" page
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_a_tampered_nonce_is_refused(world, sso):
    """The browser (or someone in its path) swaps the nonce on the way to the provider: the
    ID token then carries another nonce than the one this sign-in sent."""
    sso.person_at_provider("ms-0007", email=world.users["coord_a"].email, email_verified=True)
    client = Client()
    authorize = urlparse(sso.start(client))
    query = parse_qs(authorize.query)
    query["nonce"] = ["an-attackers-nonce-of-enough-length-000000"]
    callback = sso.sign_in_at_provider(
        urlunparse(authorize._replace(query=urlencode(query, True))), "ms-0007"
    )
    response = sso.come_back(client, callback)
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert response.status_code == 401  # allauth's "sign-in failed" page


def test_a_second_factor_asserted_by_the_provider_counts(world, sso):
    admin = world.users["admin"]
    sso.configure(strong_amr=["mfa"])
    sso.person_at_provider("ms-0008", email=admin.email, email_verified=True, amr=["pwd", "mfa"])
    client = Client()
    sso.sign_in(client, "ms-0008")
    assert _signed_in_as(client) == admin
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_without_that_assertion_an_administrator_still_sets_up_a_factor(world, sso):
    admin = world.users["admin"]
    sso.configure(strong_amr=["mfa"])
    sso.person_at_provider("ms-0009", email=admin.email, email_verified=True, amr=["pwd"])
    client = Client()
    sso.sign_in(client, "ms-0009")
    assert _signed_in_as(client) == admin
    assert client.get(reverse("core:dashboard"))["Location"] == reverse("mfa_index")


def test_private_key_jwt_client_assertion():
    """login.gov authenticates the client with a JWT signed by its private key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    token_url = "https://idp.int.identitysandbox.gov/api/openid_connect/token"
    assertion = client_assertion(
        client_id="urn:gov:gsa:openidconnect.profiles:sp:sso:agency:te",
        audience=token_url,
        private_key=pem,
        key_id="k1",
    )
    claims = jwt.decode(assertion, key.public_key(), algorithms=["RS256"], audience=token_url)
    assert claims["iss"] == claims["sub"] == "urn:gov:gsa:openidconnect.profiles:sp:sso:agency:te"
    assert claims["exp"] - claims["iat"] <= 300 and claims["jti"]
    assert jwt.get_unverified_header(assertion)["kid"] == "k1"
    assert CLIENT_ASSERTION_TYPE.endswith("jwt-bearer")
    app = oidc_app(
        {
            "id": "logingov",
            "name": "Login.gov",
            "server_url": "https://idp.int.identitysandbox.gov",
            "client_id": "urn:gov:gsa:openidconnect.profiles:sp:sso:agency:te",
            "token_auth_method": "private_key_jwt",
            "private_key": pem,
            "auth_params": {"acr_values": "http://idmanagement.gov/ns/assurance/ial/1"},
        },
        0,
    )
    assert app["settings"]["token_auth_method"] == "private_key_jwt" and app["secret"] == ""


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "x"}, "'name' is required"),
        (
            {
                "id": "Bad Id",
                "name": "n",
                "server_url": "https://a",
                "client_id": "c",
                "secret": "s",
            },
            "'id'",
        ),
        (
            {"id": "a", "name": "n", "server_url": "http://a", "client_id": "c", "secret": "s"},
            "https",
        ),
        ({"id": "a", "name": "n", "server_url": "https://a", "client_id": "c"}, "'secret'"),
        (
            {
                "id": "a",
                "name": "n",
                "server_url": "https://a",
                "client_id": "c",
                "secret": "s",
                "colour": 1,
            },
            "unknown",
        ),
        (
            {
                "id": "a",
                "name": "n",
                "server_url": "https://a",
                "client_id": "c",
                "token_auth_method": "private_key_jwt",
            },
            "PEM",
        ),
    ],
)
def test_a_bad_provider_setting_stops_the_start(entry, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        oidc_app(entry, 0)
