"""The conflict form on a nominee's page is written by core.forms.QuickFormRenderer: the
HTML its templates gave, to the byte, in English and French, with what people typed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from talent_exchange.core.forms import USWDSFormRenderer
from talent_exchange.nominations.forms import ConflictForm
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.nominations.views import QUICK_FORMS
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>&'


@pytest.fixture
def own(world):
    """The participant's own nomination."""
    return NominationFactory(cycle=world.cycle, person=world.person_a)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("organizations", "find"), [(3, ""), (30, ""), (30, "Authority 2")])
def test_the_conflict_form_is_its_templates_html(own, language, organizations, find):
    for i in range(organizations):
        OrganizationFactory(name=f"Aardvark Authority {i:02d} {HOSTILE}")
    with translation.override(language):
        quick = ConflictForm(nomination=own, find=find, renderer=QUICK_FORMS)
        by_templates = ConflictForm(nomination=own, find=find, renderer=USWDSFormRenderer())
        html = str(quick)
        assert html == str(by_templates)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and html.count("<option") <= 26


def test_the_nominees_page_shows_the_quick_form(world, own, client_for):
    page = client_for(world.users["participant"]).get(reverse("nominations:detail", args=[own.pk]))
    assert page.context["conflict_form"].renderer is QUICK_FORMS
    assert 'name="reason" maxlength="300" class="usa-input"' in page.content.decode()
