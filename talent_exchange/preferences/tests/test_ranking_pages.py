"""Ranking pages: who may open which list, changes by plain POST and by htmx, deadlines."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.models import HostRanking, ParticipantRanking

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 22))


def _ranked(nomination):
    return list(
        ParticipantRanking.objects.filter(nomination=nomination)
        .order_by("rank")
        .values_list("opportunity__title", flat=True)
    )


def test_participant_ranks_with_plain_posts(market, client_for):
    m = market
    client = client_for(m.world.users["participant"])
    url = reverse("preferences:participant", args=[m.nom_a.pk])
    page = client.get(url).content.decode()
    assert "Rank your opportunities" in page
    assert "Closes 5 Dec 2026, 13 days left." in page
    assert "Beta parks" in page and "County IT" in page
    assert "Alpha budget" not in page  # own organisation's opportunity is not offered
    for opp in (m.opp_b1, m.opp_b2, m.opp_county):
        response = client.post(url, {"action": "add", "choice": opp.pk})
        assert response.status_code == 302
    response = client.post(url, {"action": f"up:{m.opp_county.pk}"}, follow=True)
    assert _ranked(m.nom_a) == ["Beta parks", "County IT", "Beta housing"]
    page = response.content.decode()
    assert "“County IT — Gamma County” is now number 2 of 3." in page
    # The moved choice keeps the keyboard focus on its button after the page reloads.
    assert f'value="up:{m.opp_county.pk}" autofocus' in page
    client.post(url, {"action": f"remove:{m.opp_b1.pk}"})
    assert _ranked(m.nom_a) == ["County IT", "Beta housing"]


def test_htmx_swaps_the_list_and_announces_the_change(market, client_for):
    m = market
    client = client_for(m.world.users["participant"])
    url = reverse("preferences:participant", args=[m.nom_a.pk])
    client.post(url, {"action": "add", "choice": m.opp_b1.pk})
    response = client.post(
        url, {"action": "add", "choice": m.opp_b2.pk}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'data-testid="ranking-list"' in body
    assert 'id="ranking-status" hx-swap-oob="innerHTML"' in body
    assert "“Beta housing — City of Beta” is now number 2 of 2." in body
    refused = client.post(
        url, {"action": "add", "choice": m.opp_a.pk}, headers={"HX-Request": "true"}
    )
    assert "usa-alert--error" in refused.content.decode()
    assert _ranked(m.nom_a) == ["Beta parks", "Beta housing"]


def test_removing_builds_the_page_once_and_names_what_left(
    market, client_for, django_assert_max_num_queries
):
    m = market
    client = client_for(m.world.users["participant"])
    url = reverse("preferences:participant", args=[m.nom_a.pk])
    for opp in (m.opp_b1, m.opp_b2, m.opp_county):
        client.post(url, {"action": "add", "choice": opp.pk})
    htmx = {"HX-Request": "true"}
    with django_assert_max_num_queries(100) as move:
        client.post(url, {"action": f"down:{m.opp_b1.pk}"}, headers=htmx)
    # A few queries more than a move (the leaving item's label, the deletion), not a second
    # page's worth (the page alone asks about a dozen).
    with django_assert_max_num_queries(len(move.captured_queries) + 3):
        response = client.post(url, {"action": f"remove:{m.opp_b2.pk}"}, headers=htmx)
    assert "“Beta housing — City of Beta” was removed from the list; 2 left." in (
        response.content.decode()
    )
    assert _ranked(m.nom_a) == ["Beta parks", "County IT"]


def test_after_the_deadline_the_participant_sees_no_buttons(market, client_for, monkeypatch):
    m = market
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 6))
    client = client_for(m.world.users["participant"])
    url = reverse("preferences:participant", args=[m.nom_a.pk])
    page = client.get(url).content.decode()
    assert "Rankings closed on 5 Dec 2026." in page
    assert "Move up" not in page and "Add to the list" not in page
    client.post(url, {"action": "add", "choice": m.opp_b1.pk})
    assert _ranked(m.nom_a) == []
    admin = client_for(m.world.users["admin"])
    page = admin.get(url).content.decode()
    assert "Reason for the late change" in page
    admin.post(url, {"action": "add", "choice": m.opp_b1.pk})
    assert _ranked(m.nom_a) == []
    admin.post(url, {"action": "add", "choice": m.opp_b1.pk, "reason": "Agreed by the board"})
    assert _ranked(m.nom_a) == ["Beta parks"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("participant", 200),
        ("admin", 200),
        ("auditor", 200),
        ("coord_a", 403),  # sees the nomination, not the nominee's preferences
        ("coord_b", 404),
        ("panelist", 404),
        ("supervisor", 403),
        ("nobody", 404),
    ],
)
def test_who_opens_a_participants_list(market, client_for, role, status):
    url = reverse("preferences:participant", args=[market.nom_a.pk])
    assert client_for(market.world.users[role]).get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status", "may_rank"),
    [
        ("coord_b", 200, True),
        ("admin", 200, True),
        ("auditor", 200, False),
        ("coord_a", 403, False),
        ("participant", 403, False),
        ("panelist", 403, False),
    ],
)
def test_who_opens_and_changes_a_hosts_list(market, client_for, role, status, may_rank):
    m = market
    client = client_for(m.world.users[role])
    url = reverse("preferences:host", args=[m.opp_b1.pk])
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert ("Ada Alpha — City of Alpha" in page) == may_rank  # offered to add
        assert ("Add to the list" in page) == may_rank
        assert "Bea Beta" not in page  # the host's own nominee is not a candidate
    client.post(url, {"action": "add", "choice": m.nom_a.pk})
    assert HostRanking.objects.filter(opportunity=m.opp_b1).exists() == may_rank


def test_cycle_overview_lists_what_each_user_may_open(market, client_for):
    m = market
    url = reverse("preferences:cycle", args=[m.world.cycle.pk])
    page = client_for(m.world.users["coord_b"]).get(url).content.decode()
    assert "Beta parks" in page and "Beta housing" in page
    assert "Alpha budget" not in page and "Ada Alpha" not in page
    page = client_for(m.world.users["participant"]).get(url).content.decode()
    assert "Ada Alpha" in page and "Bea Beta" not in page and "Beta parks" not in page


def test_cycle_overview_query_count_does_not_grow(
    market, client_for, django_assert_max_num_queries
):
    m = market
    client = client_for(m.world.users["admin"])
    url = reverse("preferences:cycle", args=[m.world.cycle.pk])
    client.get(url)
    # Paged lists cost two counts, a page of rows and its ranking counts each, plus how
    # many lists were started: more than one query per list, but fixed.
    with django_assert_max_num_queries(22) as small:
        client.get(url)
    for _ in range(10):
        OpportunityFactory(cycle=m.world.cycle, host_organization=m.world.city_b)
        NominationFactory(cycle=m.world.cycle, person__organization=m.world.city_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("preferences/opportunity/") == 14


def test_a_nominee_awaiting_endorsement_sees_why_they_cannot_rank(market, client_for):
    m = market
    m.nom_a.status = "awaiting_endorsement"
    m.nom_a.save()
    page = client_for(m.world.users["participant"]).get(
        reverse("preferences:participant", args=[m.nom_a.pk])
    )
    body = page.content.decode()
    assert "Only an endorsed nominee ranks opportunities." in body
    assert "Add to the list" not in body


def test_each_rank_is_read_out_with_its_number_and_actions_in_the_readers_language(
    market, client_for
):
    m = market
    client = client_for(m.world.users["participant"])
    url = reverse("preferences:participant", args=[m.nom_a.pk])
    for opp in (m.opp_b1, m.opp_county):
        client.post(url, {"action": "add", "choice": opp.pk})
    english = client.get(url).content.decode()
    assert '<span class="usa-sr-only">Number 1: </span><strong>Beta parks' in english
    assert '<span class="usa-sr-only">Number 2: </span><strong>County IT' in english
    assert english.count(">Move up<span") == 2 and english.count(">Remove<span") == 2
    french = client.get(url, headers={"Accept-Language": "fr"}).content.decode()
    assert '<span class="usa-sr-only">Numéro 2 : </span>' in french
    assert french.count(">Monter<span") == 2 and ">Move up<" not in french
