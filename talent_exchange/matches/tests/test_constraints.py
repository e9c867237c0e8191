"""Locking and forbidding pairs on the constraints page, and what the next run does."""

from __future__ import annotations

import pytest
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
