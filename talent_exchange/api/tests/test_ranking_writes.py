"""PUT of a participant's whole ranking, through the preferences app's services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from talent_exchange.nominations.models import ConflictOfInterest
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.models import ParticipantRanking
from talent_exchange.programs.models import CyclePhase

pytestmark = pytest.mark.django_db


def _put(client, nomination, ids, **extra):
    return client.put(
        f"/api/nominations/{nomination.pk}/ranking",
        data={"opportunity_ids": ids, **extra},
        content_type="application/json",
    )


def _stored(nomination) -> list[int]:
    return list(
        ParticipantRanking.objects.filter(nomination=nomination)
        .order_by("rank")
        .values_list("opportunity_id", flat=True)
    )


@pytest.fixture
def open_preferences(cycle):
    world = cycle.world
    world.cycle.state = "preferences"
    world.cycle.save()
    today = timezone.localdate()
    CyclePhase.objects.update_or_create(
        cycle=world.cycle,
        phase="preferences",
        defaults={
            "opens_on": today - datetime.timedelta(days=3),
            "closes_on": today + datetime.timedelta(days=10),
            "owner": world.users["admin"],
        },
    )
    extra = [
        OpportunityFactory(cycle=world.cycle, host_organization=world.city_b, title=f"Extra {i}")
        for i in range(3)
    ]
    return cycle, extra


def test_the_nominee_replaces_the_whole_ranking(open_preferences, api_as):
    cycle, extra = open_preferences
    client = api_as(cycle.world.users["participant"])
    wanted = [extra[2].pk, cycle.opp_b.pk, extra[0].pk]
    response = _put(client, cycle.nom_a, wanted)
    assert response.status_code == 200, response.content
    assert [r["opportunity"]["id"] for r in response.json()["ranking"]] == wanted
    assert _stored(cycle.nom_a) == wanted
    assert _put(client, cycle.nom_a, [extra[1].pk]).status_code == 200
    assert _stored(cycle.nom_a) == [extra[1].pk]
    assert _put(client, cycle.nom_a, []).status_code == 200
    assert _stored(cycle.nom_a) == []


def test_unrankable_and_repeated_choices_are_all_listed(open_preferences, api_as):
    cycle, extra = open_preferences
    own = cycle.opp_a.pk  # hosted by the nominee's own city
    response = _put(
        api_as(cycle.world.users["participant"]),
        cycle.nom_a,
        [extra[0].pk, own, extra[0].pk, cycle.draft_a.pk],
    )
    assert response.status_code == 422
    assert [p["loc"][-1] for p in response.json()["detail"]] == [1, 2, 3]
    assert _stored(cycle.nom_a) == [cycle.opp_b.pk]


def test_an_organisation_with_a_declared_conflict_cannot_be_ranked(open_preferences, api_as):
    cycle, extra = open_preferences
    ConflictOfInterest.objects.create(
        nomination=cycle.nom_a, organization=cycle.world.city_b, reason="Former manager"
    )
    response = _put(api_as(cycle.world.users["participant"]), cycle.nom_a, [extra[0].pk])
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == 0
    assert "conflict of interest" in problem["msg"]
    assert _stored(cycle.nom_a) == [cycle.opp_b.pk]


def test_a_coordinator_may_not_change_a_nominees_ranking(open_preferences, api_as):
    cycle, extra = open_preferences
    response = _put(api_as(cycle.world.users["coord_a"]), cycle.nom_a, [extra[0].pk])
    assert response.status_code == 403
    assert response.json()["detail"]
    assert _stored(cycle.nom_a) == [cycle.opp_b.pk]


def test_after_the_deadline_the_nominee_is_refused_and_nothing_changes(open_preferences, api_as):
    cycle, extra = open_preferences
    today = timezone.localdate()
    CyclePhase.objects.filter(cycle=cycle.world.cycle, phase="preferences").update(
        opens_on=today - datetime.timedelta(days=20), closes_on=today - datetime.timedelta(days=1)
    )
    response = _put(
        api_as(cycle.world.users["participant"]), cycle.nom_a, [extra[0].pk, extra[1].pk]
    )
    assert response.status_code in (400, 403)
    assert response.json()["detail"]
    assert _stored(cycle.nom_a) == [cycle.opp_b.pk]
