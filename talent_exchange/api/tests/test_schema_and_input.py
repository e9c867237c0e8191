"""The OpenAPI schema, the docs page, filters, bad input, CSRF and query counts."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/cycles/{cycle_id}/opportunities",
    "/api/opportunities/{opportunity_id}",
    "/api/nominations",
    "/api/nominations/{nomination_id}",
    "/api/nominations/{nomination_id}/ranking",
    "/api/opportunities/{opportunity_id}/host-ranking",
    "/api/cycles/{cycle_id}/match-runs",
    "/api/match-runs/{run_id}",
    "/api/match-runs/{run_id}/assignments",
    "/api/match-runs/{run_id}/unmatched",
    "/api/cycles/{cycle_id}/market",
    "/api/cycles/{cycle_id}/market/participants",
    "/api/cycles/{cycle_id}/market/slots",
}


def test_the_schema_lists_every_endpoint_with_session_security(cycle, api_as):
    response = api_as(cycle.world.users["participant"]).get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Talent Exchange API"
    assert set(schema["paths"]) == EXPECTED_PATHS
    assert "put" in schema["paths"]["/api/nominations/{nomination_id}/ranking"]
    schemes = schema["components"]["securitySchemes"]
    assert [s["in"] for s in schemes.values()] == ["cookie"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security"), f"{method} {path} has no security"
            assert operation.get("summary"), f"{method} {path} has no summary"
    operation_ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(set(operation_ids)) == len(operation_ids)
    assert "list_nominations" in operation_ids
    for name in ("OpportunityOut", "NominationDetailOut", "MatchRunDetailOut", "RankingIn"):
        assert name in schema["components"]["schemas"]


def test_the_schema_is_valid_openapi_when_the_validator_is_installed(cycle, api_as):
    validator = pytest.importorskip("openapi_spec_validator")
    schema = api_as(cycle.world.users["admin"]).get("/api/openapi.json").json()
    validator.validate(schema)


def test_without_ninjas_static_files_the_docs_page_points_to_the_schema(cycle, api_as):
    with override_settings(INSTALLED_APPS=[a for a in settings.INSTALLED_APPS if a != "ninja"]):
        response = api_as(cycle.world.users["participant"]).get("/api/docs")
    assert response.status_code == 501
    assert "/api/openapi.json" in response.json()["detail"]


def test_the_docs_page_uses_only_local_assets_and_no_inline_script(cycle, api_as):
    assert "ninja" in settings.INSTALLED_APPS  # its static files serve Swagger UI
    response = api_as(cycle.world.users["participant"]).get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    # no asset from a CDN (the CSRF token in the page may spell "cdn" by chance)
    assert not re.search(r"(src|href)=\"[^\"]*cdn", html, re.IGNORECASE)
    assert not re.search(r"(src|href)=\"https?://", html)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in html
    assert "/api/openapi.json" in html


def test_the_docs_page_refuses_users_without_a_role(cycle, api_as):
    assert api_as(cycle.world.users["nobody"]).get("/api/docs").status_code == 403
    assert api_as(cycle.world.users["nobody"]).get("/api/openapi.json").status_code == 403


def _titles(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["items"])


def test_opportunity_filters(cycle, api_as):
    client = api_as(cycle.world.users["participant"])
    url = f"/api/cycles/{cycle.world.cycle.pk}/opportunities"
    assert _titles(client, url) == ["Assistant to the City Manager", "Budget Analyst"]
    assert _titles(client, url, remote="true") == ["Assistant to the City Manager"]
    assert _titles(client, url, remote="false") == ["Budget Analyst"]
    assert _titles(client, url, type="rotation") == ["Assistant to the City Manager"]
    assert _titles(client, url, skill="budget development") == ["Assistant to the City Manager"]
    assert _titles(client, url, organization=cycle.world.city_a.pk) == ["Budget Analyst"]
    assert _titles(client, url, q="analyst") == ["Budget Analyst"]
    assert _titles(client, url, location="nowhere") == []


def test_bad_filters_list_every_problem(cycle, api_as):
    client = api_as(cycle.world.users["participant"])
    response = client.get(
        f"/api/cycles/{cycle.world.cycle.pk}/opportunities",
        {"type": "holiday", "remote": "perhaps", "organization": "city-a"},
    )
    assert response.status_code == 422
    fields = sorted(problem["loc"][-1] for problem in response.json()["detail"])
    assert fields == ["organization", "remote", "type"]


def test_a_bad_ranking_body_lists_every_problem(cycle, api_as):
    response = api_as(cycle.world.users["participant"]).put(
        f"/api/nominations/{cycle.nom_a.pk}/ranking",
        data={"opportunity_ids": ["first", 2, "third"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    locations = [problem["loc"] for problem in response.json()["detail"]]
    assert locations == [
        ["body", "payload", "opportunity_ids", 0],
        ["body", "payload", "opportunity_ids", 2],
    ]
    assert cycle.nom_a.rankings.count() == 1


def test_unsafe_methods_need_the_csrf_token(cycle):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cycle.world.users["participant"])
    url = f"/api/nominations/{cycle.nom_a.pk}/ranking"
    body = {"opportunity_ids": [cycle.opp_a.pk, cycle.opp_b.pk]}
    refused = client.put(url, data=body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/")  # a page of the site sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.put(url, data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code != 403


def test_a_ranking_of_a_nomination_out_of_scope_is_a_404_before_anything_else(cycle, api_as):
    response = api_as(cycle.world.users["coord_b"]).put(
        f"/api/nominations/{cycle.nom_a.pk}/ranking",
        data={"opportunity_ids": []},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert cycle.nom_a.rankings.count() == 1


def _count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("what", ["nominations", "opportunities"])
def test_list_endpoints_cost_the_same_for_3_or_13_rows(cycle, api_as, what):
    world = cycle.world
    client = api_as(world.users["admin"])
    url = (
        "/api/nominations"
        if what == "nominations"
        else f"/api/cycles/{world.cycle.pk}/opportunities"
    )
    small, small_count = _count_queries(client, url)
    for _ in range(10):
        if what == "nominations":
            NominationFactory(cycle=world.cycle, person=PersonFactory(organization=world.city_a))
        else:
            OpportunityFactory(cycle=world.cycle, host_organization=world.city_b)
    large, large_count = _count_queries(client, url)
    assert large_count == small_count + 10
    assert large == small
    assert large <= 16  # session, user, roles (4), the cycle, count, rows, 2 prefetches
