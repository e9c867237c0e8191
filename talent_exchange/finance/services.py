"""Writes to the program's money and to backfill plans, one verb per function. Each checks
the permission, runs in a transaction, locks what it changes, records history and refuses
with a message a person understands (``ActionRefused``); nothing is half-written.

Money is ``Decimal`` throughout (``models.money``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.placements.models import Placement, Status, add_months

from .models import (
    DEFAULT_CURRENCY,
    FREQUENCY_MONTHS,
    INVOICE_WORKFLOW,
    ZERO,
    BackfillPlan,
    Basis,
    BillingProfile,
    BudgetLine,
    Component,
    CostArrangement,
    CostArrangementQuerySet,
    CostComponent,
    CostDefaults,
    CoverMethod,
    Expense,
    FeeLine,
    FeeSchedule,
    Frequency,
    FundingLine,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Payment,
    Posting,
    PostingQuerySet,
    WaiverKind,
    money,
)

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.nominations.models import Nomination
    from talent_exchange.organizations.models import Organization
    from talent_exchange.people.models import Person
    from talent_exchange.programs.models import Cycle, Program

# Placements that count for fees: the assignment has started (or has been and gone).
STARTED = (Status.ACTIVE, Status.EXTENDED, Status.ENDED_EARLY, Status.RETURNED, Status.CLOSED)


def _not_negative(**amounts: Decimal | None) -> None:
    for value in amounts.values():
        if value is not None and value < 0:
            raise ActionRefused(_("Amounts cannot be negative."))


# ---------------------------------------------------------------------------------------------
# Billing profiles
# ---------------------------------------------------------------------------------------------


def billing_profile(organization: Organization) -> BillingProfile:
    """The organisation's billing profile, made with the defaults the first time (safe when
    two transactions make it at once)."""
    found: BillingProfile | None = BillingProfile.objects.filter(organization=organization).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return BillingProfile.objects.create(organization=organization)
    except IntegrityError:
        return BillingProfile.objects.get(organization=organization)


def currency_of(organization_id: int) -> str:
    """The organisation's invoicing currency (the default until it sets one); reads only."""
    found = BillingProfile.objects.filter(organization_id=organization_id).first()
    return found.currency if found is not None else DEFAULT_CURRENCY


def save_billing_profile(
    organization: Organization, actor: User, *, currency: str, address: str, prefix: str
) -> BillingProfile:
    require(
        actor,
        "finance.view_ledger",
        organization,
        _("Only the organisation's finance officers keep its billing details."),
    )
    profile = billing_profile(organization)
    with transaction.atomic():
        locked: BillingProfile = BillingProfile.objects.select_for_update().get(pk=profile.pk)
        if currency != locked.currency and locked.last_number:
            raise ActionRefused(
                _("This organisation has issued invoices; its currency can no longer change.")
            )
        locked.currency = currency.upper()
        locked.address = address
        locked.prefix = prefix
        attribute_to(locked, actor)
        locked.save()
    return locked


# ---------------------------------------------------------------------------------------------
# Program funding: fee schedules, funding lines, budget, expenses, cost defaults
# ---------------------------------------------------------------------------------------------


def save_fee_schedule(cycle: Cycle, actor: User, **fields: Any) -> FeeSchedule:
    require(
        actor,
        "finance.manage_funding",
        cycle,
        _("Only the program's treasurer and administrators set its fees."),
    )
    _not_negative(
        a=fields.get("per_participant_sent"),
        b=fields.get("per_place_hosted"),
        c=fields.get("flat_per_organization"),
    )
    if fields.get("waiver") == WaiverKind.REDUCE_IF_BOTH and not fields.get("waiver_percent"):
        raise ActionRefused(_("Give the percentage by which the fees are reduced."))
    if not 0 <= int(fields.get("waiver_percent") or 0) <= 100:
        raise ActionRefused(_("A reduction is between 0 and 100%."))
    with transaction.atomic():
        schedule = FeeSchedule.objects.select_for_update().filter(cycle=cycle).first()
        if schedule is None:
            schedule = FeeSchedule(cycle=cycle)
        for name, value in fields.items():
            setattr(schedule, name, value)
        attribute_to(schedule, actor)
        schedule.save()
    return schedule


def save_funding_line(line: FundingLine, actor: User) -> FundingLine:
    require(
        actor,
        "finance.manage_funding",
        line.program,
        _("Only the program's treasurer and administrators record its funding."),
    )
    _not_negative(amount=line.amount, received=line.received)
    with transaction.atomic():
        attribute_to(line, actor)
        line.save()
    return line


