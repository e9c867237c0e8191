"""Money adds up (issue 13): for random cycles, fee schedules and waiver rules the invoices
issued equal the fees due by the rule's definition; the ledger's balances sum to zero; no
invoice number repeats or skips within an issuer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from talent_exchange.finance import services
from talent_exchange.finance.models import FeeSchedule, Invoice, Posting, WaiverKind
from tests.factories import CycleFactory, OrganizationFactory, ProgramFactory, UserFactory, grant

from .factories import placement_between


def by_definition(
    kind: str, percent: int, fee: Decimal, host_fee: Decimal, flat: Decimal, sent: int, hosted: int
) -> Decimal:
    """The waiver rules as docs/finance.md states them, written independently."""
    if sent == 0 and hosted == 0:
        return Decimal(0)
    both = sent > 0 and hosted > 0
    if kind == WaiverKind.WAIVE_IF_BOTH and both:
        return Decimal(0)
    billed_sent = max(0, sent - hosted) if kind == WaiverKind.NET_OF_HOSTED else sent
    total = fee * billed_sent + host_fee * hosted + flat
    if kind == WaiverKind.REDUCE_IF_BOTH and both:
        total -= (total * percent / Decimal(100)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    return total


amounts = st.decimals(min_value=0, max_value=5000, places=2)


class FeesAndLedgerAddUp(TestCase):
    @settings(max_examples=12, deadline=None)
    @given(
        moves=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=7),
        kind=st.sampled_from(WaiverKind.values),
        percent=st.integers(1, 100),
        fee=amounts,
        host_fee=amounts,
        flat=amounts,
        payments=st.lists(
            st.tuples(
                st.sampled_from(["pay", "credit", "waive", "write_off"]), st.integers(0, 100)
            ),
            max_size=4,
        ),
    )
    def test_invoices_equal_fees_due_and_balances_sum_to_zero(
        self, moves, kind, percent, fee, host_fee, flat, payments
    ):
        orgs = [OrganizationFactory() for _ in range(4)]
        issuer = OrganizationFactory()
        program = ProgramFactory(administering_organization=issuer, organizations=orgs)
        cycle = CycleFactory(program=program)
        treasurer = UserFactory()
        grant(treasurer, "treasurer", program=program)
        for home, host in moves:
            if home != host:
                placement_between(cycle, orgs[home], orgs[host])
        FeeSchedule.objects.create(
            cycle=cycle, per_participant_sent=fee, per_place_hosted=host_fee,
            flat_per_organization=flat, waiver=kind, waiver_percent=percent,
        )  # fmt: skip
        drafts = services.generate_fee_invoices(cycle, treasurer)
        for draft in drafts:
            services.issue_invoice(draft, treasurer, issued_on=date(2027, 5, 1))
        sent = {o.pk: sum(1 for h, t in moves if h != t and orgs[h] == o) for o in orgs}
        hosted = {o.pk: sum(1 for h, t in moves if h != t and orgs[t] == o) for o in orgs}
        invoiced = {i.recipient_id: i.total for i in Invoice.objects.filter(program=program)}
        for org in orgs:
            expected = by_definition(
                kind, percent, fee, host_fee, flat, sent[org.pk], hosted[org.pk]
            )
            assert invoiced.get(org.pk, Decimal(0)) == expected
        # pay, credit, waive or write off parts of what is owed; the ledger stays balanced
        day = date(2027, 5, 2)
        for (what, share), invoice in zip(
            payments, Invoice.objects.filter(program=program, kind="fee"), strict=False
        ):
            amount = (invoice.open_amount * share / 100).quantize(Decimal("0.01"))
            if what == "pay" and amount > 0:
                services.record_payment(invoice, treasurer, amount=amount, received_on=day)
            elif what == "credit" and amount > 0:
                services.issue_credit_note(
                    invoice, treasurer, amount=amount, reason="r", issued_on=day
                )
            elif what == "waive":
                services.waive_invoice(invoice, treasurer, note="r", on=day)
            elif what == "write_off":
                services.write_off_invoice(invoice, treasurer, note="r", on=day)
        assert sum(services.balances(Posting.objects.filter(program=program)).values()) == 0
        numbers = sorted(Invoice.objects.filter(issuer=issuer).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
