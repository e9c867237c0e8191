"""Money's part of a program's reports (reports/registry.py): the dashboard's figure of money
in and out per organisation, the invoices and ledger reports (the same columns as the
finance pages' own exports, ``exports.py``), and its sections of the history
format — the billing profiles of the organisations that invoice in the program, fee
schedules, funding, the budget and its expenses, cost defaults and arrangements, invoices
with their lines, moves and payments, the ledger, and the backfill of posts.

Ledger entries are written once and never changed (``Posting.save`` refuses): the import
finds them again by their key but refuses to change one."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent_exchange.reports import charts
from talent_exchange.reports.figures import ROWS_SHOWN
from talent_exchange.reports.registry import (
    Figure,
    Report,
    Section,
    figure,
    history_sections,
    report,
)

from . import exports
from .models import BackfillPlan, CostArrangement, Invoice, InvoiceKind, Posting

ZERO = Decimal("0.00")

# ---------------------------------------------------------------------------------------------
# The program dashboard: money in and out per organisation
# ---------------------------------------------------------------------------------------------


def _invoices(program: Any, filters: dict, user: Any):
    """The program's invoices the reader may see (``Invoice.visible_to``), kept by the
    dashboard's filters: the cycle (of the invoice or its placement), the organisation (as
    issuer or recipient), the period (issued between the two dates)."""
    rows = Invoice.objects.visible_to(user).filter(program=program)
    cycle = filters.get("cycle")
    if cycle is not None:
        rows = rows.filter(Q(cycle=cycle) | Q(placement__cycle=cycle))
    org = filters.get("organization")
    if org is not None:
        rows = rows.filter(Q(issuer=org) | Q(recipient=org))
    if filters.get("start"):
        rows = rows.filter(issued_on__gte=filters["start"])
    if filters.get("end"):
        rows = rows.filter(issued_on__lte=filters["end"])
    return rows


def money(program: Any, filters: dict, user: Any) -> list[dict]:
    """Per organisation and currency: invoiced to others (money in, net of credit notes) and
    received; invoiced by others (money out) and paid. Issued invoices only. Two queries."""
    billed = (
        _invoices(program, filters, user).issued().exclude(kind=InvoiceKind.CREDIT_NOTE).order_by()
    )
    totals: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"money_in": ZERO, "received": ZERO, "money_out": ZERO, "paid": ZERO}
    )
    for side, (net, cash) in (
        ("issuer", ("money_in", "received")),
        ("recipient", ("money_out", "paid")),
    ):
        for row in billed.values(f"{side}__name", "currency").annotate(
            net=Sum(F("total") - F("credited")), cash=Sum("paid")
        ):
            entry = totals[(row[f"{side}__name"], row["currency"])]
            entry[net] += row["net"] or ZERO
            entry[cash] += row["cash"] or ZERO
    rows = [
        {
            "name": name,
            "currency": currency,
            **entry,
            "balance": entry["money_in"] - entry["money_out"],
        }
        for (name, currency), entry in totals.items()
    ]
    return sorted(
        rows, key=lambda r: (-(r["money_in"] + r["money_out"]), r["name"].lower(), r["currency"])
    )


@figure("finance.money")
def money_figure(program: Any, filters: dict, user: Any) -> Figure | None:
    rows = money(program, filters, user)
    if not rows:
        return None
    shown = rows[:ROWS_SHOWN]
    currencies = sorted({r["currency"] for r in rows})
    summary = _(
        "%(n)s organisations invoiced or were invoiced %(total)s %(currency)s in the program; "
        "%(open)s %(currency)s is still to be paid."
    ) % {
        "n": len({r["name"] for r in rows}),
        "total": sum((r["money_in"] for r in rows if r["currency"] == currencies[0]), ZERO),
        "currency": currencies[0],
        "open": sum(
            (r["money_in"] - r["received"] for r in rows if r["currency"] == currencies[0]), ZERO
        ),
    }
    if len(currencies) > 1:
        summary += " " + _("Amounts in other currencies are in the table.")
    return Figure(
        _("Money in and out per organisation"),
        "finance/reports/money.html",
        {
            "rows": shown,
            "hidden": len(rows) - len(shown),
            "chart": charts.balance(shown, left="money_out", right="money_in"),
        },
        summary=summary,
    )


# ---------------------------------------------------------------------------------------------
# Reports to download: the invoices and the ledger
# ---------------------------------------------------------------------------------------------


@report("finance.invoices")
def invoices_report() -> Report:
    return Report(
        title=gettext_lazy("Invoices"),
        description=gettext_lazy(
            "Every invoice and credit note of the program you may see: parties, amounts, "
            "paid, credited, open, dates."
        ),
        columns=exports.invoice_columns(),
        rows=lambda program, filters, user: exports.invoice_rows(_invoices(program, filters, user)),
        count=lambda program, filters, user: _invoices(program, filters, user).count(),
    )


def _postings(program: Any, filters: dict, user: Any):
    rows = Posting.objects.visible_to(user).filter(program=program)
    org = filters.get("organization")
    if org is not None:
        rows = rows.involving(org.pk)
    if filters.get("start"):
        rows = rows.filter(posted_on__gte=filters["start"])
    if filters.get("end"):
        rows = rows.filter(posted_on__lte=filters["end"])
    return rows


@report("finance.ledger")
def ledger_report() -> Report:
    return Report(
        title=gettext_lazy("Ledger"),
        description=gettext_lazy(
            "The program's ledger entries you may see: who owes whom, how much, for which invoice."
        ),
        columns=exports.posting_columns(),
        rows=lambda program, filters, user: exports.posting_rows(_postings(program, filters, user)),
        count=lambda program, filters, user: _postings(program, filters, user).count(),
    )


# ---------------------------------------------------------------------------------------------
# The history format
# ---------------------------------------------------------------------------------------------


def _in_program(program: Any) -> Q:
    return Q(nomination__cycle__program=program) | Q(root__nomination__cycle__program=program)


def _people(program: Any) -> Q:
    plans = BackfillPlan.objects.filter(_in_program(program))
    return Q(pk__in=plans.values("post_holder_id")) | Q(pk__in=plans.values("acting_person_id"))


def _organizations(program: Any) -> Q:
    invoices = Invoice.objects.filter(program=program)
    arrangements = CostArrangement.objects.filter(placement__program=program)
    postings = Posting.objects.filter(program=program)
    return (
        Q(pk__in=invoices.values("issuer_id"))
        | Q(pk__in=invoices.values("recipient_id"))
        | Q(pk__in=arrangements.values("payer_id"))
        | Q(pk__in=arrangements.values("payee_id"))
        | Q(pk__in=postings.values("debtor_id"))
        | Q(pk__in=postings.values("creditor_id"))
    )


history_sections(
    "finance",
    # the counter of invoice numbers travels with the invoices it numbered
    Section(
        "billing_profiles",
        "finance.BillingProfile",
        lambda p: Q(organization__invoices_issued__program=p),
        ("organization",),
    ),
    Section("fee_schedules", "finance.FeeSchedule", lambda p: Q(cycle__program=p), ("cycle",)),
    Section(
        "funding_lines",
        "finance.FundingLine",
        lambda p: Q(program=p),
        ("program", "kind", "funder"),
    ),
    Section(
        "budget_lines",
        "finance.BudgetLine",
        lambda p: Q(program=p),
        ("program", "year", "category", "description"),
    ),
    Section(
        "expenses",
        "finance.Expense",
        lambda p: Q(budget_line__program=p),
        ("budget_line", "spent_on", "description", "amount"),
    ),
    Section("cost_defaults", "finance.CostDefaults", lambda p: Q(program=p), ("program",)),
    Section(
        "cost_arrangements",
        "finance.CostArrangement",
        lambda p: Q(placement__program=p),
        ("placement",),
    ),
    Section(
        "cost_components",
        "finance.CostComponent",
        lambda p: Q(arrangement__placement__program=p),
        ("arrangement", "kind", "description"),
    ),
    Section(
        "invoices",
        "finance.Invoice",
        lambda p: Q(program=p),
        ("program", "issuer", "created_at"),
    ),
    Section(
        "invoice_lines",
        "finance.InvoiceLine",
        lambda p: Q(invoice__program=p),
        ("invoice", "description", "rule", "placement", "quantity", "unit_amount"),
    ),
    Section(
        "invoice_transitions",
        "finance.InvoiceTransition",
        lambda p: Q(invoice__program=p),
        ("invoice", "at", "to_state"),
    ),
    Section(
        "payments",
        "finance.Payment",
        lambda p: Q(invoice__program=p),
        ("invoice", "recorded_at"),
    ),
    Section(
        "postings",
        "finance.Posting",
        lambda p: Q(program=p),
        ("invoice", "posted_at", "debtor", "creditor", "amount"),
        immutable=True,
    ),
    Section("backfill_plans", "finance.BackfillPlan", _in_program, ("nomination", "parent")),
    people=_people,
    organizations=_organizations,
)