def save_budget_line(line: BudgetLine, actor: User) -> BudgetLine:
    require(
        actor,
        "finance.manage_funding",
        line.program,
        _("Only the program's treasurer and administrators keep its budget."),
    )
    _not_negative(planned=line.planned)
    with transaction.atomic():
        attribute_to(line, actor)
        line.save()
    return line


def record_expense(
    line: BudgetLine, actor: User, *, amount: Decimal, spent_on: date, description: str
) -> Expense:
    require(
        actor,
        "finance.manage_funding",
        line.program,
        _("Only the program's treasurer and administrators record its spending."),
    )
    if line.is_income:
        raise ActionRefused(_("Expenses are recorded against spending lines only."))
    if amount <= 0:
        raise ActionRefused(_("An expense must be more than zero."))
    with transaction.atomic():
        expense = Expense(
            budget_line=line,
            amount=money(amount),
            spent_on=spent_on,
            description=description,
            recorded_by=actor,
        )
        attribute_to(expense, actor)
        expense.save()
    return expense


def save_cost_defaults(program: Program, actor: User, **fields: Any) -> CostDefaults:
    require(
        actor,
        "finance.manage_funding",
        program,
        _("Only the program's treasurer and administrators set its cost defaults."),
    )
    with transaction.atomic():
        defaults = CostDefaults.objects.select_for_update().filter(program=program).first()
        defaults = defaults or CostDefaults(program=program)
        for name, value in fields.items():
            setattr(defaults, name, value)
        attribute_to(defaults, actor)
        defaults.save()
    return defaults


@dataclass(frozen=True)
class BudgetRow:
    line: BudgetLine
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        return Decimal(self.actual - self.line.planned)


