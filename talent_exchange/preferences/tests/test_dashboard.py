"""Dashboard sections and cycle links from preferences/dashboard.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 22))


def test_participant_is_asked_to_rank_until_the_deadline(market, client_for):
    page = client_for(market.world.users["participant"]).get(reverse("core:dashboard"))
    body = page.content.decode()
    assert "Rank your opportunities (closes 5 Dec 2026)" in body
    assert reverse("preferences:participant", args=[market.nom_a.pk]) in body
    assert "13 days left." in body


def test_host_coordinator_is_asked_to_rank_candidates(market, client_for):
    body = client_for(market.world.users["coord_b"]).get(reverse("core:dashboard")).content.decode()
    assert "Rank candidates" in body
    assert reverse("preferences:host", args=[market.opp_b1.pk]) in body
    assert reverse("preferences:host", args=[market.opp_a.pk]) not in body


def test_no_ranking_section_outside_the_ranking_phases(market, client_for):
    market.world.cycle.state = "matching"
    market.world.cycle.save()
    body = (
        client_for(market.world.users["participant"])
        .get(reverse("core:dashboard"))
        .content.decode()
    )
    assert "Rank your opportunities" not in body


@pytest.mark.parametrize(("role", "shown"), [("admin", True), ("coord_a", True), ("nobody", False)])
def test_cycle_page_links_to_preferences(market, client_for, role, shown):
    response = client_for(market.world.users[role]).get(
        reverse("programs:cycle", args=[market.world.cycle.pk])
    )
    link = reverse("preferences:cycle", args=[market.world.cycle.pk])
    assert (link in response.content.decode()) == shown


def test_a_host_with_many_opportunities_sees_the_first_few_and_a_link_to_all(
    market, client_for, monkeypatch
):
    from talent_exchange.opportunities.tests.factories import OpportunityFactory
    from talent_exchange.preferences import dashboard

    monkeypatch.setattr(dashboard, "HOST_SHOWN", 2)
    # the limit is part of the statement compiled once (core/compiled.py)
    monkeypatch.setattr(dashboard._TO_RANK, "_compiled", {})
    more = reverse("preferences:cycle", args=[market.world.cycle.pk])
    client = client_for(market.world.users["coord_b"])
    body = client.get(reverse("core:dashboard")).content.decode()
    assert body.count('href="/preferences/opportunity/') == 2 and more not in body
    OpportunityFactory(
        cycle=market.world.cycle, host_organization=market.world.city_b, status="approved"
    )
    body = client.get(reverse("core:dashboard")).content.decode()
    assert body.count('href="/preferences/opportunity/') == 2
    assert f'href="{more}"' in body and "More opportunities to rank" in body
    french = client.get(reverse("core:dashboard"), headers={"Accept-Language": "fr"})
    assert "D’autres occasions à classer" in french.content.decode()
