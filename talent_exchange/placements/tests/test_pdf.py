import io

import pytest
from pypdf import PdfReader

from talent_exchange.placements import services
from talent_exchange.placements.pdf import agreement_pdf

from .conftest import sign_all

pytestmark = pytest.mark.django_db


def test_the_signed_agreement_pdf_contains_the_agreed_terms(world, placement):
    services.update_terms(
        placement,
        world.users["admin"],
        return_position="Senior Management Analyst",
        return_service_months=18,
        salary_home_percent=75,
        salary_host_percent=25,
        reimbursement="The host invoices quarterly.",
    )
    sign_all(placement, world)
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(agreement_pdf(placement))).pages
    )
    text = " ".join(text.split())
    assert "Assignment agreement" in text
    assert "Senior Management Analyst" in text
    assert "18 months" in text
    assert "75%" in text and "25%" in text
    assert "The host invoices quarterly." in text
    assert "Ada Alpha" in text and "City of Beta" in text
    assert "Signed electronically" in text
    assert world.users["coord_b"].get_full_name() in text
