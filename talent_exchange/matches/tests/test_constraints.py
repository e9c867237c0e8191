"""Locking and forbidding pairs on the constraints page, and what the next run does."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from talent_exchange.matches import services
from talent_exchange.matches.models import PairConstraint

from .factories import small_market

pytestmark = pytest.mark.django_db


def test_lock_a_pair_then_the_next_run_places_it_then_remove_it(world, client_for):
    m = small_market(world)
    admin = world.users["admin"]
    client = client_for(admin)
    url = reverse("matches:constraints", args=[m.cycle.pk])
    # Without the lock, stable mode gives A's place to Cy (A's host ranks Cy first).
    first = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    assert {"participant": f"n{m.cy.pk}", "slot": f"o{m.at_a.pk}"}.items() <= next(
        a for a in first.result["assignments"] if a["slot"] == f"o{m.at_a.pk}"
    ).items()
    missing = client.post(url, {"nomination": m.bo.pk, "opportunity": m.at_a.pk, "rule": "lock"})
    assert missing.status_code == 200 and "usa-error-message" in missing.content.decode()
    client.post(
        url,
        {"nomination": m.bo.pk, "opportunity": m.at_a.pk, "rule": "lock", "reason": "Panel"},
    )
    rule = PairConstraint.objects.get()
    assert rule.reason == "Panel" and rule.created_by == admin
    page = client.get(url).content.decode()
    assert "Panel" in page and str(m.bo.person) in page
    second = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    locked = next(a for a in second.result["assignments"] if a["slot"] == f"o{m.at_a.pk}")
    assert locked["participant"] == f"n{m.bo.pk}" and locked["locked"] is True
    client.post(reverse("matches:constraint_delete", args=[rule.pk]))
    assert not PairConstraint.objects.exists()


def test_a_pair_outside_the_cycle_is_refused(world):
    from talent_exchange.core.exceptions import ActionRefused
    from tests.factories import CycleFactory

    from .factories import OpportunityFactory

    m = small_market(world)
    elsewhere = OpportunityFactory(cycle=CycleFactory(program=world.program))
    with pytest.raises(ActionRefused, match="both be in this cycle"):
        services.constrain_pair(
            m.cycle, m.ada, elsewhere, rule="lock", reason="x", actor=world.users["admin"]
        )


def _many_candidates_and_opportunities(m, world, n):
    from talent_exchange.nominations.models import NominationStatus
    from talent_exchange.nominations.tests.factories import NominationFactory
    from talent_exchange.opportunities.models import OpportunityStatus
    from talent_exchange.people.tests.factories import PersonFactory

    from .factories import OpportunityFactory

    for i in range(n):
        NominationFactory(
            cycle=m.cycle,
            status=NominationStatus.ENDORSED,
            person=PersonFactory(organization=world.city_a, last_name=f"Many{i:03d}"),
        )
        OpportunityFactory(
            cycle=m.cycle,
            host_organization=world.city_b,
            status=OpportunityStatus.APPROVED,
            title=f"Slot{i:03d}",
        )


@pytest.mark.parametrize("n", [5, 50])
def test_the_page_offers_a_few_choices_in_flat_queries(
    world, client_for, django_assert_max_num_queries, n
):
    from talent_exchange.matches.views import CHOICES_SHOWN

    m = small_market(world)
    _many_candidates_and_opportunities(m, world, n)
    for i in range(n):
        services.constrain_pair(
            m.cycle,
            m.cycle.nominations.get(person__last_name=f"Many{i:03d}"),
            m.cycle.opportunities.get(title=f"Slot{i:03d}"),
            rule="forbid",
            reason=f"Reason{i:03d}",
            actor=world.users["admin"],
        )
    client = client_for(world.users["admin"])
    url = reverse("matches:constraints", args=[m.cycle.pk])
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert page.count(">Reason0") == min(n, settings.PAGE_SIZE)
    assert page.count("Many") <= CHOICES_SHOWN + 2 * settings.PAGE_SIZE  # a row names twice
    added = page.split("Add a rule")[1].split("Save the rule")[0]
    assert added.count('<option value="') <= 2 * CHOICES_SHOWN + 3  # and the rules
    if n > settings.PAGE_SIZE:
        second = client.get(url, {"page": 2}).content.decode()
        assert "Reason" + f"{n - 1:03d}" in second


def test_a_candidate_found_by_name_can_be_locked_to_an_opportunity_not_listed(world, client_for):
    m = small_market(world)
    _many_candidates_and_opportunities(m, world, 40)
    client = client_for(world.users["admin"])
    url = reverse("matches:constraints", args=[m.cycle.pk])
    found = client.get(url, {"find_candidate": "Many039", "find_opportunity": "Slot039"})
    page = found.content.decode()
    assert "Many039" in page and "Many000" not in page.split("Add a rule")[1]
    late = m.cycle.opportunities.get(title="Slot039")  # beyond the first lists, by title
    nominee = m.cycle.nominations.get(person__last_name="Many039")
    client.post(
        url,
        {"nomination": nominee.pk, "opportunity": late.pk, "rule": "lock", "reason": "Typed"},
    )
    rule = PairConstraint.objects.get()
    assert (rule.nomination, rule.opportunity) == (nominee, late)
    outside = client.post(
        url, {"nomination": 999999, "opportunity": late.pk, "rule": "lock", "reason": "x"}
    )
    assert "usa-error-message" in outside.content.decode()
    assert PairConstraint.objects.count() == 1
