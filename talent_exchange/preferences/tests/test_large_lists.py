"""Rankings at scale (issue 17): the overview pages its lists and asks the rules as queries;
a ranking page shows a searchable handful of choices and one page of ranks."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.nominations.models import Nomination
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences import services, views
from talent_exchange.preferences.models import HostRanking
from talent_exchange.preferences.tests.factories import host_rank, rank
from tests.factories import ROLE_NAMES, UserFactory, grant_by_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 22))


def test_the_lists_a_user_may_open_are_exactly_what_the_rules_allow(market):
    cycle = market.world.cycle
    users = [*market.world.users.values(), UserFactory(is_superuser=True)]
    for user in users:
        lists = services.ranking_lists_for(user, cycle)
        assert set(lists.nominations) == {
            n
            for n in Nomination.objects.endorsed().in_cycle(cycle)
            if user.has_perm("preferences.view_participant_ranking", n)
        }, user
        assert set(lists.opportunities) == {
            o
            for o in Opportunity.objects.approved().for_cycle(cycle)
            if user.has_perm("preferences.view_host_ranking", o)
        }, user


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(grants=st.lists(st.tuples(st.sampled_from(ROLE_NAMES), st.integers(0, 5)), max_size=3))
def test_for_any_mix_of_roles_the_query_agrees_with_the_rules(market, grants):
    world = market.world
    cycle = world.cycle
    user = UserFactory()
    for role, index in grants:
        grant_by_index(
            user,
            role,
            index,
            programs=[world.program],
            organizations=[world.city_a, world.city_b, world.outsider_org],
            cycles=[cycle],
        )
    lists = services.ranking_lists_for(user, cycle)
    assert {n.pk for n in lists.nominations} == {
        n.pk
        for n in Nomination.objects.endorsed().in_cycle(cycle)
        if user.has_perm("preferences.view_participant_ranking", n)
    }
    assert {o.pk for o in lists.opportunities} == {
        o.pk
        for o in Opportunity.objects.approved().for_cycle(cycle)
        if user.has_perm("preferences.view_host_ranking", o)
    }


def test_the_overview_pages_both_lists_and_counts_the_started_ones(market, client_for, settings):
    settings.PAGE_SIZE = 2
    world = market.world
    rank(market.nom_b, market.opp_a)
    for index in range(3):
        NominationFactory(cycle=world.cycle, person__organization=world.city_a)
        OpportunityFactory(
            cycle=world.cycle, host_organization=world.city_b, title=f"Extra {index}"
        )
    client = client_for(world.users["admin"])
    url = reverse("preferences:cycle", args=[world.cycle.pk])
    page = client.get(url).content.decode()
    assert page.count("/preferences/nomination/") == 2
    assert page.count("/preferences/opportunity/") == 2
    assert "1 of 5 nominees have started their list." in page
    assert "0 of 7 opportunities have candidates ranked by their host." in page
    last = client.get(url, {"hosts_page": 4, "participants_page": 3}).content.decode()
    assert last.count("/preferences/opportunity/") == 1
    assert last.count("/preferences/nomination/") == 1
    assert "participants_page=2&amp;hosts_page=" not in last  # each list keeps the other's page
    assert "hosts_page=4&amp;participants_page=2" in last


def _choices(page: str) -> int:
    """How many options the "add" select offers."""
    if 'id="id_choice"' not in page:
        return 0
    select = page.split('id="id_choice"', 1)[1].split("</select>", 1)[0]
    return select.count("<option ")


def test_a_ranking_page_shows_a_handful_of_choices_and_finds_the_rest(
    market, client_for, monkeypatch
):
    monkeypatch.setattr(views, "CHOICES_SHOWN", 2)
    world = market.world
    OpportunityFactory(cycle=world.cycle, host_organization=world.city_b, title="Zoning reform")
    client = client_for(world.users["participant"])
    url = reverse("preferences:participant", args=[market.nom_a.pk])
    page = client.get(url).content.decode()
    # Four rankable opportunities (not City A's own), two shown, and a way to find the rest.
    assert _choices(page) == 2
    assert "Showing 2 of 4 choices" in page
    found = client.get(url, {"find": "zoning"}).content.decode()
    assert _choices(found) == 1 and "Zoning reform" in found
    nothing = client.get(url, {"find": "no such thing"}).content.decode()
    assert "Nothing you can add matches" in nothing


def test_a_popular_opportunitys_ranked_candidates_come_a_page_at_a_time(
    market, client_for, monkeypatch
):
    monkeypatch.setattr(views, "RANKS_PER_PAGE", 2)
    world = market.world
    extra = [
        NominationFactory(cycle=world.cycle, person__organization=world.city_a) for _ in range(3)
    ]
    host_rank(market.opp_b1, market.nom_a, *extra)
    client = client_for(world.users["coord_b"])
    url = reverse("preferences:host", args=[market.opp_b1.pk])
    first = client.get(url).content.decode()
    assert "Ranked candidates (4)" in first
    assert first.count('name="action" value="up:') == 2
    second = client.get(url, {"page": 2}).content.decode()
    assert 'start="3"' in second
    # Moving the third candidate up takes the page to where it now stands.
    third = extra[1]
    response = client.post(url, {"action": f"up:{third.pk}", "page": "2"})
    assert response.status_code == 302
    order = list(
        HostRanking.objects.filter(opportunity=market.opp_b1)
        .order_by("rank")
        .values_list("nomination_id", flat=True)
    )
    assert order.index(third.pk) == 1
    moved = client.get(response["Location"]).content.decode()
    assert f'id="choice-{third.pk}"' in moved and 'start="1"' in moved


def test_a_host_ranking_costs_the_same_queries_for_5_and_50_ranked_candidates(
    market, client_for, django_assert_max_num_queries, monkeypatch
):
    """Only the shown page of ranked candidates is loaded (issue 17: a popular slot has
    hundreds), and the page's queries do not grow with the list."""
    monkeypatch.setattr(views, "RANKS_PER_PAGE", 10)
    world = market.world
    client = client_for(world.users["coord_b"])
    url = reverse("preferences:host", args=[market.opp_b1.pk])

    def ranked(n: int) -> list:
        HostRanking.objects.filter(opportunity=market.opp_b1).delete()
        extra = [
            NominationFactory(cycle=world.cycle, person__organization=world.city_a)
            for _ in range(n)
        ]
        host_rank(market.opp_b1, *extra)
        return extra

    ranked(5)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        page = client.get(url).content.decode()
    assert "Ranked candidates (5)" in page
    extra = ranked(50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "Ranked candidates (50)" in page
    assert page.count('name="action" value="up:') == views.RANKS_PER_PAGE
    # The last page holds the rest, numbered on from the first page.
    last = client.get(url, {"page": 5}).content.decode()
    assert f'id="choice-{extra[-1].pk}"' in last
    assert 'start="41"' in last and last.count('name="action" value="up:') == 10


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    names=st.lists(
        st.tuples(st.sampled_from(["Ng", "Ngo", "Abe", "Zed"]), st.sampled_from(["Al", "Bo"])),
        min_size=0,
        max_size=8,
    ),
    shown=st.integers(1, 6),
)
def test_walking_people_by_name_finds_the_same_candidates_as_sorting_them_all(
    market, monkeypatch, names, shown
):
    """A large pool's first candidates are found by walking people in name order; a small
    pool is sorted whole. Both give the same candidates in the same order (ties by person),
    and people with no nomination in the pool (a non-candidate Aaron, the host's own staff)
    are passed over."""
    world = market.world
    opportunity = market.opp_b1  # hosted by City B
    for last, first in names:
        NominationFactory(
            cycle=world.cycle,
            person__organization=world.city_a,
            person__last_name=last,
            person__first_name=first,
        )
    NominationFactory(cycle=world.cycle, person__organization=world.city_b, person__last_name="Aa")
    monkeypatch.setattr(views, "CHOICES_SHOWN", shown)
    pool = services.rankable_candidates(opportunity)
    total = pool.count()
    monkeypatch.setattr(views, "WALK_BY_NAME_FROM", total + 1)
    sorted_whole = views._candidates_by_name(pool, total)
    monkeypatch.setattr(views, "WALK_BY_NAME_FROM", 0)
    walked = views._candidates_by_name(pool, total)
    assert walked == sorted_whole
    assert len(walked) == min(shown, total)
    assert all(n.home_organization_id != opportunity.host_organization_id for n in walked)
    keys = [(n.person.last_name, n.person.first_name, n.person_id) for n in walked]
    assert keys == sorted(keys)
