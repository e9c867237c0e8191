"""Money between organisations and backfill (issue 13), through the pages: the program
administrator sets a $1,000 fee with the send-and-host waiver and a sponsor line; after the
cycle's placements start, invoices are generated (sent two and hosted two: nothing; sent two
and hosted none: $2,000), one is issued, its PDF read and paid; the ledger shows the
balances; a reimbursable Interchange arrangement is on "signed but not invoiced" until its
invoice is issued; a home coordinator records an acting appointment that becomes a two-link
vacancy chain. Every page is checked with axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talent_exchange.finance.models import BackfillPlan
from talent_exchange.finance.tests.factories import placement_between, reimbursable
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Cycle

from .accessibility import assert_accessible
from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def started_cycle(demo):
    """In the current Bayshore cycle: Mariposa Bay and Cedar Hollow send two each to the
    other, Pacific Crest sends two to Cedar Hollow and hosts nobody; all have started. In
    last year's cycle, a signed Interchange-style assignment from Mariposa Bay to Cedar
    Hollow whose (single) billing period ended a month ago."""
    orgs = {
        key: Organization.objects.get(name=name)
        for key, name in (
            ("mb", "City of Mariposa Bay"),
            ("ch", "City of Cedar Hollow"),
            ("pc", "City of Pacific Crest"),
        )
    }
    cycle = Cycle.objects.get(name="2027 Spring Exchange")
    today = timezone.localdate()
    pairs = [("mb", "ch")] * 2 + [("ch", "mb")] * 2 + [("pc", "ch")] * 2
    for home, host in pairs:
        placement_between(cycle, orgs[home], orgs[host], start=today - timedelta(days=10))
    closed = Cycle.objects.get(name="2026 Spring Exchange")
    traveller = Person.objects.create(
        first_name="Rowan", last_name="Interchange", work_email="rowan.i@mariposabay.example",
        organization=orgs["mb"], position_title="Deputy Director",
    )  # fmt: skip
    interchange = placement_between(
        closed, orgs["mb"], orgs["ch"], person=traveller, signed=True,
        start=today - timedelta(days=120), months=3, salary_host_percent=100,
    )  # fmt: skip
    reimbursable(interchange, frequency="once")
    return cycle, orgs


def test_fees_invoices_ledger_and_a_vacancy_chain(started_cycle, new_page):
    cycle, orgs = started_cycle
    admin = new_page()
    sign_in(admin, "admin")

    # The fee and the sponsor.
    admin.get_by_role("link", name="Finance", exact=True).click()
    assert_accessible(admin)
    admin.get_by_role("link", name="Bayshore Management Talent Exchange Program").click()
    assert_accessible(admin)
    admin.get_by_role("link", name="Add a sponsor or grant").click()
    admin.get_by_label("Kind").select_option("sponsor")
    admin.get_by_label("Funder").fill("Harbor Bank Community Fund")
    admin.get_by_label("Amount committed").fill("10000")
    admin.get_by_label("Reporting dates").fill("2027-12-15")
    assert_accessible(admin)
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("Harbor Bank Community Fund").first).to_be_visible()
    admin.get_by_role("link", name="2027 Spring Exchange").click()
    admin.get_by_label("Fee per participant sent").fill("1000")
    admin.get_by_label(re.compile("Send-and-host")).check()
    assert_accessible(admin)
    admin.get_by_role("button", name="Save the fees").click()
    expect(admin.get_by_text("The fees were saved.")).to_be_visible()

    # What each owes: sent two and hosted two pays nothing; sent two and hosted none, $2,000.
    due = admin.get_by_test_id("fees-due")
    expect(due.get_by_role("row", name=re.compile("Mariposa Bay"))).to_contain_text("0.00 USD")
    expect(due.get_by_role("row", name=re.compile("Pacific Crest"))).to_contain_text("2000.00 USD")
    assert_accessible(admin)
    admin.get_by_role("button", name="Generate the fee invoices").click()
    expect(admin.get_by_text("1 draft invoices are ready")).to_be_visible()
    invoices = admin.get_by_test_id("invoices")
    expect(invoices.get_by_role("row")).to_have_count(2)  # the header and Pacific Crest's
    assert_accessible(admin)
    invoices.get_by_role("link", name=re.compile("Draft")).click()
    expect(admin.get_by_test_id("invoice-total")).to_have_text("2000.00 USD")
    assert_accessible(admin)
    admin.get_by_role("button", name="Issue the invoice").click()
    expect(admin.get_by_test_id("invoice-status")).to_have_text("Issued")
    pdf = admin.request.get(admin.get_by_role("link", name="Invoice as PDF").get_attribute("href"))
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    invoice_url = admin.url

    # The ledger: Pacific Crest owes the county $2,000.
    admin.goto(f"/finance/organisations/{orgs['pc'].pk}/ledger/")
    expect(admin.get_by_test_id(f"balance-{orgs['pc'].pk}")).to_have_text("-2000.00")
    assert_accessible(admin)

    # Paid: an over-payment is refused first.
    admin.goto(invoice_url)
    admin.get_by_role("link", name="Record a payment").click()
    admin.get_by_label("Amount received").fill("2500")
    admin.get_by_label("Received on").fill(timezone.localdate().isoformat())
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text(re.compile("more than the 2000.00 still owed"))).to_be_visible()
    assert_accessible(admin)
    admin.get_by_label("Amount received").fill("2000")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_test_id("invoice-status")).to_have_text("Paid")
    program = cycle.program
    admin.goto(f"/finance/programs/{program.pk}/ledger/")
    expect(admin.get_by_test_id(f"balance-{orgs['pc'].pk}")).to_have_text("0.00")
    assert_accessible(admin)

    # Signed but not invoiced, until the Interchange invoice is issued.
    admin.goto(f"/finance/programs/{program.pk}/signed-not-invoiced/")
    expect(admin.get_by_role("link", name="Rowan Interchange")).to_be_visible()
    assert_accessible(admin)
    admin.get_by_role("link", name="Rowan Interchange").click()
    assert_accessible(admin)
    admin.get_by_role("button", name="Generate invoices for past periods").click()
    expect(admin.get_by_text("1 draft invoices are ready")).to_be_visible()
    admin.get_by_role("link", name="Draft invoice").click()
    admin.get_by_role("button", name="Issue the invoice").click()
    expect(admin.get_by_test_id("invoice-status")).to_have_text("Issued")
    admin.goto(f"/finance/programs/{program.pk}/signed-not-invoiced/")
    expect(admin.get_by_role("link", name="Rowan Interchange")).to_have_count(0)

    # The home coordinator plans a backfill: an acting appointment, then who acts for them.
    home = new_page()
    sign_in(home, "coordinator")
    section = home.get_by_test_id("finance-backfill")
    expect(section).to_be_visible()
    first = section.get_by_role("link").first
    nominee = Person.objects.get(
        nominations__cycle=cycle, nominations__pk=int(first.get_attribute("href").split("/")[-3])
    )
    busy = {p.pk for p in Person.objects.filter(nominations__cycle=cycle)}
    busy |= set(BackfillPlan.objects.values_list("acting_person_id", flat=True))
    acting = [
        p
        for p in Person.objects.filter(organization=nominee.organization).order_by("pk")
        if p.pk not in busy
    ][:2]
    first.click()
    assert_accessible(home)
    post = re.compile(r"^Post\b")
    home.get_by_role("textbox", name=post).first.fill("Budget Manager")
    home.get_by_label("Acting appointment of a named person").check()
    home.get_by_label("Person acting in the post").fill(acting[0].work_email)
    home.get_by_label("This is a developmental assignment for the person acting").check()
    home.get_by_role("button", name="Save the plan").click()
    expect(home.get_by_text("The backfill plan was saved.")).to_be_visible()
    next_link = home.get_by_test_id("next-link")
    next_link.get_by_role("textbox", name=post).fill("Senior Analyst")
    next_link.get_by_label("Acting appointment of a named person").check()
    next_link.get_by_label("Person acting in the post").fill(acting[1].work_email)
    next_link.get_by_role("button", name="Add to the chain").click()
    expect(home.get_by_text("The next link of the vacancy chain was saved.")).to_be_visible()
    expect(home.get_by_test_id("vacancy-chain").get_by_role("listitem")).to_have_count(2)
    assert_accessible(home)
