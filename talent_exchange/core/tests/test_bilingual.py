"""Bilingual content: names, titles and descriptions in the reader's language, the other
language when a version is missing, and searches in both."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from talent_exchange.opportunities.models import Opportunity
from tests.factories import CycleFactory, OpportunityFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget():
    program = ProgramFactory(name="Local Government Exchange", name_fr="Échange municipal")
    cycle = CycleFactory(program=program, name="Spring 2027", name_fr="Printemps 2027")
    return OpportunityFactory(
        cycle=cycle,
        title="Budget analyst",
        title_fr="Analyste budgétaire",
        description="Prepare the capital budget.",
        description_fr="Préparer le budget d’immobilisations.",
    )


def test_each_reader_sees_their_language(budget):
    with translation.override("fr"):
        assert budget.local_title == "Analyste budgétaire"
        assert budget.local_description == "Préparer le budget d’immobilisations."
        assert str(budget.cycle.program) == "Échange municipal"
        assert budget.cycle.local_name == "Printemps 2027"
    for language in ("en", "en-ca"):
        with translation.override(language):
            assert budget.local_title == "Budget analyst"
            assert str(budget.cycle.program) == "Local Government Exchange"


def test_without_a_french_version_the_french_reader_sees_the_other(budget):
    budget.title_fr = ""
    budget.cycle.program.name_fr = ""
    with translation.override("fr"):
        assert budget.local_title == "Budget analyst"
        assert str(budget.cycle.program) == "Local Government Exchange"


def test_a_search_finds_either_language_whatever_the_readers(budget):
    OpportunityFactory(title="Fleet manager", description="Run the fleet.")
    for language in ("en", "fr"):
        with translation.override(language):
            assert list(Opportunity.objects.search("budgétaire")) == [budget]
            assert list(Opportunity.objects.search("budget analyst")) == [budget]
            assert list(Opportunity.objects.search("immobilisations")) == [budget]


def test_the_page_shows_the_readers_version(client, budget):
    reader = UserFactory(is_superuser=True, language="fr")
    client.force_login(reader)
    page = client.get(reverse("opportunities:detail", args=[budget.pk])).content.decode()
    assert "<h1" in page and "Analyste budgétaire</h1>" in page
    assert "Préparer le budget d’immobilisations." in page
    reader.language = "en"
    reader.save()
    page = client.get(reverse("opportunities:detail", args=[budget.pk])).content.decode()
    assert "Budget analyst</h1>" in page and "Analyste" not in page
