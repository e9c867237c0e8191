"""Money between organisations (issue 13): fee schedules with waiver rules, funding lines and
the program budget; cost arrangements per placement; invoices, credit notes and payments;
the double-entry ledger; and the backfill of the posts participants leave (vacancy chains).

Money is ``Decimal`` with two places everywhere (``MONEY``), never a float. See
docs/finance.md and ADR 0018.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_CURRENCY = "USD"


def money(value: Any) -> Decimal:
    """An exact amount with two places (half up), from a Decimal, an int or a string."""
    if isinstance(value, float):
        raise TypeError("Money is never a float.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def MoneyField(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def _program_scope(user) -> tuple[bool, frozenset[int]]:
    """(sees everything, the programs whose money this user looks after)."""
    roles = roles_of(user)
    if roles.is_superuser or roles.is_auditor:
        return True, frozenset()
    return False, roles.admin_program_ids | roles.treasurer_program_ids


class ProgramScopedQuerySet(models.QuerySet):
    """For the program's own money records (fee schedules, funding, budget): its
    administrators and treasurers, and auditors."""

    program_path = "program"

    def visible_to(self, user) -> ProgramScopedQuerySet:
        everything, program_ids = _program_scope(user)
        if everything:
            return self
        return self.filter(**{f"{self.program_path}_id__in": program_ids})


# ---------------------------------------------------------------------------------------------
# Billing profiles: an organisation's currency and its invoice counter
# ---------------------------------------------------------------------------------------------


class BillingProfileQuerySet(models.QuerySet):
    def visible_to(self, user) -> BillingProfileQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(
            Q(organization_id__in=roles.finance_org_ids)
            | Q(organization_id__in=roles.admin_org_ids)
        )


class BillingProfile(models.Model):
    """How an organisation invoices: its currency, its address on invoices, and the counter
    its invoice numbers come from (locked with ``select_for_update`` while an invoice is
    issued, so numbers never repeat or skip)."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="billing_profile",
        verbose_name=_("organisation"),
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    address = models.TextField(_("billing address"), blank=True)
    prefix = models.CharField(_("invoice number prefix"), max_length=12, blank=True)
    last_number = models.PositiveIntegerField(_("last invoice number issued"), default=0)
    history = HistoricalRecords()

    objects = BillingProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("billing profile")
        verbose_name_plural = _("billing profiles")

    def __str__(self) -> str:
        return f"{self.organization} ({self.currency})"


# ---------------------------------------------------------------------------------------------
# Program funding: fee schedules with waiver rules, funding lines, the budget
# ---------------------------------------------------------------------------------------------


class WaiverKind(models.TextChoices):
    """The waiver rules a program can choose, as data (never evaluated text)."""

    NONE = "none", _("No waiver: every organisation pays its fees")
    NET_OF_HOSTED = "net_of_hosted", _("Send-and-host: fee per participant × max(0, sent − hosted)")
    WAIVE_IF_BOTH = "waive_if_both", _("Waived entirely for an organisation that sends and hosts")
    REDUCE_IF_BOTH = (
        "reduce_if_both",
        _("Reduced by a percentage for an organisation that sends and hosts"),
    )


@dataclass(frozen=True)
class FeeLine:
    """One line of what an organisation owes under a fee schedule, with the rule it follows."""

    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal
    rule: str


class FeeScheduleQuerySet(ProgramScopedQuerySet):
    program_path = "cycle__program"


