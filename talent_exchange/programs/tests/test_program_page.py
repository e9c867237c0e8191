"""The program's page at scale: its participating organisations come a page at a time, in
the same queries for 5 and for 50 of them (issue 17)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [5, 50])
def test_participating_organisations_are_paged(world, client_for, django_assert_max_num_queries, n):
    for i in range(n):
        world.program.participating_organizations.add(OrganizationFactory(name=f"Member {i:03d}"))
    total = world.program.participating_organizations.count()
    client = client_for(world.users["admin"])
    url = reverse("programs:detail", args=[world.program.pk])
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert page.count("out of the program") == min(total, settings.PAGE_SIZE)  # one per row
    if total > settings.PAGE_SIZE:
        last = (total - 1) // settings.PAGE_SIZE + 1
        second = client.get(url, {"organisations_page": last}).content.decode()
        assert "Member 049" in second and "Member 049" not in page
