"""Opportunity pages: the permission matrix (role × object × action), filters, query counts,
and errors next to the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talent_exchange.opportunities.models import Opportunity
from tests.factories import SkillFactory

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "coord_a",
    "coord_b",
    "supervisor",
    "participant",
    "panelist",
    "board",
    "auditor",
    "nobody",
]


@pytest.fixture
def slots(world):
    """One opportunity of City A in each interesting state."""
    make = lambda status, title: OpportunityFactory(  # noqa: E731
        cycle=world.cycle, host_organization=world.city_a, status=status, title=title
    )
    return {
        "draft": make("draft", "Draft slot"),
        "submitted": make("submitted", "Submitted slot"),
        "approved": make("approved", "Approved slot"),
    }


# Who sees City A's opportunity on its page, by state (404 otherwise).
VIEW = {
    #               draft  submitted approved
    "admin": (True, True, True),
    "coord_a": (True, True, True),
    "coord_b": (False, False, True),
    "supervisor": (False, False, True),
    "participant": (False, False, True),
    "panelist": (False, False, True),
    "board": (False, False, True),
    "auditor": (True, True, True),
    "nobody": (False, False, False),
}
STATES = ("draft", "submitted", "approved")


@pytest.mark.parametrize(
    ("role", "state", "allowed"),
    [(r, s, VIEW[r][i]) for r in ROLES for i, s in enumerate(STATES)],
)
def test_view_opportunity(world, slots, client_for, role, state, allowed):
    opportunity = slots[state]
    response = client_for(world.users[role]).get(
        reverse("opportunities:detail", args=[opportunity.pk])
    )
    if allowed:
        assert response.status_code == 200
        assert opportunity.title in response.content.decode()
    else:
        assert response.status_code in (403, 404)
        assert opportunity.title not in response.content.decode()


# (role, may post into the cycle, may edit City A's draft, may approve City A's submitted one)
WRITE = {
    "admin": (False, False, True),
    "coord_a": (True, True, False),
    "coord_b": (True, False, False),  # posts for City B, never edits City A's
    "supervisor": (False, False, False),
    "participant": (False, False, False),
    "panelist": (False, False, False),
    "board": (False, False, False),
    "auditor": (False, False, False),
    "nobody": (False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_post_edit_approve(world, slots, client_for, role):
    may_post, may_edit, may_approve = WRITE[role]
    client = client_for(world.users[role])
    assert (
        client.get(reverse("opportunities:create", args=[world.cycle.pk])).status_code == 200
    ) == may_post
    draft = slots["draft"]
    response = client.post(reverse("opportunities:edit", args=[draft.pk]), {"title": "Hijacked"})
    assert (response.status_code == 200) == may_edit  # 200: the form with errors, for the owner
    assert Opportunity.objects.get(pk=draft.pk).title == "Draft slot"
    submitted = slots["submitted"]
    response = client.post(
        reverse("opportunities:review", args=[submitted.pk]), {"decision": "approve"}
    )
    status = Opportunity.objects.get(pk=submitted.pk).status
    assert (status == "approved") == may_approve
    if not may_approve:
        assert response.status_code in (403, 404)


def test_coordinator_posts_and_submits_through_the_pages(world, client_for):
    skill = SkillFactory(name="Budgeting")
    client = client_for(world.users["coord_a"])
    response = client.post(
        reverse("opportunities:create", args=[world.cycle.pk]),
        {
            "host_organization": world.city_a.pk,
            "assignment_type": "detail",
            "title": "Performance auditor",
            "description": "Audit three programmes.",
            "duration_months": 3,
            "start_earliest": "2027-03-01",
            "start_latest": "2027-04-01",
            "location": "Alameda",
            "workplace": "hybrid",
            "skills_required": [skill.pk],
            "capacity": 2,
        },
    )
    opportunity = Opportunity.objects.get(title="Performance auditor")
    assert response.status_code == 302 and opportunity.status == "draft"
    assert list(opportunity.skills_required.all()) == [skill]
    client.post(reverse("opportunities:submit", args=[opportunity.pk]))
    assert Opportunity.objects.get(pk=opportunity.pk).status == "submitted"


def test_duration_error_shows_next_to_the_field(world, client_for):
    response = client_for(world.users["coord_a"]).post(
        reverse("opportunities:create", args=[world.cycle.pk]),
        {
            "host_organization": world.city_a.pk,
            "assignment_type": "detail",
            "title": "Too long",
            "description": "x",
            "duration_months": 9,
            "start_earliest": "2027-04-01",
            "start_latest": "2027-03-01",
            "workplace": "remote",
            "capacity": 1,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="duration_months-error"' in html and "from 3 to 3 months" in html
    assert 'id="start_latest-error"' in html
    assert not Opportunity.objects.exists()


def test_admin_returns_with_a_comment_the_host_sees(world, slots, client_for):
    submitted = slots["submitted"]
    admin = client_for(world.users["admin"])
    response = admin.post(
        reverse("opportunities:review", args=[submitted.pk]), {"decision": "return"}
    )
    assert (
        response.status_code == 400
        and "Say what the host should change" in response.content.decode()
    )
    admin.post(
        reverse("opportunities:review", args=[submitted.pk]),
        {"decision": "return", "comment": "Name the coach"},
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    host = client_for(world.users["coord_a"]).get(reverse("core:dashboard"))
    assert "Name the coach" in host.content.decode()


def test_browse_shows_only_approved_and_filters(world, slots, client_for):
    remote = OpportunityFactory(
        cycle=world.cycle,
        host_organization=world.city_b,
        status="approved",
        title="Remote data fellow",
        workplace="remote",
        assignment_type="fellowship",
    )
    skill = SkillFactory(name="Data analysis")
    remote.skills_developed.add(skill)
    client = client_for(world.users["participant"])
    url = reverse("opportunities:list", args=[world.cycle.pk])
    html = client.get(url).content.decode()
    assert "Approved slot" in html and "Remote data fellow" in html
    assert "Draft slot" not in html and "Submitted slot" not in html
    for query in (
        {"workplace": "remote"},
        {"skill": skill.pk},
        {"assignment_type": "fellowship"},
        {"host_organization": world.city_b.pk},
        {"q": "data"},
    ):
        html = client.get(url, query).content.decode()
        assert "Remote data fellow" in html and "Approved slot" not in html, query
    fragment = client.get(url, {"workplace": "remote"}, headers={"HX-Request": "true"})
    assert "<h1" not in fragment.content.decode()


def test_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["participant"])
    url = reverse("opportunities:list", args=[world.cycle.pk])
    for n in range(3):
        o = OpportunityFactory(cycle=world.cycle, host_organization=world.city_a, status="approved")
        o.skills_required.add(SkillFactory(name=f"S{n}"))
    with django_assert_max_num_queries(11) as few:  # the rows: page, count, skills
        client.get(url)
    for n in range(20):
        o = OpportunityFactory(cycle=world.cycle, host_organization=world.city_b, status="approved")
        o.skills_required.add(SkillFactory(name=f"T{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_admin_queue_and_dashboard(world, slots, client_for):
    admin = client_for(world.users["admin"])
    html = admin.get(reverse("opportunities:queue", args=[world.cycle.pk])).content.decode()
    assert "Submitted slot" in html and "Draft slot" not in html and "Approved slot" not in html
    dashboard = admin.get(reverse("core:dashboard")).content.decode()
    assert "Opportunities awaiting your approval" in dashboard and "Submitted slot" in dashboard
    assert (
        client_for(world.users["coord_a"])
        .get(reverse("opportunities:queue", args=[world.cycle.pk]))
        .status_code
        == 403
    )


def test_coordinator_sees_own_drafts_not_others(world, slots, client_for):
    OpportunityFactory(
        cycle=world.cycle, host_organization=world.city_b, status="draft", title="Beta draft"
    )
    html = (
        client_for(world.users["coord_a"])
        .get(reverse("opportunities:own", args=[world.cycle.pk]))
        .content.decode()
    )
    assert "Draft slot" in html and "Submitted slot" in html and "Beta draft" not in html


def test_cycle_page_links_to_opportunities(world, client_for):
    html = (
        client_for(world.users["participant"])
        .get(reverse("programs:cycle", args=[world.cycle.pk]))
        .content.decode()
    )
    assert reverse("opportunities:list", args=[world.cycle.pk]) in html
