"""The market through the API at scale: the whole market is a streamed download, and its
participants and slots can be read a page at a time in the same queries for any size, in
the same order and with the same content as the whole market (issue 17)."""

from __future__ import annotations

import json

import pytest

from talent_exchange.matches.market import build_market
from talent_exchange.nominations.models import NominationStatus
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from tests.factories import NominationFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def _market(world, n):
    opportunities = [
        OpportunityFactory(cycle=world.cycle, host_organization=world.city_b, capacity=1)
        for _ in range(n)
    ]
    OpportunityFactory(cycle=world.cycle, host_organization=world.city_b, status="draft")
    for i in range(n):
        nomination = NominationFactory(cycle=world.cycle, status=NominationStatus.ENDORSED)
        for rank, opportunity in enumerate(opportunities[i : i + 3], start=1):
            ParticipantRanking.objects.create(
                nomination=nomination, opportunity=opportunity, rank=rank
            )
            HostRanking.objects.create(opportunity=opportunity, nomination=nomination, rank=i + 1)
    NominationFactory(cycle=world.cycle, status=NominationStatus.AWAITING_ENDORSEMENT)


@pytest.mark.parametrize("n", [5, 50])
def test_market_pages_cost_the_same_queries_and_agree_with_the_whole(
    world, api_as, django_assert_max_num_queries, n
):
    _market(world, n)
    client = api_as(world.users["admin"])
    base = f"/api/cycles/{world.cycle.pk}/market"
    whole = build_market(world.cycle)
    for part in ("participants", "slots"):
        pages = []
        offset = 0
        while True:
            with django_assert_max_num_queries(13):
                body = client.get(f"{base}/{part}", {"limit": 20, "offset": offset}).json()
            assert len(body["items"]) <= 20
            pages += body["items"]
            offset += 20
            if offset >= body["count"]:
                break
        assert pages == whole[part]
        assert body["count"] == len(whole[part])


def test_the_whole_market_streams_the_same_json(world, api_as):
    _market(world, 5)
    response = api_as(world.users["admin"]).get(f"/api/cycles/{world.cycle.pk}/market")
    assert response.streaming
    assert json.loads(b"".join(response.streaming_content)) == build_market(world.cycle)


def test_market_pages_are_for_administrators(world, api_as):
    _market(world, 2)
    url = f"/api/cycles/{world.cycle.pk}/market/participants"
    assert api_as(world.users["coord_a"]).get(url).status_code == 403
    assert api_as(world.users["admin"]).get(url, {"limit": 0}).status_code == 422


@pytest.mark.parametrize("user", ["admin", "coord_a", "panelist", "supervisor"])
def test_the_nominations_list_costs_the_same_queries_for_5_and_50(
    world, api_as, django_assert_max_num_queries, user
):
    from talent_exchange.nominations.models import Nomination
    from tests.factories import PersonFactory

    client = api_as(world.users[user])
    counts = []
    for n in (5, 45):
        for _ in range(n):
            NominationFactory(cycle=world.cycle, person=PersonFactory(organization=world.city_a))
        with django_assert_max_num_queries(12) as captured:
            response = client.get("/api/nominations", {"limit": 500})
        counts.append(len(captured.captured_queries))
        if response.status_code == 200:
            ids = [item["id"] for item in response.json()["items"]]
            assert ids == sorted(ids)  # by number
            visible = Nomination.objects.visible_to(world.users[user])
            assert set(ids) == set(visible.values_list("pk", flat=True))
    assert counts[0] == counts[1]
