"""Exports for the organisations' own finance systems: CSV (through ``core.csv.writer``,
which defuses formula cells) and Excel (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from talent_exchange.core.csv import safe_cell, writer


def invoice_header() -> list[str]:
    return [
        _("Invoice number"),
        _("Kind"),
        _("Status"),
        _("From"),
        _("To"),
        _("Currency"),
        _("Total"),
        _("Paid"),
        _("Credited"),
        _("Open"),
        _("Issued on"),
        _("Due on"),
        _("Period from"),
        _("Period to"),
        _("Placement"),
    ]


def invoice_rows(invoices) -> Iterable[list[Any]]:
    yield invoice_header()
    for invoice in invoices.select_related("issuer", "recipient", "placement__person").order_by(
        "issuer_id", "number", "pk"
    ):
        yield [
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
        ]


def posting_rows(postings) -> Iterable[list[Any]]:
    yield [_("Date"), _("Owes"), _("Is owed"), _("Currency"), _("Amount"), _("Entry"), _("Invoice")]
    for posting in postings.select_related("debtor", "creditor", "invoice").order_by(
        "posted_on", "pk"
    ):
        yield [
            posting.posted_on,
            posting.debtor.name,
            posting.creditor.name,
            posting.currency,
            posting.amount,
            posting.memo,
            posting.invoice.reference,
        ]


def write_csv(stream, rows: Iterable[list[Any]]) -> None:
    out = writer(stream)
    for row in rows:
        out.writerow(["" if v is None else v for v in row])


def workbook(invoices: Iterable[list[Any]], postings: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in ((_("Invoices"), invoices), (_("Ledger"), postings)):
        sheet = book.create_sheet(title=str(title)[:31])
        for row in rows:
            sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
