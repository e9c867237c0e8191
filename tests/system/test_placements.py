"""A placement from the accepted offer to the 6-month outcome, through the pages, as the
participant, both coordinators and the program administrator. Every page is checked with
axe."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.placements.models import Outcome, Placement
from talent_exchange.placements.services import start_placement
from talent_exchange.placements.tests.factories import accepted_offer
from talent_exchange.programs.models import Cycle

from .conftest import sign_in
from .screens import check, new_page_at_desktop_width  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def offer_to_maya(demo):
    """The participant persona (Maya Delgado, Mariposa Bay) accepted three months as
    Assistant to the City Manager in Cedar Hollow, which started forty days ago."""
    from talent_exchange.accounts.models import User

    maya = Person.objects.get(user__username="participant")
    coach = Person.objects.get(first_name="Aaliyah", last_name="Johnson")
    cycle = Cycle.objects.get(name="2027 Spring Exchange")
    offer = accepted_offer(
        cycle=cycle,
        person=maya,
        host=Organization.objects.get(name="City of Cedar Hollow"),
        coach=coach,
        actor=User.objects.get(username="admin"),
        start=timezone.localdate() - timedelta(days=40),
    )
    return start_placement(offer, User.objects.get(username="admin"))


def _open_placement(page, placement):
    page.goto(f"/placements/{placement.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Placement of Maya Delgado")


def test_a_placement_from_signatures_to_the_six_month_outcome(offer_to_maya, new_page):
    placement = offer_to_maya
    today = timezone.localdate()

    # The home coordinator sets the cost sharing, then signs for Mariposa Bay.
    home = new_page()
    sign_in(home, "coordinator")
    expect(home.get_by_role("heading", name="Agreements to sign")).to_be_visible()
    home.get_by_role("link", name=re.compile("Maya Delgado")).first.click()
    expect(home.get_by_role("link", name="Edit the terms")).to_be_visible()
    check(home)
    home.get_by_role("link", name="Edit the terms").click()
    home.get_by_label("Salary: home organisation (%)").fill("50")
    home.get_by_label("Salary: host organisation (%)").fill("50")
    home.get_by_label("Reimbursement").fill("Cedar Hollow reimburses half the salary quarterly.")
    home.get_by_label("Return-service obligation (months)").fill("12")
    check(home)
    home.get_by_role("button", name="Save the terms").click()
    expect(home.get_by_text("The terms were saved.")).to_be_visible()
    home.get_by_role("button", name="Sign for the home organisation").click()
    expect(home.get_by_text("You signed the agreement.")).to_be_visible()

    # The participant reads and signs.
    participant = new_page()
    sign_in(participant, "participant")
    expect(participant.get_by_text("Next: sign the agreement.")).to_be_visible()
    check(participant)
    participant.get_by_role("link", name="Read and sign the agreement").click()
    expect(participant.get_by_text("Cedar Hollow reimburses half the salary")).to_be_visible()
    participant.get_by_role("button", name="Sign for the participant").click()
    expect(participant.get_by_text("You signed the agreement.")).to_be_visible()
    check(participant)

    # The host coordinator signs last: the agreement is frozen and the PDF is offered.
    host = new_page()
    sign_in(host, "coordinator2")
    _open_placement(host, placement)
    host.get_by_role("button", name="Sign for the host organisation").click()
    expect(host.get_by_text("the terms are frozen")).to_be_visible()
    expect(host.get_by_role("link", name="Edit the terms")).to_have_count(0)
    check(host)
    pdf_link = host.get_by_role("link", name="Download the signed agreement (PDF)")
    response = host.request.get(pdf_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for term in (
        "Assignment agreement",
        "Maya Delgado",
        "City of Cedar Hollow",
        "Assistant to the City Manager",
        "Cedar Hollow reimburses half the salary quarterly.",
        "50%",
        "at least 12 months",
        "Aaliyah Johnson",
        "Return rights",
        "Signed electronically",
    ):
        assert term in text, term

    # The administrator starts the placement (signed, and the start date has passed).
    admin = new_page()
    sign_in(admin, "admin")
    _open_placement(admin, placement)
    admin.get_by_role("link", name="Start the placement").click()
    expect(admin.get_by_role("button", name="Save")).to_be_visible()
    check(admin)
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_test_id("placement-status")).to_have_text("Active")

    # The participant writes an objective, records two check-ins and the mid-point evaluation.
    _open_placement(participant, placement)
    participant.get_by_role("link", name="Add an objective").click()
    participant.get_by_label("Objective").fill("Write two council staff reports.")
    participant.get_by_label("Indicators of success").fill("Both accepted by the City Manager.")
    check(participant)
    participant.get_by_role("button", name="Save").click()
    expect(participant.get_by_text("Write two council staff reports.")).to_be_visible()
    for note in ("Agreed the council calendar.", "First report drafted."):
        participant.get_by_role("link", name=re.compile("^Record the check-in due")).first.click()
        participant.get_by_label("Held on").fill(today.isoformat())
        participant.get_by_label("Notes").fill(note)
        participant.get_by_role("button", name="Save").click()
        expect(participant.get_by_text(note)).to_be_visible()
    check(participant)
    participant.get_by_role("link", name="Complete the mid-point evaluation").click()
    participant.get_by_label("4 – good").check()
    participant.get_by_label("Comments").fill("Learning a lot about council work.")
    check(participant)
    participant.get_by_role("button", name="Save").click()
    expect(participant.get_by_text("the evaluation was submitted")).to_be_visible()

    # The host reorganises: the administrator ends the assignment early, then records the
    # return and the 6-month outcome.
    _open_placement(admin, placement)
    admin.get_by_role("link", name="End early").click()
    admin.get_by_label("Last day of the assignment").fill(today.isoformat())
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("This field is required.").first).to_be_visible()  # the reason
    check(admin)
    admin.get_by_label("Reason").fill("The host's City Manager's Office was reorganised.")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_test_id("placement-status")).to_have_text("Ended early")
    admin.get_by_role("link", name="Record the return").click()
    admin.get_by_label("Back home on").fill(today.isoformat())
    admin.get_by_label("Position returned to").fill("Recreation Supervisor")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_test_id("placement-status")).to_have_text("Returned")
    # The 6-month outcome opens at its due date (less two weeks), not on the day of return.
    expect(admin.get_by_role("link", name="Record the 6-month outcome")).to_have_count(0)
    expect(admin.get_by_test_id("outcome-opens").first).to_contain_text("Opens on")
    # Six months later:
    Outcome.objects.filter(placement=placement, months_after=6).update(due_on=today)
    admin.reload()
    admin.get_by_role("link", name="Record the 6-month outcome").click()
    admin.get_by_role("group", name="Promoted").get_by_label("No", exact=True).check()
    admin.get_by_role("group", name="In a new role").get_by_label("Yes", exact=True).check()
    admin.get_by_role("group", name="Still with the home organisation").get_by_label(
        "Yes", exact=True
    ).check()
    admin.get_by_label("Position now").fill("Community Services Analyst")
    check(admin)
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("The outcome was recorded.")).to_be_visible()
    check(admin)

    # The program's results count it, in the chart and in the table.
    admin.goto(f"/placements/programs/{placement.program_id}/results/")
    expect(
        admin.get_by_role("img", name=re.compile("Outcomes 6, 12 and 24 months"))
    ).to_be_visible()
    row = admin.get_by_test_id("outcome-counts").get_by_role(
        "row", name=re.compile("In a new role")
    )
    six_months = Outcome.objects.filter(
        placement__program_id=placement.program_id, months_after=6, recorded_at__isnull=False
    )
    assert six_months.filter(placement=placement, new_role=True).exists()
    # (seed_demo may add the closed cycle's placements, with outcomes of their own)
    expect(row).to_contain_text(
        f"{six_months.filter(new_role=True).count()} / {six_months.count()}"
    )
    check(admin)

    placement = Placement.objects.get(pk=placement.pk)
    assert placement.status == "returned"
    assert [t.to_state for t in placement.transitions.all()] == [
        "active",
        "ended_early",
        "returned",
    ]
    assert placement.checkins.filter(held_on__isnull=False).count() == 2
