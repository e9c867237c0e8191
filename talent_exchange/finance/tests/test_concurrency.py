"""Two people issuing invoices of one issuer at the same moment never get the same number,
and none is skipped (real concurrent transactions: tests/concurrency.py)."""

from __future__ import annotations

from datetime import date

import pytest

from talent_exchange.finance import services
from talent_exchange.finance.models import Invoice
from tests.concurrency import race

from .factories import FeeScheduleFactory, placement_between

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_drafts(money_world):
    w = money_world
    FeeScheduleFactory(cycle=w.cycle, waiver="none")
    placement_between(w.cycle, w.city_a, w.city_b)
    placement_between(w.cycle, w.city_c, w.city_a)
    drafts = services.generate_fee_invoices(w.cycle, w.users["treasurer"])
    assert len(drafts) == 2
    services.billing_profile(w.program.administering_organization)
    return drafts


def test_two_issuers_at_once_get_consecutive_numbers(money_world, two_drafts, concurrent_db):
    w, drafts = money_world, two_drafts
    treasurer, officer = w.users["treasurer"], w.users["finance_county"]
    outcomes = race(
        lambda: (
            services.issue_invoice(
                Invoice.objects.get(pk=drafts[0].pk), treasurer, issued_on=date(2027, 5, 1)
            ).number
        ),
        lambda: (
            services.issue_invoice(
                Invoice.objects.get(pk=drafts[1].pk), officer, issued_on=date(2027, 5, 1)
            ).number
        ),
    )
    assert sorted(o[1] for o in outcomes) == [1, 2], outcomes
    numbers = concurrent_db(lambda: sorted(Invoice.objects.values_list("number", flat=True)))
    assert numbers == [1, 2]
