"""The API answers with the pages' permissions: out of scope is a 404 with a reason, in scope
but not allowed a 403 with a reason, and signed-out or role-less users get nothing."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

ALL_USERS = ("admin", "coord_a", "coord_b", "supervisor", "participant", "panelist", "board")

# user -> (status for city A's nomination, status for city B's nomination)
NOMINATION_MATRIX = {
    "admin": (200, 200),
    "coord_a": (200, 404),
    "coord_b": (404, 200),
    "supervisor": (200, 404),  # supervises the city A nominee
    "participant": (200, 404),  # is the city A nominee
    "panelist": (404, 200),  # city B's nominee is on the panel
    "board": (404, 404),
    "auditor": (200, 200),
    "nobody": (403, 403),  # signed in, no role at all
}


@pytest.mark.parametrize(("username", "expected"), NOMINATION_MATRIX.items())
def test_nomination_detail_matrix(cycle, api_as, username, expected):
    client = api_as(cycle.world.users[username])
    got = tuple(
        client.get(f"/api/nominations/{nomination.pk}").status_code
        for nomination in (cycle.nom_a, cycle.nom_b)
    )
    assert got == expected


LIST_REFUSED = {"supervisor", "participant", "panelist", "board", "nobody"}


@pytest.mark.parametrize(("username", "expected"), NOMINATION_MATRIX.items())
def test_nomination_list_holds_the_same_rows_as_the_detail_allows(
    cycle, api_as, username, expected
):
    response = api_as(cycle.world.users[username]).get("/api/nominations")
    if username in LIST_REFUSED:  # as on the pages: they open their nominations one by one
        assert response.status_code == 403
        assert response.json()["detail"]
        return
    ids = {row["id"] for row in response.json()["items"]}
    allowed = {
        n.pk
        for n, status in zip((cycle.nom_a, cycle.nom_b), expected, strict=True)
        if status == 200
    }
    assert ids == allowed


def test_out_of_scope_is_a_404_with_a_reason(cycle, api_as):
    response = api_as(cycle.world.users["coord_b"]).get(f"/api/nominations/{cycle.nom_a.pk}")
    assert response.status_code == 404
    assert str(cycle.nom_a.pk) in response.json()["detail"]
    assert "Ada" not in response.content.decode()


def test_a_user_without_a_role_is_refused_with_a_reason(cycle, api_as):
    response = api_as(cycle.world.users["nobody"]).get(f"/api/opportunities/{cycle.opp_a.pk}")
    assert response.status_code == 403
    assert "no role" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    ["/api/nominations", "/api/openapi.json", "/api/docs", "/api/cycles/1/opportunities"],
)
def test_signed_out_users_are_sent_to_sign_in(client, cycle, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_signed_out_writes_are_refused(client, cycle):
    response = client.put(
        f"/api/nominations/{cycle.nom_a.pk}/ranking",
        data={"opportunity_ids": []},
        content_type="application/json",
    )
    assert response.status_code in (302, 403)
    assert cycle.nom_a.rankings.count() == 1


# user -> which of (approved A, approved B, draft A) they may open
OPPORTUNITY_MATRIX = {
    "admin": (200, 200, 200),
    "coord_a": (200, 200, 200),
    "coord_b": (200, 200, 404),
    "participant": (200, 200, 404),
    "panelist": (200, 200, 404),
    "board": (200, 200, 404),
    "auditor": (200, 200, 200),
    "other_admin": (404, 404, 404),
}


@pytest.mark.parametrize(("username", "expected"), OPPORTUNITY_MATRIX.items())
def test_opportunity_detail_matrix(cycle, api_as, username, expected):
    user = cycle.other_admin if username == "other_admin" else cycle.world.users[username]
    client = api_as(user)
    got = tuple(
        client.get(f"/api/opportunities/{o.pk}").status_code
        for o in (cycle.opp_a, cycle.opp_b, cycle.draft_a)
    )
    assert got == expected


def test_the_opportunity_list_hides_other_hosts_drafts(cycle, api_as):
    url = f"/api/cycles/{cycle.world.cycle.pk}/opportunities"
    titles_a = {o["title"] for o in api_as(cycle.world.users["coord_a"]).get(url).json()["items"]}
    titles_b = {o["title"] for o in api_as(cycle.world.users["coord_b"]).get(url).json()["items"]}
    assert "Draft idea" in titles_a
    assert "Draft idea" not in titles_b
    assert {"Budget Analyst", "Assistant to the City Manager"} <= titles_b


def test_a_cycle_of_another_program_is_a_404(cycle, api_as):
    response = api_as(cycle.other_admin).get(f"/api/cycles/{cycle.world.cycle.pk}/opportunities")
    assert response.status_code == 404
    assert "cycle" in response.json()["detail"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("participant", 200),
        ("admin", 200),
        ("auditor", 200),
        ("supervisor", 403),
        ("coord_a", 403),
        ("coord_b", 404),
    ],
)
def test_participant_ranking_is_read_by_the_nominee_and_the_administrators(
    cycle, api_as, username, expected
):
    response = api_as(cycle.world.users[username]).get(f"/api/nominations/{cycle.nom_a.pk}/ranking")
    assert response.status_code == expected
    if expected == 200:
        ranking = response.json()["ranking"]
        assert [(r["rank"], r["opportunity"]["id"]) for r in ranking] == [(1, cycle.opp_b.pk)]


@pytest.mark.parametrize(
    ("username", "expected"),
    [("admin", 200), ("coord_b", 200), ("auditor", 200), ("coord_a", 403), ("participant", 403)],
)
def test_host_ranking_is_read_by_the_host_and_the_administrators(cycle, api_as, username, expected):
    response = api_as(cycle.world.users[username]).get(
        f"/api/opportunities/{cycle.opp_b.pk}/host-ranking"
    )
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["ranking"][0]["nomination_id"] == cycle.nom_a.pk
    else:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [("admin", 200), ("auditor", 200), ("coord_a", 403), ("panelist", 403), ("other_admin", 404)],
)
def test_match_runs_are_the_administrators(cycle, api_as, username, expected):
    user = cycle.other_admin if username == "other_admin" else cycle.world.users[username]
    client = api_as(user)
    listing = client.get(f"/api/cycles/{cycle.world.cycle.pk}/match-runs")
    detail = client.get(f"/api/match-runs/{cycle.run.pk}")
    assert (listing.status_code, detail.status_code) == (expected, expected)
    if expected == 200:
        assert [r["id"] for r in listing.json()["items"]] == [cycle.run.pk]
        body = detail.json()
        assert (body["assignment_count"], body["unmatched_count"]) == (1, 1)
        assert body["metrics"] == {"matched": 1, "unmatched": 1}
        assert "assignments" not in body  # a page at a time, below
        rows = client.get(f"/api/match-runs/{cycle.run.pk}/assignments").json()
        assert rows["count"] == 1 and rows["items"][0]["reasons"] == ["first choice"]
        unmatched = client.get(f"/api/match-runs/{cycle.run.pk}/unmatched?limit=1").json()
        assert unmatched["items"][0]["participant"] == "n2"
    else:
        assert detail.json()["detail"]
        rows = client.get(f"/api/match-runs/{cycle.run.pk}/assignments")
        assert rows.status_code == expected and rows.json()["detail"]


def test_market_export_is_for_administrators(cycle, api_as):
    url = f"/api/cycles/{cycle.world.cycle.pk}/market"
    refused = api_as(cycle.world.users["coord_a"]).get(url)
    assert refused.status_code == 403
    response = api_as(cycle.world.users["admin"]).get(url)
    assert response.status_code == 200
    assert response.streaming and "attachment" in response["Content-Disposition"]
    market = json.loads(b"".join(response.streaming_content))
    participants = {p["id"] for p in market["participants"]}
    assert {f"n{cycle.nom_a.pk}", f"n{cycle.nom_b.pk}"} <= participants
