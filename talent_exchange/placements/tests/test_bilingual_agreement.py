"""An agreement template written in both languages: each agreement keeps both versions, and
its page and PDF show the reader's (core/bilingual.py)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from talent_exchange.placements.models import AgreementTemplate
from talent_exchange.placements.pdf import agreement_pdf

from .conftest import sign_all
from .factories import placement_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(world, coach_user):
    AgreementTemplate.objects.create(
        program=world.program,
        return_rights_text="Return to the same post, guaranteed.",
        return_rights_text_fr="Retour au même poste, garanti.",
        re_entry_text="Re-entry.",
        re_entry_text_fr="Réintégration.",
        appraisal_text="Appraisal.",
        awards_text="Awards.",
        conflict_text="Conflicts.",
    )
    return placement_in(world)


def test_each_agreement_keeps_both_versions(bilingual):
    agreement = bilingual.agreement
    assert agreement.return_rights_fr == "Retour au même poste, garanti."
    with translation.override("fr"):
        assert agreement.local_return_rights == "Retour au même poste, garanti."
        assert agreement.local_appraisal_handling == "Appraisal."  # no French: the English
    with translation.override("en"):
        assert agreement.local_return_rights == "Return to the same post, guaranteed."


def test_the_page_and_the_pdf_are_in_the_readers_version(world, bilingual, client):
    sign_all(bilingual, world)
    participant = world.users["participant"]
    participant.language = "fr"
    participant.save()
    client.force_login(participant)
    page = client.get(reverse("placements:detail", args=[bilingual.pk])).content.decode()
    assert "Retour au même poste, garanti." in page and "Réintégration." in page
    with translation.override("fr"):
        pdf = PdfReader(io.BytesIO(agreement_pdf(bilingual)))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Retour au même poste, garanti." in text
    assert "Return to the same post" not in text
