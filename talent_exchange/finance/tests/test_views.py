"""The finance pages, through the client: the journey of issue 13 in small steps."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from talent_exchange.finance.models import FeeSchedule, Invoice, InvoiceStatus
from tests.factories import NominationFactory, PersonFactory

from .factories import FeeScheduleFactory, placement_between, reimbursable


def test_fees_invoice_pdf_payment_ledger_pages(client, money_world, monkeypatch):
    w = money_world
    FeeScheduleFactory(cycle=w.cycle)
    for home, host in [(w.city_c, w.city_a)] * 2:
        placement_between(w.cycle, home, host)
    client.force_login(w.users["treasurer"])
    assert client.get(reverse("finance:index")).status_code == 200
    assert client.get(reverse("finance:program", args=[w.program.pk])).status_code == 200
    page = client.get(reverse("finance:fees", args=[w.cycle.pk]))
    assert "2000.00" in page.content.decode()
    client.post(reverse("finance:generate_fees", args=[w.cycle.pk]))
    invoice = Invoice.objects.get()
    client.post(reverse("finance:issue", args=[invoice.pk]), {"issued_on": "2027-05-01"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    monkeypatch.setattr("talent_exchange.finance.pdf.invoice_pdf", lambda i: b"%PDF-1.7")
    assert client.get(reverse("finance:invoice", args=[invoice.pk])).status_code == 200
    refused = client.post(
        reverse("finance:payment", args=[invoice.pk]),
        {"amount": "2500", "received_on": "2027-05-10"},
    )
    assert "more than the 2000.00" in refused.content.decode()
    client.post(
        reverse("finance:payment", args=[invoice.pk]),
        {"amount": "2000", "received_on": "2027-05-10"},
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    ledger = client.get(reverse("finance:ledger", args=[w.city_c.pk]))
    assert ledger.status_code == 200
    assert client.get(reverse("finance:program_ledger", args=[w.program.pk])).status_code == 200
    csv = client.get(reverse("finance:export_csv", args=[w.program.pk]))
    assert invoice.reference in csv.content.decode()
    xlsx = client.get(reverse("finance:export_xlsx", args=[w.program.pk]))
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("finance:budget", args=[w.program.pk])).status_code == 200


def test_the_invoice_pdf_renders(client, money_world):
    pytest.importorskip("weasyprint")
    from talent_exchange.finance.pdf import invoice_html

    w = money_world
    FeeScheduleFactory(cycle=w.cycle)
    placement_between(w.cycle, w.city_c, w.city_a)
    client.force_login(w.users["treasurer"])
    client.post(reverse("finance:generate_fees", args=[w.cycle.pk]))
    invoice = Invoice.objects.get()
    assert "DRAFT" in invoice_html(invoice)


def test_invoice_list_is_scoped_and_flat(client, money_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = money_world
    FeeScheduleFactory(cycle=w.cycle, waiver="none")
    placement_between(w.cycle, w.city_c, w.city_a)
    placement_between(w.cycle, w.city_b, w.city_a)
    client.force_login(w.users["treasurer"])
    client.post(reverse("finance:generate_fees", args=[w.cycle.pk]))
    client.force_login(w.users["finance_b"])
    page = client.get(reverse("finance:invoices"))
    assert len(page.context["object_list"]) == 1
    assert client.get(reverse("finance:program", args=[w.program.pk])).status_code == 404
    # a page of 3 costs what a page of 1 does
    client.force_login(w.users["treasurer"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("finance:invoices"))
    placement_between(w.cycle, w.city_a, w.city_c)
    FeeSchedule.objects.update(flat_per_organization=5)
    client.post(reverse("finance:generate_fees", args=[w.cycle.pk]))
    assert Invoice.objects.count() == 3
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("finance:invoices"))
    assert len(many) == len(few)


def test_a_negative_fee_is_refused_next_to_its_field(client, money_world):
    w = money_world
    client.force_login(w.users["treasurer"])
    response = client.post(
        reverse("finance:fees", args=[w.cycle.pk]),
        {"currency": "USD", "per_participant_sent": "-5", "per_place_hosted": "0",
         "flat_per_organization": "0", "waiver": "none", "waiver_percent": "0", "due_days": "30"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A fee cannot be negative." in response.content.decode()
    assert not FeeSchedule.objects.exists()


def test_a_finance_officer_exports_its_own_invoices(client, money_world):
    w = money_world
    FeeScheduleFactory(cycle=w.cycle, waiver="none")
    placement_between(w.cycle, w.city_c, w.city_a)
    placement_between(w.cycle, w.city_b, w.city_a)
    client.force_login(w.users["treasurer"])
    client.post(reverse("finance:generate_fees", args=[w.cycle.pk]))
    client.force_login(w.users["finance_b"])
    csv = client.get(reverse("finance:org_export_csv", args=[w.city_b.pk])).content.decode()
    assert "City of Beta" in csv and "City of Charlie" not in csv
    assert client.get(reverse("finance:org_export_csv", args=[w.city_c.pk])).status_code == 403
    xlsx = client.get(reverse("finance:org_export_xlsx", args=[w.city_b.pk]))
    assert xlsx.content[:2] == b"PK"


def test_dashboard_sections(client, money_world):
    w = money_world
    placement = placement_between(w.cycle, w.city_a, w.city_b, signed=True, start=date(2025, 1, 1))
    reimbursable(placement, frequency="once")
    NominationFactory(cycle=w.cycle, person=PersonFactory(organization=w.city_a))
    client.force_login(w.users["finance_a"])
    page = client.get("/")
    assert "Signed but not invoiced" in page.content.decode()
    client.force_login(w.users["coord_a"])
    page = client.get("/")
    assert "Posts without a backfill plan" in page.content.decode()


def test_arrangement_and_backfill_pages(client, money_world):
    w = money_world
    placement = placement_between(w.cycle, w.city_a, w.city_b, signed=True, start=date(2027, 1, 1))
    reimbursable(placement)
    client.force_login(w.users["coord_a"])
    page = client.get(reverse("finance:arrangement", args=[placement.pk]))
    assert page.status_code == 200 and "frozen" in page.content.decode()
    nomination = NominationFactory(cycle=w.cycle, person=w.person_a)
    bo = PersonFactory(organization=w.city_a, first_name="Bo", last_name="Acting")
    response = client.post(
        reverse("finance:backfill", args=[nomination.pk]),
        {"post_title": "Budget manager", "method": "acting", "acting_person": bo.work_email},
    )
    assert response.status_code == 302
    page = client.get(reverse("finance:backfill", args=[nomination.pk]))
    assert "Bo Acting" in page.content.decode()
    client.force_login(w.users["coord_b"])
    assert client.get(reverse("finance:backfill", args=[nomination.pk])).status_code in (403, 404)


def test_the_backfill_box_shows_placed_posts_by_start_date_then_the_unplaced(money_world):
    """The dashboard's first posts without a backfill plan, read as ids and then by id, are
    ``posts_without_plan`` in its order: placements still in agreement soonest first, then
    nominees not placed yet; running placements and planned posts are left out."""
    from talent_exchange.finance.dashboard import first_posts_without_plan, posts_without_plan
    from talent_exchange.finance.models import BackfillPlan
    from talent_exchange.placements.models import Status

    w = money_world
    later = placement_between(w.cycle, w.city_a, w.city_b, status=Status.AGREEMENT,
                              start=date(2027, 3, 1))  # fmt: skip
    sooner = placement_between(w.cycle, w.city_a, w.city_b, status=Status.AGREEMENT,
                               start=date(2027, 2, 1))  # fmt: skip
    placement_between(w.cycle, w.city_a, w.city_b, status=Status.ACTIVE)
    unplaced = [NominationFactory(cycle=w.cycle, person__organization=w.city_a) for _ in range(3)]
    planned = unplaced.pop()
    BackfillPlan.objects.create(
        nomination=planned,
        post_holder=planned.person,
        post_title="Director",
        method="vacant",
        recorded_by=w.users["coord_a"],
    )
    coordinator, today = w.users["coord_a"], date(2027, 1, 1)

    rows = first_posts_without_plan(coordinator, today, 10)
    expected = [sooner.offer.nomination_id, later.offer.nomination_id, *(n.pk for n in unplaced)]
    assert [n.pk for n in rows] == expected
    assert [n.pk for n in posts_without_plan(coordinator, today)] == expected
    assert [n.starts_on for n in rows] == [date(2027, 2, 1), date(2027, 3, 1), None, None]
    assert rows[0].person == sooner.person and rows[0].home_organization == w.city_a
    assert [n.pk for n in first_posts_without_plan(coordinator, today, 2)] == expected[:2]
    assert first_posts_without_plan(w.users["nobody"], today, 10) == []


def test_the_backfill_box_lists_only_posts_the_user_plans(money_world):
    """An endorser sees a nomination of another organisation, but does not plan its
    backfill: the box lists only rows whose backfill page the user may open."""
    from talent_exchange.finance.dashboard import posts_without_plan
    from talent_exchange.nominations.models import Endorsement

    w = money_world
    own = NominationFactory(cycle=w.cycle, person__organization=w.city_a)
    elsewhere = NominationFactory(cycle=w.cycle, person__organization=w.city_b)
    Endorsement.objects.create(
        nomination=elsewhere, order=1, title="Director", endorser=w.users["coord_a"]
    )
    today = date(2027, 1, 1)
    coordinator = w.users["coord_a"]
    assert [n.pk for n in posts_without_plan(coordinator, today)] == [own.pk]
    for user in w.users.values():
        for nomination in posts_without_plan(user, today):
            assert user.has_perm("finance.plan_backfill", nomination), (user, nomination)
    assert {n.pk for n in posts_without_plan(w.users["admin"], today)} == {own.pk, elsewhere.pk}
