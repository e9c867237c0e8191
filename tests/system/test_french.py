"""A participant switches to French in the footer; the pages they walk — the dashboard, their
ranking, their offer, the signed agreement's PDF — are French (no message of the catalogue
left in English) and pass the accessibility check with lang="fr"."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from talent_exchange.accounts.models import User
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.placements.services import sign_agreement, start_placement
from talent_exchange.placements.tests.factories import accepted_offer
from talent_exchange.programs.models import Cycle
from tests.translations import english_left, english_lines

from .accessibility import assert_accessible
from .conftest import sign_in

pytestmark = pytest.mark.browser


def _assert_french(page) -> None:
    assert page.locator("html").get_attribute("lang") == "fr", page.url
    assert not english_left(page.content()), f"English left on {page.url}"
    assert_accessible(page)


@pytest.fixture
def signed_agreement(demo):
    """Maya Delgado (the participant persona) accepted an offer in Cedar Hollow, whose title
    the program wrote in French too; the three parties signed its agreement."""
    admin = User.objects.get(username="admin")
    offer = accepted_offer(
        cycle=Cycle.objects.get(name="2027 Spring Exchange"),
        person=Person.objects.get(user__username="participant"),
        host=Organization.objects.get(name="City of Cedar Hollow"),
        coach=Person.objects.get(first_name="Aaliyah", last_name="Johnson"),
        actor=admin,
        start=timezone.localdate() + timedelta(days=30),
    )
    offer.opportunity.title_fr = "Adjointe ou adjoint au directeur municipal"
    offer.opportunity.save(update_fields=["title_fr"])
    placement = start_placement(offer, admin)
    for username, party in (
        ("coordinator", "home"),
        ("participant", "participant"),
        ("coordinator2", "host"),
    ):
        sign_agreement(placement, User.objects.get(username=username), party)
    return offer, placement


def test_a_participant_walks_the_app_in_french(signed_agreement, new_page):
    offer, placement = signed_agreement
    page = new_page()
    sign_in(page, "participant")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenue")
    _assert_french(page)
    # The choice is saved on the account: the next pages, and the e-mails, are French.
    assert User.objects.get(username="participant").language == "fr"

    # The dashboard → the ranking → the offer.
    assert page.goto(f"/preferences/nomination/{offer.nomination.pk}/").ok
    _assert_french(page)
    assert page.goto(f"/matches/offers/{offer.pk}/").ok
    expect(page.get_by_test_id("offer-status")).to_contain_text("Acceptée")
    # The program wrote the title in both languages: the French reader sees the French one.
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Adjointe ou adjoint au directeur municipal"
    )
    _assert_french(page)

    # The signed agreement, as a PDF in French.
    response = page.request.get(f"/placements/{placement.pk}/agreement.pdf")
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    flat = " ".join(text.split())
    for term in (
        "Entente d’affectation",
        "Partage des coûts",
        "Droit de retour",
        "Maya Delgado",
        "Adjointe ou adjoint au directeur municipal",
    ):
        assert term in flat, term
    assert not english_lines(text), english_lines(text)

    # Every page of the navigation, in French too.
    navigation = page.get_by_role("navigation", name="Navigation principale")
    paths = [link.get_attribute("href") for link in navigation.get_by_role("link").all()]
    assert paths
    for path in paths:
        page.goto(path)
        _assert_french(page)
