"""Fees, invoices, payments, credit notes, the ledger, cost arrangements and backfill: the
examples of issue 13, and the bad input it names, refused with nothing half-written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.finance import services
from talent_exchange.finance.models import (
    BackfillPlan,
    CoverMethod,
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    Payment,
    Posting,
    WaiverKind,
)
from talent_exchange.nominations.models import NominationStatus
from tests.factories import NominationFactory, PersonFactory

from .factories import FeeScheduleFactory, placement_between, reimbursable

TODAY = date(2027, 6, 1)


def _exchange(w):
    """A and B send two each to the other; C sends two to A and hosts nobody."""
    for home, host in (
        [(w.city_a, w.city_b)] * 2 + [(w.city_b, w.city_a)] * 2 + [(w.city_c, w.city_a)] * 2
    ):
        placement_between(w.cycle, home, host)


def _fees(w, **kwargs):
    FeeScheduleFactory(cycle=w.cycle, **kwargs)
    _exchange(w)
    return services.generate_fee_invoices(w.cycle, w.users["treasurer"])


def test_send_and_host_waiver_charges_only_the_net_sender(money_world):
    w = money_world
    drafts = _fees(w)
    assert [(d.recipient, d.total) for d in drafts] == [(w.city_c, Decimal("2000.00"))]
    due = {d.organization_id: d.total for d in services.fees_due(FeeSchedule.objects.get())}
    assert due[w.city_a.pk] == 0 and due[w.city_b.pk] == 0


def test_without_waiver_everyone_pays_and_reduction_is_a_percentage(money_world):
    w = money_world
    drafts = _fees(w, waiver=WaiverKind.NONE)
    assert sorted(d.total for d in drafts) == [Decimal("2000.00")] * 3
    schedule = FeeSchedule.objects.get()
    schedule.waiver, schedule.waiver_percent = WaiverKind.REDUCE_IF_BOTH, 25
    assert schedule.fee_due(2, 2) == Decimal("1500.00")
    assert schedule.fee_due(2, 0) == Decimal("2000.00")
    schedule.waiver = WaiverKind.WAIVE_IF_BOTH
    schedule.flat_per_organization = Decimal("300")
    assert schedule.fee_due(1, 3) == 0 and schedule.fee_due(1, 0) == Decimal("1300.00")


def test_placements_not_started_do_not_count(money_world):
    w = money_world
    FeeScheduleFactory(cycle=w.cycle)
    placement_between(w.cycle, w.city_c, w.city_a, status="agreement")
    assert services.generate_fee_invoices(w.cycle, w.users["treasurer"]) == []


def test_negative_fees_are_refused_and_only_keepers_set_fees(money_world):
    w = money_world
    with pytest.raises(ActionRefused):
        services.save_fee_schedule(w.cycle, w.users["admin"], per_participant_sent=Decimal("-1"))
    with pytest.raises(PermissionDenied):
        services.save_fee_schedule(w.cycle, w.users["finance_a"], per_participant_sent=Decimal("5"))
    assert not FeeSchedule.objects.exists()


def test_issue_pay_and_ledger(money_world):
    w = money_world
    (draft,) = _fees(w)
    issued = services.issue_invoice(draft, w.users["finance_county"], issued_on=TODAY)
    assert issued.number == 1 and issued.status == InvoiceStatus.ISSUED
    assert issued.reference.endswith("-000001")
    with pytest.raises(ActionRefused, match="more than"):
        services.record_payment(
            issued, w.users["finance_county"], amount=Decimal("2000.01"), received_on=TODAY
        )
    assert not Payment.objects.exists()
    services.record_payment(
        issued, w.users["finance_county"], amount=Decimal("500"), received_on=TODAY
    )
    issued.refresh_from_db()
    assert issued.status == InvoiceStatus.PARTLY_PAID and issued.open_amount == Decimal("1500.00")
    balances = services.balances(Posting.objects.all())
    assert balances[(w.city_c.pk, "USD")] == Decimal("-1500.00")
    assert sum(balances.values()) == 0
    services.record_payment(issued, w.users["treasurer"], amount=Decimal("1500"), received_on=TODAY)
    issued.refresh_from_db()
    assert issued.status == InvoiceStatus.PAID
    assert sum(services.balances(Posting.objects.all()).values()) == 0
    assert [t.to_state for t in issued.transitions.all()] == ["issued", "partly_paid", "paid"]


def test_a_finance_officer_of_another_organisation_can_neither_see_nor_issue(money_world):
    w = money_world
    (draft,) = _fees(w)
    assert not Invoice.objects.visible_to(w.users["finance_a"]).exists()
    assert Invoice.objects.visible_to(w.users["finance_county"]).count() == 1
    with pytest.raises(PermissionDenied):
        services.issue_invoice(draft, w.users["finance_a"], issued_on=TODAY)


def test_an_issued_invoice_is_corrected_by_a_credit_note_not_an_edit(money_world):
    w = money_world
    (draft,) = _fees(w)
    issued = services.issue_invoice(draft, w.users["treasurer"], issued_on=TODAY)
    with pytest.raises(ActionRefused, match="credit note"):
        services.edit_draft_lines(issued, w.users["treasurer"], note="change")
    note = services.issue_credit_note(
        issued,
        w.users["treasurer"],
        amount=Decimal("1000"),
        reason="One left early",
        issued_on=TODAY,
    )
    assert note.number == 2 and note.credited_invoice == issued
    issued.refresh_from_db()
    assert issued.open_amount == Decimal("1000.00")
    with pytest.raises(ActionRefused):
        services.record_payment(
            issued, w.users["treasurer"], amount=Decimal("1000.01"), received_on=TODAY
        )
    services.record_payment(issued, w.users["treasurer"], amount=Decimal("1000"), received_on=TODAY)
    issued.refresh_from_db()
    assert issued.status == InvoiceStatus.PAID
    assert services.balances(Posting.objects.all())[(w.city_c.pk, "USD")] == 0


def test_waive_needs_a_reason_and_clears_the_debt(money_world):
    w = money_world
    (draft,) = _fees(w)
    issued = services.issue_invoice(draft, w.users["treasurer"], issued_on=TODAY)
    with pytest.raises(ActionRefused):
        services.waive_invoice(issued, w.users["treasurer"], note=" ", on=TODAY)
    with pytest.raises(PermissionDenied):
        services.waive_invoice(issued, w.users["finance_county"], note="x", on=TODAY)
    services.waive_invoice(issued, w.users["treasurer"], note="Hardship", on=TODAY)
    assert all(v == 0 for v in services.balances(Posting.objects.all()).values())


def test_the_database_refuses_a_one_sided_posting_and_a_repeated_number(money_world):
    w = money_world
    (draft,) = _fees(w)
    issued = services.issue_invoice(draft, w.users["treasurer"], issued_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(
            program=w.program, debtor=w.city_a, creditor=w.city_a, amount=1, currency="USD",
            invoice=issued, memo="x", posted_on=TODAY,
        )  # fmt: skip
    draft = Invoice.objects.create(
        program=w.program, kind="fee", issuer=issued.issuer, recipient=w.city_a, currency="USD"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=draft.pk).update(number=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=draft.pk).update(status="issued", number=issued.number)


def test_cost_arrangement_split_and_freeze(money_world):
    w = money_world
    placement = placement_between(w.cycle, w.city_a, w.city_b, salary_host_percent=100)
    proposed, _components = services.propose_arrangement(placement)
    assert proposed.basis == "reimbursable" and proposed.payer_id == w.city_b.pk
    args = dict(  # noqa: C408
        basis="reimbursable", authority="interchange", payer=w.city_b, payee=w.city_a,
        cap=None, billing_frequency="monthly",
        components=[services.ComponentInput("salary", Decimal("9000"))],
    )  # fmt: skip
    with pytest.raises(ActionRefused, match="100"):
        services.save_arrangement(
            placement, w.users["coord_a"], payer_percent=60, payee_percent=30, **args
        )
    with pytest.raises(ActionRefused):
        services.save_arrangement(
            placement, w.users["coord_a"], payer_percent=100, payee_percent=0,
            **{**args, "components": [services.ComponentInput("travel", Decimal("-5"))]},
        )  # fmt: skip
    assert not placement.invoices.exists()
    arrangement = services.save_arrangement(
        placement, w.users["coord_a"], payer_percent=100, payee_percent=0, **args
    )
    assert arrangement.payer_total() == Decimal("9000.00")
    placement.agreement.frozen_at = timezone.now()
    placement.agreement.save()
    with pytest.raises(ActionRefused, match="signed"):
        services.save_arrangement(
            placement, w.users["coord_a"], payer_percent=100, payee_percent=0, **args
        )


def test_signed_but_not_invoiced_until_the_invoice_is_issued(money_world):
    w = money_world
    placement = placement_between(w.cycle, w.city_a, w.city_b, signed=True, start=date(2027, 1, 1))
    arrangement = reimbursable(placement, frequency="once")
    from talent_exchange.finance.models import CostArrangement

    found = services.signed_not_invoiced(CostArrangement.objects.all(), TODAY)
    assert [f.arrangement for f in found] == [arrangement]
    (draft,) = services.generate_cost_invoices(arrangement, w.users["finance_a"], as_of=TODAY)
    assert draft.total == Decimal("40500.00")  # 30,000 + 30% + 1,500
    assert services.signed_not_invoiced(
        CostArrangement.objects.all(), TODAY
    )  # a draft is not enough
    services.issue_invoice(draft, w.users["finance_a"], issued_on=TODAY)
    assert services.signed_not_invoiced(CostArrangement.objects.all(), TODAY) == []
    assert services.generate_cost_invoices(arrangement, w.users["finance_a"], as_of=TODAY) == []


def test_monthly_periods_add_up_to_the_capped_total(money_world):
    w = money_world
    placement = placement_between(
        w.cycle, w.city_a, w.city_b, signed=True, start=date(2027, 1, 15), months=3
    )
    arrangement = reimbursable(placement, cap=Decimal("10000.01"))
    drafts = services.generate_cost_invoices(arrangement, w.users["treasurer"], as_of=TODAY)
    assert len(drafts) == 3
    assert sum(d.total for d in drafts) == Decimal("10000.01")


def test_backfill_vacancy_chain(money_world):
    w = money_world
    nomination = NominationFactory(cycle=w.cycle, person=w.person_a)
    bea = PersonFactory(organization=w.city_a, first_name="Bo")
    cy = PersonFactory(organization=w.city_a, first_name="Cy")
    plan = services.plan_backfill(
        nomination, w.users["coord_a"], post_title="Budget manager", method=CoverMethod.ACTING,
        acting_person=bea, starts_on=date(2027, 2, 1), ends_on=date(2027, 4, 30),
        developmental=True,
    )  # fmt: skip
    link = services.add_chain_link(
        plan, w.users["coord_a"], post_title="Analyst", method=CoverMethod.ACTING, acting_person=cy
    )
    chain = services.chain_of(plan)
    assert [(c.post_holder, c.acting_person) for c in chain] == [(w.person_a, bea), (bea, cy)]
    with pytest.raises(ActionRefused, match="already in the vacancy chain"):
        services.add_chain_link(
            link, w.users["coord_a"], post_title="x", method="acting", acting_person=bea
        )
    with pytest.raises(PermissionDenied):
        services.plan_backfill(nomination, w.users["coord_b"], post_title="x", method="vacant")
    assert BackfillPlan.objects.visible_to(w.users["coord_b"]).count() == 0


def test_backfill_waits_for_the_endorsement(money_world):
    w = money_world
    nomination = NominationFactory(
        cycle=w.cycle, person=w.person_a, status=NominationStatus.AWAITING_ENDORSEMENT
    )
    with pytest.raises(ActionRefused, match="endorsed"):
        services.plan_backfill(nomination, w.users["coord_a"], post_title="x", method="vacant")
    assert not BackfillPlan.objects.exists()
