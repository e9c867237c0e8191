"""Executive development through the pages (issue 11): the Alberta program's administrator
sets the mobility rule; an executive drafts a plan against a framework version and submits
it; her supervisor approves; the board reviews her in its annual session and recommends a
developmental assignment; an exception is requested and approved; the compliance dashboard
shows the three states (her 14-day acting stint does not count) and the data call's
spreadsheet opens with the page's counts. Every page is checked with axe."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from talent_exchange.accounts.models import User
from talent_exchange.accounts.tests.factories import grant
from talent_exchange.development.models import DevelopmentPlan, ReviewDecision
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Program

from .accessibility import assert_accessible
from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser

PROGRAM = "Executive and Senior Manager Mobility Program"


@pytest.fixture
def alberta_people(demo):
    """Shannon Cardinal (never on an assignment that counts; her 14-day acting stint is in
    the demo) and her supervisor Wade Kowalchuk get accounts."""
    cardinal = Person.objects.get(first_name="Shannon", last_name="Cardinal")
    kowalchuk = Person.objects.get(first_name="Wade", last_name="Kowalchuk")
    assert cardinal.supervisor == kowalchuk
    assert (
        cardinal.mobility_history.get().ended_on - cardinal.mobility_history.get().started_on
        == timedelta(days=13)
    )
    for username, person, role in (
        ("cardinal", cardinal, "participant"),
        ("kowalchuk", kowalchuk, None),
    ):
        user = User.objects.create_user(username, person.work_email, PASSWORD)
        person.user = user
        person.save()
        if role:
            grant(user, role)
        else:
            grant(user, "supervisor", organization=person.organization)
    return cardinal


def _row(page, name):
    return page.get_by_test_id("compliance-table").locator("tr", has_text=name)


def test_a_year_of_executive_development(alberta_people, new_page):
    program = Program.objects.get(name=PROGRAM)
    cardinal = alberta_people

    # The program's administrator sets the rule: every 5 years, 120 days.
    admin = new_page()
    sign_in(admin, "alberta")
    admin.goto(f"/development/programs/{program.pk}/rule/")
    admin.get_by_label("A developmental assignment every (years)").fill("5")
    admin.get_by_label("Shortest assignment that counts (days)").fill("120")
    assert_accessible(admin)
    admin.get_by_role("button", name="Save the rule").click()
    expect(admin.get_by_test_id("rule-summary")).to_contain_text("every 5 years")

    # The executive drafts her plan against the framework version and submits it.
    executive = new_page()
    sign_in(executive, "cardinal")
    executive.goto("/development/plans/new/")
    executive.get_by_label("Program").select_option(label=PROGRAM)
    executive.get_by_label("Competency framework").select_option(
        label="Key Leadership Competencies (Canadian public service style) (2015)"
    )
    assert_accessible(executive)
    executive.get_by_role("button", name="Start the plan").click()
    expect(executive.get_by_test_id("plan-status")).to_have_text("Draft")
    executive.get_by_role("link", name="Add an activity").click()
    executive.get_by_label("Competency").select_option(label="CVS Create vision and strategy")
    executive.get_by_label("Activity").select_option(label="Course")
    executive.get_by_label("Description").fill("Strategic foresight course")
    executive.get_by_label("Cost").fill("1850.00")
    assert_accessible(executive)
    executive.get_by_role("button", name="Add the activity").click()
    expect(executive.get_by_test_id("plan-items")).to_contain_text("Strategic foresight course")
    executive.get_by_role("button", name="Submit for approval").click()
    expect(executive.get_by_test_id("plan-status")).to_have_text("Submitted")
    plan = DevelopmentPlan.objects.get(person=cardinal)

    # Her supervisor approves.
    supervisor = new_page()
    sign_in(supervisor, "kowalchuk")
    supervisor.goto(f"/development/plans/{plan.pk}/")
    assert_accessible(supervisor)
    supervisor.get_by_role("button", name="Approve").click()
    expect(supervisor.get_by_test_id("plan-status")).to_have_text("Approved")

    # The board reviews her in its annual session and recommends an assignment.
    board = new_page()
    sign_in(board, "board")
    board.goto(f"/development/programs/{program.pk}/sessions/")
    board.get_by_role("button", name="Open the session").click()
    review = board.get_by_test_id(f"review-{cardinal.pk}")
    expect(review).to_contain_text("Mobility history:")
    review.get_by_label("Decision").select_option(label="Recommend a developmental assignment")
    review.get_by_label("Notes").fill("A secondment outside Transportation in the next intake.")
    assert_accessible(board)
    review.get_by_role("button", name="Record the decision on Shannon Cardinal").click()
    expect(board.get_by_test_id(f"decision-{cardinal.pk}")).to_contain_text(
        "Recommend a developmental assignment"
    )
    assert ReviewDecision.objects.get(person=cardinal).decision == "recommend_assignment"
    assert plan.items.count() == 2  # the recommendation became an item of her plan

    # An exception is requested (by the administrator) and approved by the board.
    admin.goto(f"/development/programs/{program.pk}/exceptions/new/")
    # the picker lists a page of executives: the administrator finds him by name first
    admin.get_by_label("Find an executive").fill("Lindgren")
    admin.get_by_role("button", name="Find", exact=True).click()
    lindgren = Person.objects.select_related("organization").get(last_name="Lindgren")
    admin.get_by_role("combobox", name="Executive").select_option(
        label=f"Trevor Lindgren ({lindgren.organization})"
    )
    admin.get_by_label("Reason").select_option(label="Specialised position")
    admin.get_by_label("Explanation").fill("Sole water-licensing specialist until 2028.")
    admin.get_by_label("Until").fill((timezone.localdate() + timedelta(days=400)).isoformat())
    assert_accessible(admin)
    admin.get_by_role("button", name="Ask for the exception").click()
    board.goto(f"/development/programs/{program.pk}/exceptions/")
    assert_accessible(board)
    board.get_by_role("button", name="Approve for Trevor Lindgren").click()
    expect(board.get_by_test_id("exceptions-table")).to_contain_text("Approved")

    # The compliance dashboard: the three states, and the 14-day stint does not count.
    board.goto(f"/development/programs/{program.pk}/compliance/")
    expect(_row(board, "Shannon Cardinal")).to_have_attribute("data-status", "overdue")
    expect(_row(board, "Shannon Cardinal")).to_contain_text(
        "no assignment of 120 days or more that counts"
    )
    expect(_row(board, "Trevor Lindgren")).to_have_attribute("data-status", "exempt")
    expect(_row(board, "Amara Okonkwo")).to_have_attribute("data-status", "compliant")
    assert_accessible(board)
    counts = {
        status: int(
            board.get_by_test_id("compliance-counts")
            .locator(f"li[data-status={status}] .te-count")
            .inner_text()
        )
        for status in ("compliant", "due", "overdue", "exempt")
    }
    assert counts["exempt"] >= 2 and counts["overdue"] >= 1 and counts["compliant"] >= 1

    # The data call's spreadsheet opens with the same counts.
    with board.expect_download() as download:
        board.get_by_test_id("download-xlsx").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    statuses = [row[2].value for row in book.worksheets[1].iter_rows(min_row=2)]
    assert statuses.count("Overdue") == counts["overdue"]
    assert statuses.count("Exempt") == counts["exempt"]
    assert statuses.count("Compliant") == counts["compliant"]
    on_roll = next(
        r for r in book.worksheets[0].iter_rows() if r[0].value == "Executives on 1 October"
    )
    assert on_roll[4].value == len(statuses)
