"""Out-of-range numbers are the asker's mistake: a form error, a 400 or a 422, never a
server error. SQLite cannot bind an integer beyond 64 bits (core/sqlite.py); the market
export and the API's pages bound their parameters."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from talent_exchange.opportunities.models import Opportunity
from talent_exchange.people.models import Person

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.mark.parametrize(
    "lookup",
    [
        {"pk__in": [HUGE]},
        {"organization_id": HUGE},
        {"organization__in": [HUGE]},
        {"skills__in": [HUGE]},
        {"organization_id__gt": HUGE},
        {"organization_id__lt": -HUGE},
    ],
)
def test_comparing_with_a_number_beyond_64_bits_matches_nothing(world, lookup):
    assert list(Person.objects.filter(**lookup)) == []


def test_comparing_with_a_number_beyond_64_bits_orders_correctly(world):
    assert Person.objects.filter(pk__lt=HUGE).count() == Person.objects.count()
    assert Person.objects.filter(pk__gt=-HUGE).count() == Person.objects.count()


def test_a_huge_number_in_a_multi_select_is_a_form_error(world, client_for):
    response = client_for(world.users["coord_a"]).post(
        reverse("opportunities:create", args=[world.cycle.pk]),
        {
            "host_organization": world.city_a.pk,
            "assignment_type": "detail",
            "title": "Overflowing",
            "description": "x",
            "duration_months": 3,
            "start_earliest": "2027-03-01",
            "start_latest": "2027-04-01",
            "workplace": "remote",
            "skills_required": [str(HUGE)],
            "capacity": 1,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="skills_required-error"' in html and str(HUGE) in html
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"tolerance": str(HUGE)}, "less than or equal to 50"),
        ({"tolerance": "-1"}, "greater than or equal to 0"),
        ({"tolerance": "lots"}, "whole number"),
        ({"round": str(HUGE)}, "less than or equal to 9"),
        ({"round": "0"}, "greater than or equal to 1"),
    ],
)
def test_market_export_answers_a_bad_parameter_with_400_and_the_reason(
    world, client_for, query, reason
):
    response = client_for(world.users["admin"]).get(
        reverse("matches:market_export", args=[world.cycle.pk]), query
    )
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_market_export_takes_parameters_within_bounds(world, client_for):
    response = client_for(world.users["admin"]).get(
        reverse("matches:market_export", args=[world.cycle.pk]), {"tolerance": "2", "round": "2"}
    )
    assert response.status_code == 200
    market = json.loads(b"".join(response.streaming_content))
    assert market["rules"]["balance_tolerance"] == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"offset": str(HUGE)}, "offset"),
        ({"offset": str(2**62)}, "offset"),
        ({"offset": "-1"}, "offset"),
        ({"limit": str(HUGE)}, "limit"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_api_lists_refuse_pages_out_of_bounds_with_422(world, client_for, query, field):
    response = client_for(world.users["admin"]).get("/api/nominations", query)
    assert response.status_code == 422
    assert [problem["loc"][-1] for problem in response.json()["detail"]] == [field]


def test_api_lists_take_pages_within_bounds(world, client_for):
    response = client_for(world.users["admin"]).get(
        "/api/nominations", {"offset": "1000000000", "limit": "500"}
    )
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize("filter_name", ["cycle", "organization"])
def test_api_filters_with_huge_numbers_find_nothing(world, client_for, filter_name):
    response = client_for(world.users["admin"]).get("/api/nominations", {filter_name: str(HUGE)})
    assert response.status_code in (200, 422)
    assert response.status_code != 200 or response.json()["items"] == []
