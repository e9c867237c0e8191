"""Each person's language: saved from the switcher, offered with the first password, applied to
every page they open (and, in notifications/tests, to their e-mail)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from talent_exchange.accounts.models import User
from talent_exchange.accounts.services import welcome_path
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_switcher_saves_a_signed_in_persons_choice(client):
    maya = UserFactory(first_name="Maya")
    client.force_login(maya)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    maya.refresh_from_db()
    assert maya.language == "fr"
    assert "Bienvenue, Maya" in client.get("/").content.decode()


def test_the_saved_language_follows_the_person_to_another_browser(client):
    maya = UserFactory(first_name="Maya", language="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # this browser asks for English
    client.force_login(maya)
    page = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "Bienvenue, Maya" in page and '<html lang="fr"' in page


def test_without_a_saved_language_the_browser_decides(client):
    client.force_login(UserFactory(first_name="Maya"))
    page = client.get("/", headers={"accept-language": "fr"}).content.decode()
    assert "Bienvenue, Maya" in page
    assert "Welcome, Maya" in client.get("/", headers={"accept-language": "en"}).content.decode()


def test_a_signed_out_visitor_switches_without_saving_anything(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert not User.objects.exclude(language="").exists()


def test_an_unknown_language_is_not_saved(client):
    maya = UserFactory()
    client.force_login(maya)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    maya.refresh_from_db()
    assert maya.language == ""


def test_the_language_is_offered_with_the_first_password(client):
    nia = UserFactory(first_name="Nia", last_login=None)
    page = client.get(welcome_path(nia), follow=True)
    assert 'name="language"' in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {
            "new_password1": "a-long-new-passphrase",
            "new_password2": "a-long-new-passphrase",
            "language": "fr",
        },
        follow=True,
    )
    nia.refresh_from_db()
    assert nia.language == "fr"
    assert "Bienvenue, Nia" in done.content.decode()
    assert "Votre mot de passe est enregistré" in done.content.decode()


@pytest.mark.parametrize(
    ("locale", "language"),
    [("fr-CA", "fr"), ("fr", "fr"), ("en-CA", "en-ca"), ("en_US", "en"), ("de-DE", "")],
)
def test_a_providers_locale_maps_to_a_language_offered_here(locale, language):
    from talent_exchange.accounts.language import offered_language

    assert offered_language(locale) == language


def test_the_header_offers_the_other_languages_and_saves_the_choice(client):
    maya = UserFactory(first_name="Maya")
    client.force_login(maya)
    page = client.get("/").content.decode()
    header = page[page.index('data-testid="header-language"') :]
    header = header[: header.index("</form>")]
    assert 'value="fr" lang="fr"' in header and 'value="en-ca"' in header
    assert 'value="en" ' not in header  # the language of the page is not offered again
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    maya.refresh_from_db()
    assert maya.language == "fr"
