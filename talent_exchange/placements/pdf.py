"""The signed agreement as a PDF, rendered by WeasyPrint from an HTML template.

WeasyPrint needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
fonts-dejavu-core);
it is imported here, lazily, so the rest of the app runs without it."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Party, Placement


def agreement_html(placement: Placement) -> str:
    agreement = placement.agreement
    signatures = {s.party: s for s in agreement.signatures.all() if s.version == agreement.version}
    return render_to_string(
        "placements/agreement_pdf.html",
        {
            "placement": placement,
            "agreement": agreement,
            "signatures": [(Party(p).label, signatures.get(p)) for p in Party.values],
        },
    )


def agreement_pdf(placement: Placement) -> bytes:
    from weasyprint import HTML

    return HTML(string=agreement_html(placement)).write_pdf()
