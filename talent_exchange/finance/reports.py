"""Money's part of a program's reports (reports/registry.py): its sections of the history
format — the billing profiles of the organisations that invoice in the program, fee
schedules, funding, the budget and its expenses, cost defaults and arrangements, invoices
with their lines, moves and payments, the ledger, and the backfill of posts.

Ledger entries are written once and never changed (``Posting.save`` refuses): the import
finds them again by their key but refuses to change one."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from talent_exchange.reports.registry import Section, history_sections

from .models import BackfillPlan, CostArrangement, Invoice, Posting


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
