"""The organisation filter of long lists (core/filters.py): a bounded select, found by name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from talent_exchange.core.filters import CHOICES_SHOWN
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

MANY = CHOICES_SHOWN + 10


def _options(page: str, select_id: str) -> list[str]:
    select = re.search(rf'<select name="[^"]*"[^>]*id="{select_id}".*?</select>', page, re.S)
    assert select, f"no select #{select_id}"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


@pytest.fixture
def many_organizations(world):
    """The auditor sees everybody: one person in each of many agencies."""
    orgs = [
        OrganizationFactory(name=f"Agency {i:03d}", short_name=f"AG{i:03d}") for i in range(MANY)
    ]
    for org in orgs:
        PersonFactory(organization=org, last_name=f"Staff{org.short_name}")
    return orgs


def test_the_select_offers_a_bounded_number_and_a_box_finds_the_others(
    world, many_organizations, client_for
):
    client = client_for(world.users["auditor"])
    page = client.get(reverse("people:list")).content.decode()
    options = _options(page, "id_organization")
    assert len(options) == CHOICES_SHOWN + 1  # "Any organisation" and the first ones by name
    assert 'id="id_organization_find"' in page
    assert f"The first {CHOICES_SHOWN} in alphabetical order" in page
    assert 'aria-describedby="organization-hint"' in page

    # Typing part of a name narrows the rows and offers the organisations found.
    found = client.get(reverse("people:list"), {"organization_find": "ag031"}).content.decode()
    assert _options(found, "id_organization")[1:] == ["Agency 031"]
    assert "StaffAG031" in found and "StaffAG030" not in found


def test_the_chosen_organisation_stays_offered_and_selected(world, many_organizations, client_for):
    last = many_organizations[-1]  # beyond the first ones by name
    client = client_for(world.users["auditor"])
    page = client.get(reverse("people:list"), {"organization": last.pk}).content.decode()
    assert re.search(rf'<option value="{last.pk}" selected>{last.name}</option>', page)
    assert len(_options(page, "id_organization")) == CHOICES_SHOWN + 2
    assert f"Staff{last.short_name}" in page


def test_htmx_results_bring_the_narrowed_options_along(world, many_organizations, client_for):
    client = client_for(world.users["auditor"])
    response = client.get(
        reverse("people:list"), {"organization_find": "AG03"}, HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert re.search(r'<select name="organization"[^>]*hx-swap-oob="innerHTML"', fragment)
    assert _options(fragment, "id_organization")[1:] == [f"Agency 03{i}" for i in range(5)]


def test_few_organisations_are_all_listed_without_a_find_box(world, client_for):
    client = client_for(world.users["admin"])
    page = client.get(reverse("people:list")).content.decode()
    assert 'id="id_organization_find"' not in page
    assert set(_options(page, "id_organization")[1:]) >= {"City of Alpha", "City of Beta"}


@pytest.mark.parametrize(
    ("url_name", "select_id"),
    [
        ("opportunities:list", "id_host_organization"),
        ("opportunities:queue", "id_host_organization"),
        ("nominations:list", "id_home_organization"),
    ],
)
def test_the_cycle_lists_use_the_same_filter(world, client_for, url_name, select_id):
    client = client_for(world.users["admin"])
    response = client.get(reverse(url_name, args=[world.cycle.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert _options(page, select_id)[0]  # the empty choice, then the few organisations
    find = client.get(reverse(url_name, args=[world.cycle.pk]), {select_id[3:] + "_find": "zzz"})
    assert _options(find.content.decode(), select_id)[1:] == []
