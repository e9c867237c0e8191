"""Exports for the organisations' own finance systems: the invoices and the ledger as
columns and rows, written as CSV or Excel by the reports app's one writer
(``reports.writers``: typed cells, frozen header, widths, formula cells defused). The same
columns and rows are the program's **Invoices** and **Ledger** reports (``reports.py``)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from talent_exchange.reports import writers
from talent_exchange.reports.registry import Column


def invoice_columns() -> list[Column]:
    return [
        Column("reference", _("Invoice number"), width=18),
        Column("kind", _("Kind")),
        Column("status", _("Status")),
        Column("issuer", _("From"), width=30),
        Column("recipient", _("To"), width=30),
        Column("currency", _("Currency"), width=10),
        Column("total", _("Total"), "decimal"),
        Column("paid", _("Paid"), "decimal"),
        Column("credited", _("Credited"), "decimal"),
        Column("open", _("Open"), "decimal"),
        Column("issued_on", _("Issued on"), "date"),
        Column("due_on", _("Due on"), "date"),
        Column("period_start", _("Period from"), "date"),
        Column("period_end", _("Period to"), "date"),
        Column("placement", _("Placement"), width=30),
    ]


def invoice_rows(invoices) -> Iterator[tuple]:
    for invoice in (
        invoices.select_related("issuer", "recipient", "placement__person")
        .order_by("issuer_id", "number", "pk")
        .iterator(chunk_size=2000)
    ):
        yield (
            invoice.reference,
            invoice.get_kind_display(),
            invoice.get_status_display(),
            invoice.issuer.name,
            invoice.recipient.name,
            invoice.currency,
            invoice.total,
            invoice.paid,
            invoice.credited,
            invoice.open_amount,
            invoice.issued_on,
            invoice.due_on,
            invoice.period_start,
            invoice.period_end,
            str(invoice.placement.person) if invoice.placement_id else "",
        )


def posting_columns() -> list[Column]:
    return [
        Column("posted_on", _("Date"), "date"),
        Column("debtor", _("Owes"), width=30),
        Column("creditor", _("Is owed"), width=30),
        Column("currency", _("Currency"), width=10),
        Column("amount", _("Amount"), "decimal"),
        Column("memo", _("Entry"), width=40),
        Column("invoice", _("Invoice"), width=18),
    ]


def posting_rows(postings) -> Iterator[tuple]:
    rows = (
        postings.order_by("posted_on", "pk")
        .values_list(
            "posted_on",
            "debtor__name",
            "creditor__name",
            "currency",
            "amount",
            "memo",
            "invoice__reference",
        )
        .iterator(chunk_size=2000)
    )
    yield from rows


def write_invoices_csv(stream, invoices) -> None:
    writers.write_csv(stream, invoice_columns(), invoice_rows(invoices))


def workbook(invoices, postings) -> bytes:
    """The invoices and the ledger, one sheet each."""
    buffer = io.BytesIO()
    writers.write_xlsx_sheets(
        buffer,
        [
            (str(_("Invoices")), invoice_columns(), invoice_rows(invoices)),
            (str(_("Ledger")), posting_columns(), posting_rows(postings)),
        ],
    )
    return buffer.getvalue()
