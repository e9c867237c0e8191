"""A cycle's opportunities list: its rows, written by opportunities.presenters.opportunity_rows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from talent_exchange.opportunities.models import Opportunity
from talent_exchange.opportunities.presenters import opportunity_rows
from tests.factories import OpportunityFactory, OrganizationFactory, SkillFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>&'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"


def _rows(*opportunities):
    return list(
        Opportunity.objects.filter(pk__in=[o.pk for o in opportunities]).order_by("pk").for_rows()
    )


def test_a_row_escapes_what_hosts_typed_and_links_to_the_opportunity(world):
    opportunity = OpportunityFactory(
        cycle=world.cycle,
        title=HOSTILE,
        location=HOSTILE,
        host_organization=OrganizationFactory(name=HOSTILE),
    )
    opportunity.skills_required.add(SkillFactory(name=HOSTILE))
    html = opportunity_rows(_rows(opportunity))
    assert "<script>" not in html
    assert html.count(ESCAPED) == 4  # title, host, location, skill
    assert f'href="{reverse("opportunities:detail", args=[opportunity.pk])}"' in html
    assert f'<td data-label="Where">{ESCAPED} (on site)</td>' in html
    assert '<td data-label="Duration">3 months</td>' in html


def test_skills_durations_and_blanks_in_one_query(world, django_assert_num_queries):
    one = OpportunityFactory(cycle=world.cycle, duration_months=1, location="")
    other = OpportunityFactory(cycle=world.cycle)
    for name in ["Zoning", "Budgeting", "Audit", "Procurement", "Mediation"]:
        other.skills_required.add(SkillFactory(name=name))
    rows = _rows(one, other)
    with django_assert_num_queries(1):
        html = opportunity_rows(rows)
    assert '<td data-label="Duration">1 month</td>' in html
    assert '<td data-label="Where">— (on site)</td>' in html
    assert '<td data-label="Skills required">—</td>' in html
    assert "Audit, Budgeting, Mediation, Procurement</td>" in html and "Zoning" not in html


def test_the_labels_and_the_title_follow_the_language(world):
    opportunity = OpportunityFactory(
        cycle=world.cycle, title="Budget analyst", title_fr="Analyste budgétaire"
    )
    with translation.override("fr"):
        html = opportunity_rows(_rows(opportunity))
    for label in ("Occasion", "Hôte", "Durée", "Lieu", "Compétences requises"):
        assert f'data-label="{label}"' in html
    assert ">Analyste budgétaire</a>" in html
    assert '<td data-label="Durée">3 mois</td>' in html
