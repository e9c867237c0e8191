"""Who may do what with runs and offers: the role × action matrix, and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talent_exchange.matches import services
from talent_exchange.matches.models import MatchRun, Offer
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.tests.factories import rank

from .factories import small_market

pytestmark = pytest.mark.django_db

USERS = ["admin", "coord_a", "coord_b", "supervisor", "participant", "panelist", "board",
         "auditor", "nobody"]  # fmt: skip

# perm → the users who hold it on the world's cycle / run
RUN_MATRIX = {
    "matches.view_matchrun": {"admin", "auditor"},
    "matches.export_market": {"admin", "auditor"},
    "matches.start_run": {"admin"},
    "matches.compare_runs": {"admin"},
    "matches.publish_run": {"admin"},
    "matches.add_pairconstraint": {"admin"},
}


@pytest.fixture
def published(world):
    m = small_market(world)
    run = services.start_run(m.cycle, actor=world.users["admin"], mode="stable",
                             balance_tolerance=None)  # fmt: skip
    services.publish_run(run, actor=world.users["admin"])
    return m, run


@pytest.mark.parametrize("perm", sorted(RUN_MATRIX))
@pytest.mark.parametrize("username", USERS)
def test_run_permissions(world, published, perm, username):
    _m, run = published
    obj = run if perm in ("matches.view_matchrun", "matches.publish_run") else run.cycle
    assert world.users[username].has_perm(perm, obj) == (username in RUN_MATRIX[perm])


def test_offers_are_seen_by_their_participant_and_their_host(world, published):
    m, _run = published
    ada_offer = Offer.objects.get(nomination=m.ada)  # Ada (A) → B's place
    cy_offer = Offer.objects.get(nomination=m.cy)  # Cy (B) → A's place
    expect_view = {
        "admin": {ada_offer, cy_offer},
        "auditor": {ada_offer, cy_offer},
        "participant": {ada_offer},
        "coord_b": {ada_offer},  # hosts Ada
        "coord_a": {cy_offer},  # hosts Cy
        "supervisor": set(),
        "panelist": set(),
        "board": set(),
        "nobody": set(),
    }
    for username, visible in expect_view.items():
        user = world.users[username]
        for offer in (ada_offer, cy_offer):
            assert user.has_perm("matches.view_offer", offer) == (offer in visible), username
        scoped = set(Offer.objects.visible_to(user).filter(pk__in=[ada_offer.pk, cy_offer.pk]))
        assert scoped == visible, username
    for username in USERS:
        assert world.users[username].has_perm("matches.respond_offer", ada_offer) == (
            username == "participant"
        )


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 200), ("auditor", 200), ("coord_a", 403), ("participant", 403), ("board", 403)],
)
def test_run_pages_by_role(world, published, client_for, username, status):
    m, run = published
    client = client_for(world.users[username])
    for url in (
        reverse("matches:run", args=[run.pk]),
        reverse("matches:runs", args=[m.cycle.pk]),
        reverse("matches:market_export", args=[m.cycle.pk]),
    ):
        code = client.get(url).status_code
        # the run itself is out of scope (404) for those who may not see runs at all
        assert code == status or (status == 403 and code == 404), (url, code)


def test_auditors_read_but_do_not_act(world, published, client_for):
    m, run = published
    client = client_for(world.users["auditor"])
    page = client.get(reverse("matches:run", args=[run.pk])).content.decode()
    assert "Run again with the same input" not in page and "Lock or forbid" not in page
    assert client.post(reverse("matches:run_again", args=[run.pk])).status_code == 403
    assert client.get(reverse("matches:compare", args=[m.cycle.pk])).status_code == 403
    response = client.post(
        reverse("matches:runs", args=[m.cycle.pk]), {"mode": "stable", "round": 1}
    )
    assert response.status_code == 403
    assert MatchRun.objects.count() == 1


def test_coordinators_cannot_lock_pairs(world, published, client_for):
    m, _run = published
    client = client_for(world.users["coord_a"])
    response = client.post(
        reverse("matches:constraints", args=[m.cycle.pk]),
        {"nomination": m.ada.pk, "opportunity": m.at_b.pk, "rule": "lock", "reason": "x"},
    )
    assert response.status_code in (403, 404)


def test_the_administrator_locks_a_pair_from_the_results(world, published, client_for):
    from talent_exchange.matches.models import PairConstraint

    m, run = published
    client = client_for(world.users["admin"])
    response = client.post(
        reverse("matches:constraints", args=[m.cycle.pk]),
        {"from_run": run.pk, "nomination": m.bo.pk, "opportunity": m.at_a.pk, "rule": "lock",
         "reason": "Agreed at the panel"},
    )  # fmt: skip
    assert response["Location"] == reverse("matches:run", args=[run.pk])
    rule = PairConstraint.objects.get()
    assert (rule.nomination, rule.opportunity, rule.rule) == (m.bo, m.at_a, "lock")
    assert rule.history.first().history_user == world.users["admin"]


def _grow(m, world, n):
    for _ in range(n):
        nomination = NominationFactory(cycle=m.cycle)
        opportunity = OpportunityFactory(cycle=m.cycle, host_organization=world.city_a)
        rank(nomination, opportunity, m.at_county)


def test_run_pages_cost_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    m = small_market(world)
    admin = world.users["admin"]
    client = client_for(admin)

    def measure():
        run = services.start_run(m.cycle, actor=admin, mode="optimal", balance_tolerance=None)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = []
        for url in (
            reverse("matches:run", args=[run.pk]),
            reverse("matches:runs", args=[m.cycle.pk]),
            reverse("matches:compare", args=[m.cycle.pk]) + f"?a={run.pk}&b={run.pk}",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    small = measure()
    _grow(m, world, 12)
    large = measure()
    assert small == large, (small, large)
    with django_assert_max_num_queries(20):
        client.get(reverse("matches:runs", args=[m.cycle.pk]))


def test_offer_list_costs_a_fixed_number_of_queries(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = small_market(world)
    admin = world.users["admin"]
    client = client_for(admin)
    run = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    services.publish_run(run, actor=admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("matches:offers"))
    _grow(m, world, 8)
    run2 = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None,
                              round_number=2)  # fmt: skip
    services.publish_run(run2, actor=admin)
    assert Offer.objects.count() > 6
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("matches:offers"))
    assert len(few) == len(many)
    assert page.content.decode().count('href="/matches/offers/') == Offer.objects.count()


@pytest.mark.parametrize("model", ["matchrun", "offer", "pairconstraint", "weightformula"])
def test_the_back_office_lists_runs_and_offers_for_their_administrators(
    world, published, client_for, model
):
    client = client_for(world.users["admin"])
    response = client.get(f"/admin/matches/{model}/")
    assert response.status_code == 200
    if model == "offer":
        assert response.content.decode().count("/change/") >= 3
