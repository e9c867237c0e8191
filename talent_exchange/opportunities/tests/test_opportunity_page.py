"""An opportunity's page: its skills read as names in one query (presenters.skill_names),
shown as before, escaped, and the page's queries flat whatever the number of skills."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talent_exchange.opportunities.presenters import skill_names
from tests.factories import SkillFactory

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>&'


def _skills(*names: str) -> list:
    return [SkillFactory(name=name) for name in names]


def test_both_lists_by_name_in_one_query(world, django_assert_num_queries):
    opportunity = OpportunityFactory(cycle=world.cycle, host_organization=world.city_b)
    opportunity.skills_required.add(*_skills("Zoning", "audit", HOSTILE))
    opportunity.skills_developed.add(*_skills("Zoning", "Budgeting"))
    with django_assert_num_queries(1):
        names = skill_names(opportunity.pk)
    assert names == {
        "skills_required": [
            s.name for s in opportunity.skills_required.order_by("name")
        ],  # the database's order by name, as the prefetched skills were
        "skills_developed": ["Budgeting", "Zoning"],
    }
    assert skill_names(OpportunityFactory(cycle=world.cycle).pk) == {
        "skills_required": [],
        "skills_developed": [],
    }


def test_the_page_shows_the_skills_escaped_in_flat_queries(
    world, client_for, django_assert_max_num_queries
):
    opportunity = OpportunityFactory(
        cycle=world.cycle, host_organization=world.city_b, status="approved"
    )
    client = client_for(world.users["participant"])
    url = reverse("opportunities:detail", args=[opportunity.pk])
    with django_assert_max_num_queries(20) as none:
        page = client.get(url).content.decode()
    assert "<dt>Skills required</dt><dd>—</dd>" in page
    assert "<dt>Skills developed</dt><dd>—</dd>" in page
    opportunity.skills_required.add(*_skills("Zoning", HOSTILE, "Audit"))
    opportunity.skills_developed.add(*_skills("Budgeting", "Zoning"))
    with django_assert_max_num_queries(len(none.captured_queries)):
        page = client.get(url).content.decode()
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"
    assert "<script>alert" not in page
    required = page[page.index("<dt>Skills required</dt>") :]
    assert required.startswith("<dt>Skills required</dt><dd>")
    assert f"{escaped}" in required[: required.index("</dd>")]
    assert "Audit" in required[: required.index("</dd>")]
    assert "<dt>Skills developed</dt><dd>Budgeting, Zoning</dd>" in page
