"""The product in French: the catalogue translates every marked string (with its placeholders
and tags intact), and with French chosen the pages, form errors, plurals and e-mails are French."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from talent_exchange.accounts.tests.factories import UserFactory
from talent_exchange.audit.views import AuditFilterForm
from talent_exchange.notifications.services import notify
from tests.translations import catalogue, english_left, placeholders, read_po, tags

ROOT = Path(__file__).resolve().parents[3]
FRENCH = read_po(catalogue("fr"))


def _where(entry) -> str:
    return f"line {entry.line}: {entry.msgid!r}"


def test_every_message_of_the_french_catalogue_is_translated():
    missing = [_where(e) for e in FRENCH if not e.translated]
    assert not missing, f"{len(missing)} messages have no French (or a fuzzy one): {missing[:20]}"


def _keeps_placeholders_and_tags(entry) -> bool:
    plural = entry.msgid_plural or entry.msgid
    # the French singular may say "one" in words instead of using the count
    return (
        placeholders(entry.msgstr[-1]) == placeholders(plural)
        and set(placeholders(entry.msgstr[0])) <= set(placeholders(entry.msgid + plural))
        and all(tags(text) == tags(entry.msgid) for text in entry.msgstr)
    )


def test_no_french_translation_loses_a_placeholder_or_a_tag():
    broken = [_where(e) for e in FRENCH if e.translated and not _keeps_placeholders_and_tags(e)]
    assert not broken, f"French translations that lost or changed a placeholder: {broken}"


def test_the_placeholder_check_catches_a_lost_one():
    assert placeholders("Bonjour %(nom)s") != placeholders("Hello %(name)s")
    assert placeholders("{name} a %(n)d") == placeholders("%(n)d for {name}")


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_every_marked_string_is_in_the_french_catalogue(tmp_path, settings):
    """Extracts the marked strings again (into a copy, so the real catalogue is not touched):
    a string marked for translation but missing from the catalogue fails here."""
    copy = tmp_path / "talent_exchange"
    shutil.copytree(
        ROOT / "talent_exchange",
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "node_modules", "static"),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        call_command(
            "makemessages", locale=["fr"], no_obsolete=True, add_location="file", verbosity=0
        )
    fresh = read_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    missing = [e.msgid for e in fresh if not e.translated]
    assert not missing, (
        f"{len(missing)} marked strings have no French translation: {missing[:20]}. "
        "Run `makemessages -l fr` (docs/developers.md, Translations) and translate them."
    )


def _french(client):
    client.cookies["django_language"] = "fr"
    return client


@pytest.mark.django_db
def test_the_sign_in_page_is_french(client):
    page = _french(client).get(reverse("accounts:login")).content.decode()
    assert '<html lang="fr">' in page
    assert "Se connecter" in page
    assert "Mot de passe oublié?" in page
    assert "Sign in" not in page


@pytest.mark.django_db
def test_the_dashboard_welcomes_in_french(client):
    client.force_login(UserFactory(first_name="Maya"))
    page = _french(client).get(reverse("core:dashboard")).content.decode()
    assert "Bienvenue, Maya" in page
    assert "Welcome" not in page


@pytest.mark.django_db
def test_the_footer_switches_the_language(client):
    english = client.get(reverse("accounts:login")).content.decode()
    assert '<option value="fr" lang="fr">Français</option>' in english  # in its own name
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("accounts:login")}
    )
    assert response.status_code == 302
    assert "Se connecter" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Se connecter" not in client.get(reverse("accounts:login")).content.decode()


def test_a_form_error_is_french():
    with translation.override("fr"):
        form = AuditFilterForm({"since": "2027-03-01", "until": "2027-02-01"})
        assert not form.is_valid()
        assert form.errors["until"] == ["La date de fin précède la date de début."]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 personne dans le répertoire des talents."),  # French counts zero as singular
        (1, "1 personne dans le répertoire des talents."),
        (2, "2 personnes dans le répertoire des talents."),
    ],
)
def test_plurals_follow_the_french_rule(n, text):
    with translation.override("fr"):
        message = ngettext(
            "%(n)s person in the talent file.", "%(n)s people in the talent file.", n
        )
        assert message % {"n": n} == text


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="fr")
def test_an_e_mail_is_written_in_french():
    message = notify(
        "accounts/password_reset",
        ["maya@example.org"],
        {"user": None, "link": "https://example.org/r"},
    )
    assert message.subject == "Réinitialisez votre mot de passe Échange de talents"
    assert "ouvrez ce lien" in message.text
    assert '<html lang="fr">' in message.html


def test_the_english_check_sees_an_untranslated_message():
    assert english_left("<h2>Your offer</h2><p>Votre offre</p>") == ["Your offer"]


@pytest.mark.django_db
def test_every_personas_dashboard_is_french(client, seeded_demo):
    """Each demo persona's dashboard, in French, shows no catalogue message in English
    (a string translated at import time, or rendered outside the active language, would)."""
    from talent_exchange.nonprod.personas import PERSONAS

    left = {}
    for persona in PERSONAS:
        client.force_login(get_user_model().objects.get(username=persona.username))
        page = _french(client).get(reverse("core:dashboard")).content.decode()
        assert '<html lang="fr">' in page
        if english := english_left(page):
            left[persona.username] = english
    assert not left, f"English left on French dashboards: {left}"


@pytest.mark.django_db
def test_the_agreements_standard_clauses_read_in_french(world):
    from talent_exchange.placements.pdf import agreement_html
    from talent_exchange.placements.tests.factories import placement_in

    placement = placement_in(world)
    with translation.override("fr"):
        page = agreement_html(placement)
    assert '<html lang="fr">' in page
    assert "À la fin de l’affectation, le participant retourne au poste" in page
    assert "Entente d’affectation" in page
    assert not english_left(page)


def test_the_audit_trail_names_a_changed_field_in_french():
    from talent_exchange.audit.trail import _field_label
    from talent_exchange.people.models import Person

    with translation.override("fr"):
        assert _field_label(Person, "position_title") == "titre du poste"
        assert _field_label(Person, "supervisor_id") == "superviseur"  # by its column too
        assert _field_label(Person, "no_such_field") == "no_such_field"
