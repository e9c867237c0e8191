"""An invoice as a PDF, rendered by WeasyPrint from an HTML template, as the placement's
agreement is (``placements/pdf.py``; WeasyPrint is imported lazily there too)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Invoice, billing_address


def invoice_html(invoice: Invoice) -> str:
    return render_to_string(
        "finance/invoice_pdf.html",
        {
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "issuer_address": billing_address(invoice.issuer_id),
            "recipient_address": billing_address(invoice.recipient_id),
        },
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML

    return HTML(string=invoice_html(invoice)).write_pdf()
