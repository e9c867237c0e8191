"""The cycle page's "Match runs" link and the dashboard sections."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent_exchange.accounts.roles import roles_of
from talent_exchange.matches import dashboard, services

from .factories import small_market

pytestmark = pytest.mark.django_db


def test_the_cycle_page_links_to_runs_for_admins_and_auditors(world, client_for):
    url = reverse("matches:runs", args=[world.cycle.pk])
    for username, shown in [("admin", True), ("auditor", True), ("coord_a", False)]:
        client = client_for(world.users[username])
        page = client.get(reverse("programs:cycle", args=[world.cycle.pk]))
        assert (url in page.content.decode()) == shown, username


def test_dashboards_show_runs_offers_and_host_offers(world, client_for):
    m = small_market(world)
    admin = world.users["admin"]
    run = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    admin_page = client_for(admin).get(reverse("core:dashboard")).content.decode()
    assert f"run #{run.pk} (Stable)" in admin_page and "Finished" in admin_page
    services.publish_run(run, actor=admin)
    participant_page = client_for(world.users["participant"]).get(reverse("core:dashboard"))
    text = participant_page.content.decode()
    assert "Your offer" in text and "Parks at B" in text and "answer by" in text
    host_page = client_for(world.users["coord_a"]).get(reverse("core:dashboard")).content.decode()
    assert "Offers for your opportunities" in host_page and "Budget at A" in host_page
    assert "Parks at B" not in host_page  # B's offer is not A's business


def test_sections_cost_a_fixed_number_of_queries(world):
    m = small_market(world)
    admin = world.users["admin"]
    for mode in ("stable", "optimal", "stable"):
        services.start_run(m.cycle, actor=admin, mode=mode, balance_tolerance=None)
    roles = roles_of(admin)
    with CaptureQueriesContext(connection) as queries:
        section = dashboard.latest_runs(admin, roles, None)
    assert len(queries) == 1 and len(section.context["runs"]) == 1
