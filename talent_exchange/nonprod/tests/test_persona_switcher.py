"""The persona switcher: one click to any demo account, and to nothing else."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import NoReverseMatch, Resolver404, clear_url_caches, resolve, reverse

from talent_exchange.accounts.models import User
from talent_exchange.nonprod.personas import PERSONAS

pytestmark = pytest.mark.django_db

SWITCH_URL = "/demo/switch/"


@pytest.fixture
def seeded(seeded_demo):
    return seeded_demo


@pytest.fixture
def csrf_client(client):
    client.handler.enforce_csrf_checks = True
    return client


def signed_in_user_id(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


@pytest.mark.parametrize("username", [p.username for p in PERSONAS])
def test_switching_signs_in_as_the_persona(client, seeded, username):
    response = client.post(SWITCH_URL, {"username": username})

    assert response.status_code == 302
    assert response.url == reverse(django_settings.LOGIN_REDIRECT_URL)
    assert signed_in_user_id(client) == User.objects.get(username=username).pk


def test_switching_from_one_persona_to_another(client, seeded):
    client.post(SWITCH_URL, {"username": "coordinator"})
    client.post(SWITCH_URL, {"username": "coordinator2"})
    assert signed_in_user_id(client) == User.objects.get(username="coordinator2").pk


def test_a_username_that_is_not_a_persona_is_refused(client, seeded):
    User.objects.create_user("mallory", "mallory@mariposabay.example", "x" * 16)

    response = client.post(SWITCH_URL, {"username": "mallory"})

    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_an_account_named_like_a_persona_but_not_seeded_is_refused(client):
    # e.g. a real account called "admin": demo accounts all live under a reserved .example
    # domain, and this one does not.
    User.objects.create_user("admin", "admin@bayshore.gov", "x" * 16, is_staff=True)

    response = client.post(SWITCH_URL, {"username": "admin"})

    assert response.status_code == 404
    assert signed_in_user_id(client) is None


def test_switching_needs_a_csrf_token(csrf_client, seeded):
    response = csrf_client.post(SWITCH_URL, {"username": "admin"})
    assert response.status_code == 403
    assert signed_in_user_id(csrf_client) is None


def test_the_switcher_does_not_switch_on_get(client, seeded):
    response = client.get(SWITCH_URL, {"username": "admin"})
    assert response.status_code == 200  # the list of demo accounts
    assert signed_in_user_id(client) is None
    assert client.put(SWITCH_URL).status_code == 405


def test_the_switcher_form_is_on_the_login_page(client):
    response = client.get(reverse(django_settings.LOGIN_URL))
    page = response.content.decode()

    assert response.status_code == 200
    assert f'action="{SWITCH_URL}"' in page
    assert '<label class="usa-label margin-top-0" for="persona-select">' in page
    for persona in PERSONAS:
        assert f'value="{persona.username}"' in page


def test_the_demo_page_lists_every_persona(client):
    response = client.get(reverse("nonprod:switch"))
    page = response.content.decode()
    assert response.status_code == 200
    for persona in PERSONAS:
        assert str(persona.sees).replace("'", "&#x27;") in page


def test_the_views_refuse_when_demo_mode_is_off(client, seeded, settings):
    settings.DEMO_MODE = False
    assert client.post(SWITCH_URL, {"username": "admin"}).status_code == 404
    assert signed_in_user_id(client) is None


def reload_urlconf() -> None:
    import talent_exchange.urls

    clear_url_caches()
    importlib.reload(talent_exchange.urls)


def test_the_demo_urls_do_not_exist_when_demo_mode_is_off():
    try:
        with override_settings(DEMO_MODE=False):
            reload_urlconf()
            with pytest.raises(Resolver404):
                resolve(SWITCH_URL)
            with pytest.raises(NoReverseMatch):
                reverse("nonprod:switch")
    finally:
        reload_urlconf()
    assert resolve(SWITCH_URL).url_name == "switch"