class FeeSchedule(models.Model):
    """A cycle's participation fees and the program's waiver rule. An organisation's fees
    count the cycle's started placements it sent (home) and hosted (host)."""

    cycle = models.OneToOneField(
        "programs.Cycle",
        on_delete=models.CASCADE,
        related_name="fee_schedule",
        verbose_name=_("cycle"),
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    per_participant_sent = MoneyField(_("fee per participant sent"), default=ZERO)
    per_place_hosted = MoneyField(_("fee per place hosted"), default=ZERO)
    flat_per_organization = MoneyField(
        _("flat fee per organisation"),
        default=ZERO,
        help_text=_("Charged to every organisation that sends or hosts in the cycle."),
    )
    waiver = models.CharField(
        _("waiver rule"), max_length=20, choices=WaiverKind.choices, default=WaiverKind.NONE
    )
    waiver_percent = models.PositiveSmallIntegerField(
        _("reduction (%)"),
        default=0,
        help_text=_("Only for the “reduced by a percentage” rule."),
    )
    due_days = models.PositiveSmallIntegerField(_("days to pay"), default=30)
    history = HistoricalRecords()

    objects = FeeScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        constraints = [
            models.CheckConstraint(
                name="fee_schedule_amounts_not_negative",
                condition=Q(
                    per_participant_sent__gte=0,
                    per_place_hosted__gte=0,
                    flat_per_organization__gte=0,
                ),
                violation_error_message=_("Fees cannot be negative."),
            ),
            models.CheckConstraint(
                name="fee_schedule_waiver_percent", condition=Q(waiver_percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: fees"

    @property
    def program_id(self) -> int:
        return self.cycle.program_id

    def fee_lines(self, sent: int, hosted: int) -> list[FeeLine]:
        """What one organisation that sent ``sent`` and hosted ``hosted`` participants owes,
        line by line, by the schedule's waiver rule (docs/finance.md gives each rule)."""
        lines: list[FeeLine] = []
        if sent <= 0 and hosted <= 0:
            return lines
        both = sent > 0 and hosted > 0
        waived_all = self.waiver == WaiverKind.WAIVE_IF_BOTH and both
        billed_sent = sent
        rule = "fee × sent"
        if self.waiver == WaiverKind.NET_OF_HOSTED:
            billed_sent = max(0, sent - hosted)
            rule = f"fee × max(0, sent − hosted) = fee × max(0, {sent} − {hosted})"
        if waived_all:
            billed_sent, rule = 0, "waived: sends and hosts"
        if self.per_participant_sent:
            lines.append(
                FeeLine(
                    str(_("Participants sent")),
                    Decimal(billed_sent),
                    self.per_participant_sent,
                    money(self.per_participant_sent * billed_sent),
                    rule,
                )
            )
        if self.per_place_hosted:
            billed_hosted = 0 if waived_all else hosted
            lines.append(
                FeeLine(
                    str(_("Places hosted")),
                    Decimal(billed_hosted),
                    self.per_place_hosted,
                    money(self.per_place_hosted * billed_hosted),
                    "waived: sends and hosts" if waived_all else "fee × hosted",
                )
            )
        if self.flat_per_organization:
            flat = ZERO if waived_all else self.flat_per_organization
            lines.append(
                FeeLine(
                    str(_("Flat fee per organisation")),
                    Decimal(1),
                    self.flat_per_organization,
                    money(flat),
                    "waived: sends and hosts" if waived_all else "flat",
                )
            )
        if self.waiver == WaiverKind.REDUCE_IF_BOTH and both and self.waiver_percent:
            subtotal = sum((line.amount for line in lines), ZERO)
            reduction = money(subtotal * self.waiver_percent / Decimal(100))
            lines.append(
                FeeLine(
                    str(_("Reduction for sending and hosting")),
                    Decimal(1),
                    -reduction,
                    -reduction,
                    f"− {self.waiver_percent}% (sends and hosts)",
                )
            )
        return lines

    def fee_due(self, sent: int, hosted: int) -> Decimal:
        return sum((line.amount for line in self.fee_lines(sent, hosted)), ZERO)


class FundingKind(models.TextChoices):
    SPONSOR = "sponsor", _("Corporate sponsor")
    GRANT = "grant", _("Grant")
    CONTRIBUTION = "contribution", _("Agency contribution")


class FundingLine(models.Model):
    """Money a sponsor, a grant or an agency puts into the program: how much, on what
    conditions, and when it must be reported on."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="funding_lines"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FundingKind.choices)
    funder = models.CharField(_("funder"), max_length=200)
    amount = MoneyField(_("amount committed"))
    received = MoneyField(_("amount received"), default=ZERO)
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    conditions = models.TextField(_("conditions"), blank=True)
    reporting_dates = models.JSONField(_("reporting dates"), default=list, blank=True)
    history = HistoricalRecords()

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["program", "kind", "funder"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.CheckConstraint(
                name="funding_amounts_not_negative",
                condition=Q(amount__gte=0, received__gte=0),
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} ({self.get_kind_display()})"

    def next_report(self, today: date) -> date | None:
        upcoming = sorted(
            d for d in (date.fromisoformat(x) for x in self.reporting_dates) if d >= today
        )
        return upcoming[0] if upcoming else None


class BudgetCategory(models.TextChoices):
    FEES = "fees", _("Income: participation fees")
    SPONSORS = "sponsors", _("Income: sponsors")
    GRANTS = "grants", _("Income: grants")
    FORUMS = "forums", _("Spending: learning forums")
    MATERIALS = "materials", _("Spending: materials")
    ADMINISTRATION = "administration", _("Spending: the administering agency's costs")
    OTHER = "other", _("Spending: other")


INCOME_CATEGORIES = (BudgetCategory.FEES, BudgetCategory.SPONSORS, BudgetCategory.GRANTS)


class BudgetLine(models.Model):
    """One planned line of the program's budget for a year. Actuals: fees from payments on
    fee invoices, sponsors and grants from the funding lines' amounts received, spending
    from the expenses recorded against the line."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=16, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    planned = MoneyField(_("planned"))
    history = HistoricalRecords()

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["program", "year", "category", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                name="budget_planned_not_negative",
                condition=Q(planned__gte=0),
                violation_error_message=_("A planned amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()}"

    @property
    def is_income(self) -> bool:
        return self.category in INCOME_CATEGORIES


class ExpenseQuerySet(ProgramScopedQuerySet):
    program_path = "budget_line__program"


class Expense(models.Model):
    """Money the program spent against a spending line of its budget."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField(_("spent on"))
    amount = MoneyField(_("amount"))
    description = models.CharField(_("description"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["spent_on", "pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [
            models.CheckConstraint(
                name="expense_positive",
                condition=Q(amount__gt=0),
                violation_error_message=_("An expense must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on}: {self.description}"

    @property
    def program_id(self) -> int:
        return self.budget_line.program_id


# ---------------------------------------------------------------------------------------------
# Cost arrangements per placement
# ---------------------------------------------------------------------------------------------


class Basis(models.TextChoices):
    REIMBURSABLE = "reimbursable", _("Reimbursable")
    NON_REIMBURSABLE = "non_reimbursable", _("Non-reimbursable")
    COST_SHARED = "cost_shared", _("Cost-shared")
    FEE_ONLY = "fee_only", _("Program fee only")


# The bases under which the payer is invoiced for the placement's costs.
INVOICED_BASES = (Basis.REIMBURSABLE, Basis.COST_SHARED)


class Authority(models.TextChoices):
    ECONOMY_ACT = "economy_act", _("Economy Act detail")
    IPA = "ipa", _("Intergovernmental Personnel Act (IPA)")
    INTERCHANGE = "interchange", _("Interchange")
    MOU = "mou", _("Memorandum of understanding")
    PROGRAM_RULE = "program_rule", _("Program rule")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ONCE = "once", _("Once, at the end")


FREQUENCY_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3}


class CostDefaults(models.Model):
    """What a program proposes for its placements' cost arrangements."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="cost_defaults"
    )
    basis = models.CharField(
        _("basis"), max_length=20, choices=Basis.choices, default=Basis.NON_REIMBURSABLE
    )
    authority = models.CharField(
        _("authority"), max_length=20, choices=Authority.choices, default=Authority.PROGRAM_RULE
    )
    billing_frequency = models.CharField(
        _("billing frequency"), max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    benefits_percent = models.DecimalField(
        _("benefits (% of salary)"), max_digits=5, decimal_places=2, default=Decimal("30.00")
    )
    history = HistoricalRecords()

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost defaults")
        verbose_name_plural = _("cost defaults")

    def __str__(self) -> str:
        return f"{self.program}: cost defaults"


class CostArrangementQuerySet(models.QuerySet):
    def visible_to(self, user) -> CostArrangementQuerySet:
        """Whoever sees the placement, and the finance officers of the payer and payee."""
        from talent_exchange.placements.models import Placement

        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(
            Q(placement__in=Placement.objects.visible_to(user))
            | Q(placement__program_id__in=roles.treasurer_program_ids)
            | Q(payer_id__in=roles.finance_org_ids)
            | Q(payee_id__in=roles.finance_org_ids)
        )

    def invoiced(self) -> CostArrangementQuerySet:
        return self.filter(basis__in=INVOICED_BASES)


class CostArrangement(models.Model):
    """Who pays what for one placement, under which authority, how often it is invoiced.
    Agreed as part of the placement's agreement: once all three parties have signed the
    agreement it is frozen (``is_frozen``)."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="cost_arrangement"
    )
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    authority = models.CharField(_("authority"), max_length=20, choices=Authority.choices)
    payer = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payer"),
        help_text=_("The organisation invoiced (usually the host)."),
    )
    payee = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payee"),
        help_text=_("The organisation reimbursed (usually the home organisation)."),
    )
    payer_percent = models.PositiveSmallIntegerField(_("payer's share (%)"), default=100)
    payee_percent = models.PositiveSmallIntegerField(_("payee's share (%)"), default=0)
    cap = MoneyField(_("cap"), null=True, blank=True, help_text=_("The most the payer pays."))
    billing_frequency = models.CharField(
        _("billing frequency"), max_length=12, choices=Frequency.choices
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    history = HistoricalRecords()

    objects = CostArrangementQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost arrangement")
        verbose_name_plural = _("cost arrangements")
        constraints = [
            models.CheckConstraint(
                name="cost_split_sums_to_100",
                condition=Q(payer_percent__lte=100, payee_percent=100 - models.F("payer_percent")),
                violation_error_message=_("The split must add up to 100%."),
            ),
            models.CheckConstraint(
                name="cost_cap_not_negative",
                condition=Q(cap__isnull=True) | Q(cap__gte=0),
                violation_error_message=_("The cap cannot be negative."),
            ),
            models.CheckConstraint(
                name="cost_payer_is_not_payee", condition=~Q(payer=models.F("payee"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement}: {self.get_basis_display()}"

    @property
    def program_id(self) -> int:
        return self.placement.program_id

    @property
    def is_frozen(self) -> bool:
        agreement = getattr(self.placement, "agreement", None)
        return agreement is not None and agreement.is_frozen

    @property
    def is_invoiced(self) -> bool:
        return self.basis in INVOICED_BASES

    def total_cost(self) -> Decimal:
        """Every component's amount; benefits given as a percentage count on salary."""
        components = list(self.components.all())
        salary = sum((c.amount or ZERO for c in components if c.kind == Component.SALARY), ZERO)
        return sum((c.resolved_amount(salary) for c in components), ZERO)

    def payer_total(self) -> Decimal:
        """The payer's share of the total cost, within the cap."""
        share = money(self.total_cost() * self.payer_percent / Decimal(100))
        if self.cap is not None:
            share = min(share, self.cap)
        return share


class Component(models.TextChoices):
    SALARY = "salary", _("Salary")
    BENEFITS = "benefits", _("Benefits")
    TRAVEL = "travel", _("Travel")
    RELOCATION = "relocation", _("Relocation")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class CostComponentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CostComponentQuerySet:
        return self.filter(arrangement__in=CostArrangement.objects.visible_to(user))


class CostComponent(models.Model):
    """One part of a placement's cost for the whole assignment: an amount, or (benefits) a
    percentage of the salary; marked when it is an estimate."""

    arrangement = models.ForeignKey(
        CostArrangement, on_delete=models.CASCADE, related_name="components"
    )
    kind = models.CharField(_("component"), max_length=16, choices=Component.choices)
    amount = MoneyField(_("amount"), null=True, blank=True)
    percent_of_salary = models.DecimalField(
        _("% of salary"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    is_estimate = models.BooleanField(_("estimate"), default=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CostComponentQuerySet.as_manager()

    class Meta:
        ordering = ["arrangement", "pk"]
        verbose_name = _("cost component")
        verbose_name_plural = _("cost components")
        constraints = [
            models.CheckConstraint(
                name="cost_component_amount_or_percent",
                condition=(
                    Q(amount__isnull=False, percent_of_salary__isnull=True, amount__gte=0)
                    | Q(
                        amount__isnull=True,
                        percent_of_salary__isnull=False,
                        percent_of_salary__gte=0,
                        percent_of_salary__lte=100,
                    )
                ),
                violation_error_message=_(
                    "Give an amount (not negative) or a percentage of salary between 0 and 100."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def resolved_amount(self, salary: Decimal) -> Decimal:
        if self.amount is not None:
            return self.amount
        return money(salary * (self.percent_of_salary or ZERO) / Decimal(100))


# ---------------------------------------------------------------------------------------------
# Invoices, credit notes and payments
# ---------------------------------------------------------------------------------------------


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")
    WRITTEN_OFF = "written_off", _("Written off")


OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)


class InvoiceKind(models.TextChoices):
    FEE = "fee", _("Participation fees")
    COST = "cost", _("Placement costs")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvoiceQuerySet:
        """Auditors everything; the program's administrators and treasurers its invoices; a
        finance officer the invoices its organisation issued or received, nothing else."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(
            Q(program_id__in=roles.admin_program_ids | roles.treasurer_program_ids)
            | Q(issuer_id__in=roles.finance_org_ids)
            | Q(recipient_id__in=roles.finance_org_ids)
        )

    def issued(self) -> InvoiceQuerySet:
        return self.exclude(status=InvoiceStatus.DRAFT)

    def with_parties(self) -> InvoiceQuerySet:
        return self.select_related("issuer", "recipient", "program", "cycle", "placement__person")


class Invoice(models.Model):
    """A bill from one organisation (the issuer) to another (the recipient), or a credit
    note against one. It is numbered when issued (``number``, gapless per issuer); once
    issued its lines never change — a credit note corrects it."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="invoices"
    )
    cycle = models.ForeignKey(
        "programs.Cycle", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InvoiceKind.choices)
    issuer = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="invoices_issued",
        verbose_name=_("from"),
    )
    recipient = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="invoices_received",
        verbose_name=_("to"),
    )
    fee_schedule = models.ForeignKey(
        FeeSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("placement"),
    )
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    total = MoneyField(_("total"), default=ZERO)
    paid = MoneyField(_("paid"), default=ZERO)
    credited = MoneyField(_("credited"), default=ZERO)
    status = models.CharField(
        _("status"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    reference = models.CharField(_("invoice number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], name="invoice_number_unique_per_issuer"
            ),
            models.CheckConstraint(
                name="invoice_issuer_is_not_recipient", condition=~Q(issuer=models.F("recipient"))
            ),
            # A draft is never numbered: numbers are taken only when an invoice is issued
            # (services.issue_invoice), so a discarded draft leaves no gap.
            models.CheckConstraint(
                name="invoice_draft_has_no_number",
                condition=~Q(status="draft") | Q(number__isnull=True),
            ),
            models.CheckConstraint(
                name="invoice_amounts_not_negative",
                condition=Q(total__gte=0, paid__gte=0, credited__gte=0),
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                name="invoice_not_settled_beyond_total",
                condition=Q(total__gte=models.F("paid") + models.F("credited")),
                violation_error_message=_(
                    "An invoice cannot be paid or credited beyond its total."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft invoice"))

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and not self.is_credit_note

    @property
    def open_amount(self) -> Decimal:
        if self.status not in OPEN_STATUSES or self.is_credit_note:
            return ZERO
        return self.total - self.paid - self.credited


class InvoiceLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvoiceLineQuerySet:
        return self.filter(invoice__in=Invoice.objects.visible_to(user))


class InvoiceLine(models.Model):
    """One amount on an invoice and where it comes from: the fee rule it follows, or the
    placement cost component and billing period."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    unit_amount = MoneyField(_("unit price"))
    amount = MoneyField(_("amount"))
    rule = models.CharField(_("how it is computed"), max_length=300, blank=True)
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "pk"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return self.description


class InvoiceTransition(TransitionRecord):
    """An immutable record of one move of an invoice: who issued, waived, wrote off, and
    when; payments move it too."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=InvoiceStatus.choices)
    to_state = models.CharField(max_length=16, choices=InvoiceStatus.choices)
    note = models.TextField(blank=True)

    subject_field = "invoice"

    class Meta(TransitionRecord.Meta):
        verbose_name = _("invoice transition")
        verbose_name_plural = _("invoice transitions")

    def __str__(self) -> str:
        return f"{self.invoice}: {self.from_state} → {self.to_state}"


def _invoice_workflow() -> Workflow:
    S = InvoiceStatus
    open_ = [S.ISSUED, S.PARTLY_PAID]
    return Workflow(
        states=S,
        record=InvoiceTransition,
        noun=_("An invoice"),
        stale_refusal=_("Someone else has just changed this invoice: it is now “%(state)s”."),
        actions=[
            Action(
                "edit",
                [S.DRAFT],
                None,
                permission="finance.issue_invoice",
                refusal=_("Only the issuer's finance officers and the treasurer edit invoices."),
                state_refusal=_(
                    "An issued invoice cannot be changed; issue a credit note to correct it."
                ),
                label=_("Edit"),
            ),
            Action(
                "issue",
                [S.DRAFT],
                S.ISSUED,
                permission="finance.issue_invoice",
                refusal=_("Only the issuer's finance officers and the treasurer issue invoices."),
                label=_("Issue"),
            ),
            Action(
                "pay_part",
                open_,
                S.PARTLY_PAID,
                permission=None,
            ),
            Action("settle", open_, S.PAID, permission=None),
            Action(
                "record_payment",
                open_,
                None,
                permission="finance.record_payment",
                refusal=_("Only the issuer's finance officers and the treasurer record payments."),
                state_refusal=_("Payments are recorded against open invoices only."),
                label=_("Record a payment"),
            ),
            Action(
                "credit",
                open_,
                None,
                permission="finance.issue_invoice",
                refusal=_(
                    "Only the issuer's finance officers and the treasurer issue credit notes."
                ),
                state_refusal=_("Credit notes are issued against open invoices only."),
                label=_("Issue a credit note"),
            ),
            Action(
                "waive",
                open_,
                S.WAIVED,
                permission="finance.waive_invoice",
                refusal=_("Only the program's treasurer and administrators waive an invoice."),
                label=_("Waive"),
                note_required=_("Say why the invoice is waived."),
            ),
            Action(
                "write_off",
                open_,
                S.WRITTEN_OFF,
                permission="finance.write_off_invoice",
                refusal=_(
                    "Only the issuer's finance officers and the treasurer write invoices off."
                ),
                label=_("Write off"),
                note_required=_("Say why the invoice is written off."),
            ),
        ],
    )


INVOICE_WORKFLOW = _invoice_workflow()


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user) -> PaymentQuerySet:
        return self.filter(invoice__in=Invoice.objects.visible_to(user))


class Payment(models.Model):
    """Money received against an invoice. Never more than the invoice's open amount."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount"))
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                name="payment_positive",
                condition=Q(amount__gt=0),
                violation_error_message=_("A payment must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.received_on}"


# ---------------------------------------------------------------------------------------------
# The ledger: double entry between organisations
# ---------------------------------------------------------------------------------------------


class PostingQuerySet(models.QuerySet):
    def visible_to(self, user) -> PostingQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(
            Q(program_id__in=roles.admin_program_ids | roles.treasurer_program_ids)
            | Q(debtor_id__in=roles.finance_org_ids)
            | Q(creditor_id__in=roles.finance_org_ids)
        )

    def involving(self, organization_id: int) -> PostingQuerySet:
        return self.filter(Q(debtor_id=organization_id) | Q(creditor_id=organization_id))


class Posting(models.Model):
    """One entry of the ledger, with its two sides: ``debtor`` now owes ``creditor``
    ``amount`` more (an issued invoice), or less when the roles are reversed (a payment, a
    credit note, a waiver). One organisation's balance is what it is owed minus what it owes;
    every posting adds to one side what it takes from the other, so the balances of all
    organisations sum to zero (checked by the database: one amount, two different sides)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="postings"
    )
    debtor = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    creditor = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="postings")
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="posting"
    )
    memo = models.CharField(_("entry"), max_length=300)
    posted_on = models.DateField(_("date"))
    posted_at = models.DateTimeField(auto_now_add=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["posted_on", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(name="posting_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="posting_two_sides", condition=~Q(debtor=models.F("creditor"))
            ),
        ]

    def __str__(self) -> str:
        return self.memo

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A ledger entry cannot be changed.")
        super().save(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Backfill of the nominee's post, and vacancy chains
# ---------------------------------------------------------------------------------------------


class CoverMethod(models.TextChoices):
    ACTING = "acting", _("Acting appointment of a named person")
    TEMPORARY_HIRE = "temporary_hire", _("Temporary hire")
    REDISTRIBUTED = "redistributed", _("Duties redistributed")
    VACANT = "vacant", _("Left vacant")
    DEVELOPMENTAL = "developmental", _("Posted as a developmental opportunity")


class BackfillPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> BackfillPlanQuerySet:
        """Whoever sees the nomination at the root of the chain."""
        from talent_exchange.nominations.models import Nomination

        nominations = Nomination.objects.visible_to(user).values("pk")
        return self.filter(Q(nomination__in=nominations) | Q(root__nomination__in=nominations))


class BackfillPlan(models.Model):
    """How one post is covered while its holder is away. The root plan covers a nominee's
    post; when someone acts in it, their own post needs covering too — a child plan — and so
    a vacancy chain (A goes out, B acts for A, C acts for B) is a path of plans."""

    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="chain"
    )
    nomination = models.OneToOneField(
        "nominations.Nomination",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="backfill",
        verbose_name=_("nomination"),
    )
    parent = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="next_link",
        verbose_name=_("covers the post left by"),
    )
    post_holder = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("post holder")
    )
    post_title = models.CharField(_("post"), max_length=200)
    method = models.CharField(
        _("how the post is covered"), max_length=20, choices=CoverMethod.choices
    )
    acting_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acting_appointments",
        verbose_name=_("acting in the post"),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    developmental = models.BooleanField(
        _("a developmental assignment for the person acting"), default=False
    )
    opportunity_cycle = models.ForeignKey(
        "programs.Cycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted in cycle"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = BackfillPlanQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("backfill plan")
        verbose_name_plural = _("backfill plans")
        constraints = [
            models.CheckConstraint(
                name="backfill_root_or_link",
                condition=Q(nomination__isnull=False, parent__isnull=True)
                | Q(nomination__isnull=True, parent__isnull=False),
            ),
            models.CheckConstraint(
                name="backfill_acting_names_person",
                condition=~Q(method="acting") | Q(acting_person__isnull=False),
                violation_error_message=_("An acting appointment names the person acting."),
            ),
            models.CheckConstraint(
                name="backfill_dates_in_order",
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_title}: {self.get_method_display()}"

    @property
    def is_acting(self) -> bool:
        return self.method == CoverMethod.ACTING

    @property
    def root_plan(self) -> BackfillPlan:
        return self.root or self


def billing_address(organization_id: int) -> str:
    profile = BillingProfile.objects.filter(organization_id=organization_id).first()
    return profile.address if profile else ""