def budget(program: Program, year: int) -> list[BudgetRow]:
    """The year's budget lines with their actuals (a fixed number of queries)."""
    lines = list(BudgetLine.objects.filter(program=program, year=year))
    spent = dict(
        Expense.objects.filter(budget_line__in=lines)
        .values_list("budget_line")
        .annotate(total=Sum("amount"))
        .values_list("budget_line", "total")
    )
    fees = (
        Payment.objects.filter(
            invoice__program=program, invoice__kind=InvoiceKind.FEE, received_on__year=year
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    received = dict(
        FundingLine.objects.filter(program=program)
        .values_list("kind")
        .annotate(total=Sum("received"))
        .values_list("kind", "total")
    )
    by_category = {
        "fees": fees,
        "sponsors": received.get("sponsor", ZERO),
        "grants": received.get("grant", ZERO) + received.get("contribution", ZERO),
    }
    rows = []
    seen_income: set[str] = set()
    for line in lines:
        if line.is_income:
            # An income category's actual is counted once, on its first line.
            actual = ZERO if line.category in seen_income else by_category[line.category]
            seen_income.add(line.category)
        else:
            actual = spent.get(line.pk, ZERO)
        rows.append(BudgetRow(line, actual))
    return rows


# ---------------------------------------------------------------------------------------------
# Fees due and fee invoices
# ---------------------------------------------------------------------------------------------


def cycle_counts(cycle: Cycle) -> dict[int, tuple[int, int]]:
    """For each organisation: (participants sent, places hosted) among the cycle's started
    placements."""
    sent: dict[int, int] = defaultdict(int)
    hosted: dict[int, int] = defaultdict(int)
    for home, host in Placement.objects.filter(cycle=cycle, status__in=STARTED).values_list(
        "home_organization_id", "host_organization_id"
    ):
        sent[home] += 1
        hosted[host] += 1
    return {org: (sent[org], hosted[org]) for org in set(sent) | set(hosted)}


@dataclass(frozen=True)
class FeeDue:
    organization_id: int
    sent: int
    hosted: int
    lines: list[FeeLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def fees_due(schedule: FeeSchedule) -> list[FeeDue]:
    counts = cycle_counts(schedule.cycle)
    return [
        FeeDue(org, sent, hosted, schedule.fee_lines(sent, hosted))
        for org, (sent, hosted) in sorted(counts.items())
    ]


def generate_fee_invoices(cycle: Cycle, actor: User) -> list[Invoice]:
    """Draft one fee invoice from the administering organisation to every organisation that
    owes fees for the cycle. Drafts made before are brought up to date; an organisation
    already invoiced (issued) is left alone. Returns the drafts."""
    require(
        actor,
        "finance.generate_invoices",
        cycle,
        _("Only the program's treasurer and administrators generate invoices."),
    )
    schedule = FeeSchedule.objects.filter(cycle=cycle).first()
    if schedule is None:
        raise ActionRefused(_("Set the cycle's fees before generating its invoices."))
    program = cycle.program
    issuer = program.administering_organization
    profile = billing_profile(issuer)
    if profile.currency != schedule.currency:
        raise ActionRefused(
            _(
                "The fees are in %(fees)s but %(issuer)s invoices in %(currency)s; make them "
                "the same first."
            )
            % {"fees": schedule.currency, "issuer": issuer, "currency": profile.currency}
        )
    drafts: list[Invoice] = []
    with transaction.atomic():
        existing = {
            invoice.recipient_id: invoice
            for invoice in Invoice.objects.select_for_update().filter(
                fee_schedule=schedule, kind=InvoiceKind.FEE
            )
        }
        for due in fees_due(schedule):
            if due.organization_id == issuer.pk:
                continue  # the administering organisation does not bill itself
            invoice = existing.get(due.organization_id)
            if invoice is not None and not invoice.is_draft:
                continue
            if due.total <= 0:
                if invoice is not None:
                    invoice.delete()  # a draft that no longer owes anything
                continue
            if invoice is None:
                invoice = Invoice(
                    program=program,
                    cycle=cycle,
                    kind=InvoiceKind.FEE,
                    issuer=issuer,
                    recipient_id=due.organization_id,
                    fee_schedule=schedule,
                    currency=schedule.currency,
                )
            invoice.total = due.total
            attribute_to(invoice, actor)
            invoice.save()
            InvoiceLine.objects.filter(invoice=invoice).delete()
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=invoice,
                    description=f"{line.description} · {cycle}",
                    quantity=line.quantity,
                    unit_amount=line.unit_amount,
                    amount=line.amount,
                    rule=line.rule,
                )
                for line in due.lines
            )
            drafts.append(invoice)
    return drafts


# ---------------------------------------------------------------------------------------------
# Cost arrangements
# ---------------------------------------------------------------------------------------------


def propose_arrangement(placement: Placement) -> tuple[CostArrangement, list[CostComponent]]:
    """What the program's defaults and the agreement suggest (unsaved): when the agreement
    has the host pay a share of the salary, the host reimburses the home organisation that
    share; otherwise the program's default basis."""
    defaults = CostDefaults.objects.filter(program_id=placement.program_id).first()
    defaults = defaults or CostDefaults(program_id=placement.program_id)
    agreement = getattr(placement, "agreement", None)
    host_share = agreement.salary_host_percent if agreement is not None else 0
    basis = defaults.basis
    if host_share:
        basis = Basis.REIMBURSABLE if host_share == 100 else Basis.COST_SHARED
    arrangement = CostArrangement(
        placement=placement,
        basis=basis,
        authority=defaults.authority,
        payer_id=placement.host_organization_id,
        payee_id=placement.home_organization_id,
        payer_percent=host_share if host_share else 100,
        payee_percent=100 - (host_share if host_share else 100),
        billing_frequency=defaults.billing_frequency,
        currency=currency_of(placement.home_organization_id),
    )
    components = [
        CostComponent(kind=Component.SALARY, amount=ZERO, is_estimate=True),
        CostComponent(kind=Component.BENEFITS, percent_of_salary=defaults.benefits_percent),
        CostComponent(kind=Component.TRAVEL, amount=ZERO, is_estimate=True),
    ]
    return arrangement, components


@dataclass(frozen=True)
class ComponentInput:
    kind: str
    amount: Decimal | None = None
    percent_of_salary: Decimal | None = None
    is_estimate: bool = False
    description: str = ""


def save_arrangement(
    placement: Placement,
    actor: User,
    *,
    basis: str,
    authority: str,
    payer: Organization,
    payee: Organization,
    payer_percent: int,
    payee_percent: int,
    cap: Decimal | None,
    billing_frequency: str,
    components: list[ComponentInput],
) -> CostArrangement:
    """Agree (or change) the placement's cost arrangement. It is part of the agreement: a
    change after someone signed means every party signs again; once all three signed it is
    frozen."""
    from talent_exchange.placements.models import Agreement

    require(
        actor,
        "finance.change_costarrangement",
        placement,
        _(
            "Only the two organisations' coordinators and finance officers and the program's "
            "administrators and treasurer agree the costs."
        ),
    )
    if payer_percent + payee_percent != 100 or not 0 <= payer_percent <= 100:
        raise ActionRefused(_("The split between payer and payee must add up to 100%."))
    if payer.pk == payee.pk:
        raise ActionRefused(_("The payer and the payee must be different organisations."))
    parties = {placement.home_organization_id, placement.host_organization_id}
    if not {payer.pk, payee.pk} <= parties:
        raise ActionRefused(
            _("The payer and the payee are the placement's home and host organisations.")
        )
    _not_negative(cap=cap)
    for component in components:
        _not_negative(amount=component.amount, percent=component.percent_of_salary)
        if (component.amount is None) == (component.percent_of_salary is None):
            raise ActionRefused(
                _("Give each cost component an amount or a percentage of salary, not both.")
            )
        if component.percent_of_salary is not None and component.percent_of_salary > 100:
            raise ActionRefused(_("A percentage of salary is at most 100%."))
    with transaction.atomic():
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        agreement = Agreement.objects.select_for_update().filter(placement=locked).first()
        if agreement is not None and agreement.is_frozen:
            raise ActionRefused(
                _(
                    "All three parties have signed the agreement; its cost arrangement can no "
                    "longer change."
                )
            )
        arrangement = CostArrangement.objects.filter(placement=locked).first()
        arrangement = arrangement or CostArrangement(placement=locked)
        arrangement.basis = basis
        arrangement.authority = authority
        arrangement.payer = payer
        arrangement.payee = payee
        arrangement.payer_percent = payer_percent
        arrangement.payee_percent = payee_percent
        arrangement.cap = money(cap) if cap is not None else None
        arrangement.billing_frequency = billing_frequency
        arrangement.currency = billing_profile(payee).currency
        attribute_to(arrangement, actor)
        arrangement.save()
        for old in CostComponent.objects.filter(arrangement=arrangement):
            attribute_to(old, actor)
            old.delete()
        for component in components:
            row = CostComponent(
                arrangement=arrangement,
                kind=component.kind,
                amount=money(component.amount) if component.amount is not None else None,
                percent_of_salary=component.percent_of_salary,
                is_estimate=component.is_estimate,
                description=component.description,
            )
            attribute_to(row, actor)
            row.save()
        if (
            agreement is not None
            and agreement.signatures.filter(version=agreement.version).exists()
        ):
            agreement.version += 1  # the terms changed: the parties sign again
            attribute_to(agreement, actor)
            agreement.save(update_fields=["version"])
    return arrangement


def billing_periods(arrangement: CostArrangement) -> list[tuple[date, date]]:
    """The placement's billing periods: months or quarters from its start, the last one
    ending with the placement; or the whole assignment at once."""
    placement = arrangement.placement
    start, end = placement.start_date, placement.end_date
    months = FREQUENCY_MONTHS.get(Frequency(arrangement.billing_frequency))
    if months is None:
        return [(start, end)]
    periods = []
    k = 0
    while True:
        period_start = add_months(start, k * months)
        if period_start > end:
            break
        period_end = min(add_months(start, (k + 1) * months) - timedelta(days=1), end)
        periods.append((period_start, period_end))
        k += 1
    return periods


def allocate(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` equal cents, the remainder on the last: they sum to it exactly."""
    if parts <= 0:
        return []
    each = (total / parts).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [each] * (parts - 1) + [total - each * (parts - 1)]


def _cost_rule(arrangement: CostArrangement, k: int, n: int) -> str:
    parts = ", ".join(
        f"{c.get_kind_display()} {c.amount if c.amount is not None else f'{c.percent_of_salary}%'}"
        for c in arrangement.components.all()
    )
    rule = f"{arrangement.payer_percent}% of {arrangement.total_cost()} ({parts})"
    if arrangement.cap is not None:
        rule += f", capped at {arrangement.cap}"
    return f"{rule}; period {k + 1} of {n}"


def generate_cost_invoices(
    arrangement: CostArrangement, actor: User, *, as_of: date
) -> list[Invoice]:
    """Draft an invoice from the payee to the payer for each billing period that has ended
    by ``as_of`` and has none yet. Only for signed, invoiced (reimbursable or cost-shared)
    arrangements."""
    require(
        actor,
        "finance.change_costarrangement",
        arrangement,
        _("Only the parties' finance officers and the program's treasurer generate invoices."),
    )
    if not arrangement.is_invoiced:
        raise ActionRefused(_("This arrangement is not reimbursable: nothing is invoiced."))
    if not arrangement.is_frozen:
        raise ActionRefused(_("Invoices follow the signed agreement; it is not signed yet."))
    periods = billing_periods(arrangement)
    amounts = allocate(arrangement.payer_total(), len(periods))
    placement = arrangement.placement
    drafts: list[Invoice] = []
    with transaction.atomic():
        CostArrangement.objects.select_for_update().get(pk=arrangement.pk)
        done = set(
            Invoice.objects.filter(placement=placement, kind=InvoiceKind.COST).values_list(
                "period_start", flat=True
            )
        )
        for k, ((start, end), amount) in enumerate(zip(periods, amounts, strict=True)):
            if end > as_of or start in done or amount <= 0:
                continue
            invoice = Invoice(
                program_id=placement.program_id,
                cycle_id=placement.cycle_id,
                kind=InvoiceKind.COST,
                issuer_id=arrangement.payee_id,
                recipient_id=arrangement.payer_id,
                placement=placement,
                period_start=start,
                period_end=end,
                currency=arrangement.currency,
                total=amount,
            )
            attribute_to(invoice, actor)
            invoice.save()
            InvoiceLine.objects.create(
                invoice=invoice,
                description=_("%(basis)s costs of %(person)s, %(start)s to %(end)s")
                % {
                    "basis": arrangement.get_basis_display(),
                    "person": placement.person,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
                quantity=Decimal(1),
                unit_amount=amount,
                amount=amount,
                rule=_cost_rule(arrangement, k, len(periods))[:300],
                placement=placement,
            )
            drafts.append(invoice)
    return drafts


@dataclass(frozen=True)
class Uninvoiced:
    arrangement: CostArrangement
    periods: list[tuple[date, date]]


def signed_not_invoiced(arrangements: CostArrangementQuerySet, today: date) -> list[Uninvoiced]:
    """Signed reimbursable arrangements with a billing period that has ended and no issued
    invoice for it (a fixed number of queries)."""
    rows = list(
        arrangements.invoiced()
        .filter(placement__agreement__frozen_at__isnull=False)
        .select_related(
            "placement__person", "placement__agreement", "payer", "payee", "placement__program"
        )
        .order_by("placement__start_date", "pk")
    )
    issued: dict[int, set[date]] = defaultdict(set)
    for placement_id, start in (
        Invoice.objects.issued()
        .filter(kind=InvoiceKind.COST, placement_id__in=[a.placement_id for a in rows])
        .values_list("placement_id", "period_start")
    ):
        issued[placement_id].add(start)
    found = []
    for arrangement in rows:
        missing = [
            (start, end)
            for start, end in billing_periods(arrangement)
            if end < today and start not in issued[arrangement.placement_id]
        ]
        if missing:
            found.append(Uninvoiced(arrangement, missing))
    return found


# ---------------------------------------------------------------------------------------------
# The invoice workflow: issue, pay, credit, waive, write off
# ---------------------------------------------------------------------------------------------


def _post(
    invoice: Invoice,
    *,
    debtor_id: int,
    creditor_id: int,
    amount: Decimal,
    memo: str,
    on: date,
    payment: Payment | None = None,
) -> Posting:
    return Posting.objects.create(
        program_id=invoice.program_id,
        debtor_id=debtor_id,
        creditor_id=creditor_id,
        amount=amount,
        currency=invoice.currency,
        invoice=invoice,
        payment=payment,
        memo=memo[:300],
        posted_on=on,
    )


def _reference(profile: BillingProfile, number: int) -> str:
    prefix = profile.prefix or (profile.organization.short_name or "INV").upper().replace(" ", "")
    return f"{prefix}-{number:06d}"


def _next_number(issuer_id: int) -> tuple[int, str]:
    """Take the issuer's next invoice number: the counter row stays locked until the
    transaction ends, so a concurrent issuer waits and gets the one after."""
    profile = (
        BillingProfile.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(organization_id=issuer_id)
    )
    profile.last_number += 1
    profile.save(update_fields=["last_number"])
    return profile.last_number, _reference(profile, profile.last_number)


def issue_invoice(invoice: Invoice, actor: User, *, issued_on: date, due_days: int = 30) -> Invoice:
    """Number the draft (gapless per issuer), fix its lines for good and post it to the
    ledger: the recipient owes the issuer its total."""
    INVOICE_WORKFLOW.check_permission(invoice, "issue", actor=actor)
    billing_profile(invoice.issuer)  # exists before the counter is locked
    with transaction.atomic():
        lines_total = invoice.lines.aggregate(total=Sum("amount"))["total"] or ZERO
        if lines_total != invoice.total or invoice.total <= 0:
            raise ActionRefused(_("This invoice has nothing to charge; it cannot be issued."))
        number, reference = _next_number(invoice.issuer_id)
        issued = INVOICE_WORKFLOW.perform(
            invoice,
            "issue",
            actor=actor,
            number=number,
            reference=reference,
            issued_on=issued_on,
            due_on=issued_on + timedelta(days=due_days),
        )
        _post(
            issued,
            debtor_id=issued.recipient_id,
            creditor_id=issued.issuer_id,
            amount=issued.total,
            memo=_("Invoice %(ref)s") % {"ref": reference},
            on=issued_on,
        )
    return issued


def _lock_open(invoice: Invoice, action: str, actor: User) -> Invoice:
    locked: Invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.is_credit_note:
        raise ActionRefused(_("A credit note is not paid, waived or written off."))
    INVOICE_WORKFLOW.require(locked, action, actor=actor)
    return locked


def _settle_or_part(locked: Invoice, actor: User, note: str, **changes: Any) -> Invoice:
    paid = changes.get("paid", locked.paid)
    credited = changes.get("credited", locked.credited)
    action = "settle" if paid + credited == locked.total else "pay_part"
    return INVOICE_WORKFLOW.perform(locked, action, actor=actor, note=note, **changes)


def record_payment(
    invoice: Invoice, actor: User, *, amount: Decimal, received_on: date, reference: str = ""
) -> Payment:
    """Record money received against an open invoice; never more than it still owes."""
    INVOICE_WORKFLOW.check_permission(invoice, "record_payment", actor=actor)
    if amount is None or amount <= 0:
        raise ActionRefused(_("A payment must be more than zero."))
    amount = money(amount)
    with transaction.atomic():
        locked = _lock_open(invoice, "record_payment", actor)
        if amount > locked.open_amount:
            raise ActionRefused(
                _(
                    "A payment of %(amount)s is more than the %(open)s still owed on this "
                    "invoice. Record the amount owed, or issue a credit note first."
                )
                % {"amount": amount, "open": locked.open_amount}
            )
        payment = Payment(
            invoice=locked,
            amount=amount,
            received_on=received_on,
            reference=reference,
            recorded_by=actor,
        )
        attribute_to(payment, actor)
        payment.save()
        settled = _settle_or_part(
            locked,
            actor,
            _("Payment of %(amount)s") % {"amount": amount},
            paid=locked.paid + amount,
        )
        _post(
            settled,
            debtor_id=settled.issuer_id,
            creditor_id=settled.recipient_id,
            amount=amount,
            memo=_("Payment on %(ref)s") % {"ref": settled.reference},
            on=received_on,
            payment=payment,
        )
    invoice.status, invoice.paid = settled.status, settled.paid
    return payment


def issue_credit_note(
    invoice: Invoice, actor: User, *, amount: Decimal, reason: str, issued_on: date
) -> Invoice:
    """Correct an issued invoice: a numbered credit note for (part of) what it still owes,
    instead of an edit."""
    INVOICE_WORKFLOW.check_permission(invoice, "credit", actor=actor)
    if amount is None or amount <= 0:
        raise ActionRefused(_("A credit note must be for more than zero."))
    if not reason.strip():
        raise ActionRefused(_("Say why the invoice is credited."))
    amount = money(amount)
    with transaction.atomic():
        locked = _lock_open(invoice, "credit", actor)
        if amount > locked.open_amount:
            raise ActionRefused(
                _("A credit of %(amount)s is more than the %(open)s still owed on this invoice.")
                % {"amount": amount, "open": locked.open_amount}
            )
        note = Invoice(
            program_id=locked.program_id,
            cycle_id=locked.cycle_id,
            kind=InvoiceKind.CREDIT_NOTE,
            issuer_id=locked.issuer_id,
            recipient_id=locked.recipient_id,
            placement_id=locked.placement_id,
            credited_invoice=locked,
            currency=locked.currency,
            total=amount,
            note=reason,
        )
        attribute_to(note, actor)
        note.save()
        InvoiceLine.objects.create(
            invoice=note,
            description=(
                _("Credit on invoice %(ref)s: %(reason)s")
                % {"ref": locked.reference, "reason": reason}
            )[:300],
            quantity=Decimal(1),
            unit_amount=amount,
            amount=amount,
            rule=_("credit note"),
        )
        number, reference = _next_number(locked.issuer_id)
        note = INVOICE_WORKFLOW.perform(
            note,
            "issue",
            actor=actor,
            note=reason,
            number=number,
            reference=reference,
            issued_on=issued_on,
        )
        _settle_or_part(
            locked,
            actor,
            _("Credit note %(ref)s") % {"ref": reference},
            credited=locked.credited + amount,
        )
        _post(
            note,
            debtor_id=locked.issuer_id,
            creditor_id=locked.recipient_id,
            amount=amount,
            memo=_("Credit note %(ref)s on %(invoice)s")
            % {"ref": reference, "invoice": locked.reference},
            on=issued_on,
        )
    return note


def _close_unpaid(invoice: Invoice, action: str, actor: User, note: str, on: date) -> Invoice:
    INVOICE_WORKFLOW.check_permission(invoice, action, actor=actor)
    if not note.strip():
        raise ActionRefused(str(INVOICE_WORKFLOW.action(action).note_required))
    with transaction.atomic():
        locked = _lock_open(invoice, action, actor)
        open_amount = locked.open_amount
        closed = INVOICE_WORKFLOW.perform(locked, action, actor=actor, note=note)
        if open_amount > 0:
            _post(
                closed,
                debtor_id=closed.issuer_id,
                creditor_id=closed.recipient_id,
                amount=open_amount,
                memo=f"{closed.get_status_display()}: {closed.reference}",
                on=on,
            )
    invoice.status = closed.status
    return closed


def waive_invoice(invoice: Invoice, actor: User, *, note: str, on: date) -> Invoice:
    return _close_unpaid(invoice, "waive", actor, note, on)


def write_off_invoice(invoice: Invoice, actor: User, *, note: str, on: date) -> Invoice:
    return _close_unpaid(invoice, "write_off", actor, note, on)


def edit_draft_lines(invoice: Invoice, actor: User, *, note: str) -> Invoice:
    """The only edit an invoice takes: its note, while it is a draft."""
    return INVOICE_WORKFLOW.perform(invoice, "edit", actor=actor, note=note)


# ---------------------------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------------------------


def balances(postings: QuerySet[Posting]) -> dict[tuple[int, str], Decimal]:
    """Each (organisation, currency)'s balance: what it is owed minus what it owes."""
    result: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for org, currency, total in (
        postings.values_list("creditor_id", "currency").annotate(t=Sum("amount")).order_by()
    ):
        result[(org, currency)] += total
    for org, currency, total in (
        postings.values_list("debtor_id", "currency").annotate(t=Sum("amount")).order_by()
    ):
        result[(org, currency)] -= total
    return dict(result)


@dataclass(frozen=True)
class Netting:
    a_id: int
    b_id: int
    currency: str
    a_owes_b: Decimal
    b_owes_a: Decimal

    @property
    def net(self) -> Decimal:
        """Positive: A owes B this much once their debts are set against each other."""
        return self.a_owes_b - self.b_owes_a

    @property
    def abs_net(self) -> Decimal:
        return abs(self.net)


def netting(postings: QuerySet[Posting]) -> list[Netting]:
    """What each pair of organisations owes the other, and the net."""
    owed: dict[tuple[int, int, str], Decimal] = defaultdict(lambda: ZERO)
    for debtor, creditor, currency, total in (
        postings.values_list("debtor_id", "creditor_id", "currency")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        owed[(debtor, creditor, currency)] += total
    pairs: dict[tuple[int, int, str], Netting] = {}
    for debtor, creditor, currency in list(owed):
        a, b = sorted((debtor, creditor))
        if (a, b, currency) in pairs:
            continue
        # Postings that reverse a debt (payments, credits) run the other way: the debt of
        # A to B is what B's invoices charged A less what A paid, and so on.
        pairs[(a, b, currency)] = Netting(
            a, b, currency, owed[(a, b, currency)], owed[(b, a, currency)]
        )
    return [pairs[key] for key in sorted(pairs)]


def organization_ledger(organization_id: int, postings: PostingQuerySet) -> QuerySet[Posting]:
    """The organisation's entries with a running balance (``running``): a window sum, so a
    page of the ledger costs one query however far into it."""
    from django.db.models import Case, F, Value, When, Window

    signed = Case(
        When(creditor_id=organization_id, then=F("amount")),
        default=Value(Decimal(0)) - F("amount"),
    )
    entries: QuerySet[Posting] = (
        postings.involving(organization_id)
        .select_related("debtor", "creditor", "invoice")
        .annotate(
            signed=signed,
            running=Window(
                Sum(signed),
                partition_by=[F("currency")],
                order_by=[F("posted_on").asc(), F("pk").asc()],
            ),
        )
        .order_by("posted_on", "pk")
    )
    return entries


# ---------------------------------------------------------------------------------------------
# Backfill plans and vacancy chains
# ---------------------------------------------------------------------------------------------


def _check_cover(
    *,
    method: str,
    holder: Person,
    acting_person: Person | None,
    starts_on: date | None,
    ends_on: date | None,
    organization_id: int,
    in_chain: set[int],
) -> None:
    if method not in CoverMethod.values:
        raise ActionRefused(_("Choose how the post is covered."))
    if method == CoverMethod.ACTING and acting_person is None:
        raise ActionRefused(_("An acting appointment names the person acting."))
    if acting_person is not None:
        if method != CoverMethod.ACTING:
            raise ActionRefused(_("Only an acting appointment names a person acting."))
        if acting_person.pk == holder.pk:
            raise ActionRefused(_("Someone cannot act in their own post."))
        if acting_person.pk in in_chain:
            raise ActionRefused(_("This person is already in the vacancy chain."))
        if acting_person.organization_id != organization_id:
            raise ActionRefused(_("The person acting works for the home organisation."))
    if starts_on and ends_on and ends_on < starts_on:
        raise ActionRefused(_("The end date cannot be before the start date."))


def plan_backfill(
    nomination: Nomination,
    actor: User,
    *,
    post_title: str,
    method: str,
    acting_person: Person | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    developmental: bool = False,
    opportunity_cycle: Cycle | None = None,
    notes: str = "",
) -> BackfillPlan:
    """Record (or change) how the nominee's post is covered during the assignment."""
    from talent_exchange.nominations.models import Nomination as NominationModel

    require(
        actor,
        "finance.plan_backfill",
        nomination,
        _("Only the home organisation's coordinators plan the backfill of the post."),
    )
    with transaction.atomic():
        locked = NominationModel.objects.select_for_update().get(pk=nomination.pk)
        if not locked.is_endorsed:
            raise ActionRefused(_("The backfill is planned once the nomination is endorsed."))
        plan = BackfillPlan.objects.filter(nomination=locked).first()
        in_chain = {locked.person_id}
        if plan is not None:
            in_chain |= set(
                BackfillPlan.objects.filter(root=plan).values_list("acting_person_id", flat=True)
            ) - {None}
            has_next = BackfillPlan.objects.filter(parent=plan).exists()
            if has_next and (acting_person is None or acting_person.pk != plan.acting_person_id):
                raise ActionRefused(
                    _("Someone covers this acting person's post; remove that link first.")
                )
        _check_cover(
            method=method,
            holder=locked.person,
            acting_person=acting_person,
            starts_on=starts_on,
            ends_on=ends_on,
            organization_id=locked.home_organization_id,
            in_chain=in_chain,
        )
        plan = plan or BackfillPlan(nomination=locked, post_holder=locked.person)
        plan.post_title = post_title
        plan.method = method
        plan.acting_person = acting_person
        plan.starts_on, plan.ends_on = starts_on, ends_on
        plan.developmental = developmental
        plan.opportunity_cycle = opportunity_cycle
        plan.notes = notes
        plan.recorded_by = actor
        attribute_to(plan, actor)
        plan.save()
    return plan


def add_chain_link(
    parent: BackfillPlan,
    actor: User,
    *,
    post_title: str,
    method: str,
    acting_person: Person | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    developmental: bool = False,
    notes: str = "",
) -> BackfillPlan:
    """Cover the post of the person acting in ``parent``: the next link of the chain."""
    root = parent.root_plan
    nomination = root.nomination
    if nomination is None:
        raise ActionRefused(_("This plan is not part of a nomination's chain."))
    require(
        actor,
        "finance.plan_backfill",
        nomination,
        _("Only the home organisation's coordinators plan the backfill of the post."),
    )
    with transaction.atomic():
        locked = (
            BackfillPlan.objects.select_for_update(of=("self",))
            .select_related("acting_person")
            .get(pk=parent.pk)
        )
        if not locked.is_acting or locked.acting_person is None:
            raise ActionRefused(_("Only an acting appointment leaves a post behind to cover."))
        if BackfillPlan.objects.filter(parent=locked).exists():
            raise ActionRefused(_("This post already has a plan in the chain."))
        chain_people = {root.post_holder_id} | set(
            BackfillPlan.objects.filter(Q(pk=root.pk) | Q(root=root)).values_list(
                "acting_person_id", flat=True
            )
        )
        _check_cover(
            method=method,
            holder=locked.acting_person,
            acting_person=acting_person,
            starts_on=starts_on,
            ends_on=ends_on,
            organization_id=nomination.home_organization_id,
            in_chain={p for p in chain_people if p is not None},
        )
        link = BackfillPlan(
            root=root,
            parent=locked,
            post_holder=locked.acting_person,
            post_title=post_title,
            method=method,
            acting_person=acting_person,
            starts_on=starts_on,
            ends_on=ends_on,
            developmental=developmental,
            notes=notes,
            recorded_by=actor,
        )
        attribute_to(link, actor)
        link.save()
    return link


def chain_of(root: BackfillPlan) -> list[BackfillPlan]:
    """The vacancy chain from the nominee's post down, in order (one query)."""
    plans = {
        plan.pk: plan
        for plan in BackfillPlan.objects.filter(Q(pk=root.pk) | Q(root=root)).select_related(
            "post_holder", "acting_person"
        )
    }
    by_parent = {plan.parent_id: plan for plan in plans.values() if plan.parent_id}
    chain = [plans[root.pk]]
    while chain[-1].pk in by_parent:
        chain.append(by_parent[chain[-1].pk])
    return chain
