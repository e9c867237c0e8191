"""A participant ranks three opportunities with the keyboard alone; a panelist scores a
candidate. Every page is checked with axe."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talent_exchange.interviews.models import Score
from talent_exchange.interviews.tests.factories import (
    PanelAssignmentFactory,
    PanelFactory,
    RubricCriterionFactory,
)
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.models import ParticipantRanking
from talent_exchange.programs.tests.factories import phase_dates
from tests.factories import (
    CycleFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    grant,
)

from .conftest import sign_in
from .screens import check, new_page_at_desktop_width  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


PASSWORD = "correct-horse-battery"


@pytest.fixture
def cycle_data(transactional_db):
    today = timezone.localdate()
    home, host_b, host_c = (
        OrganizationFactory(name=name)
        for name in ("City of Alameda", "City of Berkeley", "Contra Costa County")
    )
    program = ProgramFactory(name="Bay Area MTEP", organizations=[home, host_b, host_c])
    cycle = CycleFactory(program=program, name="Spring 2027", state="preferences")
    phase_dates(cycle, "preferences", today - timedelta(days=5), today + timedelta(days=13))
    participant = UserFactory(username="ranker", first_name="Rosa", last_name="Ranker")
    grant(participant, "participant")
    person = PersonFactory(
        organization=home, user=participant, first_name="Rosa", last_name="Ranker"
    )
    nomination = NominationFactory(cycle=cycle, person=person)
    titles = ["Budget analyst", "Parks planner", "Housing lead", "Fleet manager"]
    hosts = [host_b, host_c, host_b, host_c]
    for title, host in zip(titles, hosts, strict=True):
        OpportunityFactory(cycle=cycle, host_organization=host, title=title)
    OpportunityFactory(cycle=cycle, host_organization=home, title="Own city job")

    panelist = UserFactory(username="scorer", first_name="Sol", last_name="Scorer")
    grant(panelist, "panelist", cycle=cycle)
    RubricCriterionFactory(
        program=program, name="Leadership", order=1, weight=Decimal(2), max_score=5
    )
    RubricCriterionFactory(program=program, name="Judgement", order=2, max_score=5)
    candidate = NominationFactory(
        cycle=cycle,
        person=PersonFactory(organization=host_b, first_name="Cam", last_name="Candidate"),
    )
    panel = PanelFactory(cycle=cycle, name="Panel East", members=[panelist])
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    assignment = PanelAssignmentFactory(
        panel=panel, nomination=candidate, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    admin = UserFactory(username="runner", first_name="Ada", last_name="Admin")
    grant(admin, "program_admin", program=program)
    host = UserFactory(username="hoster", first_name="Hal", last_name="Host")
    grant(host, "coordinator", organization=host_b)
    return {"nomination": nomination, "assignment": assignment, "cycle": cycle}


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_participant_ranks_three_opportunities_with_the_keyboard(cycle_data, new_page):
    nomination = cycle_data["nomination"]
    page = new_page()
    sign_in(page, "ranker", PASSWORD)
    expect(page.get_by_role("heading", name="Rank your opportunities (closes")).to_be_visible()
    check(page)

    _tab_to(page, f"a[href$='/preferences/nomination/{nomination.pk}/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rank your opportunities")
    expect(page.get_by_test_id("ranking-deadline")).to_contain_text("13 days left")
    expect(page.locator("#id_choice")).not_to_contain_text("Own city job")
    check(page)

    _tab_to(page, "#id_choice")
    for expected in ("Budget analyst", "Housing lead", "Fleet manager"):
        # The first option is selected; Tab to the Add button, press Enter, and the list is
        # swapped in place with the focus back on the choice of what to add.
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("#ranking-status")).to_contain_text(expected)
        expect(page.locator("#id_choice")).to_be_focused()
    expect(page.get_by_test_id("ranking-list").locator("li")).to_have_count(3)
    expect(page.locator("#ranking-status")).to_contain_text("is now number 3 of 3")

    # Move the third choice to the top: Shift+Tab back past "Remove" to its "Move up".
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.startswith("Move up") and "Fleet manager" in focused
    page.keyboard.press("Enter")
    expect(page.locator("#ranking-status")).to_contain_text(
        "Fleet manager — Contra Costa County” is now number 2 of 3"
    )
    # The focus stays on the same choice's "Move up", so Enter moves it again.
    fleet = Opportunity.objects.get(title="Fleet manager")
    expect(page.locator(f"button[value='up:{fleet.pk}']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#ranking-status")).to_contain_text("is now number 1 of 3")
    items = page.get_by_test_id("ranking-list").locator("li")
    expect(items.nth(0)).to_contain_text("Fleet manager")
    expect(items.nth(1)).to_contain_text("Budget analyst")
    expect(items.nth(2)).to_contain_text("Housing lead")
    check(page)

    stored = list(
        ParticipantRanking.objects.filter(nomination=nomination)
        .order_by("rank")
        .values_list("opportunity__title", "rank")
    )
    assert stored == [("Fleet manager", 1), ("Budget analyst", 2), ("Housing lead", 3)]

    page.reload()
    expect(page.get_by_test_id("ranking-list").locator("li").first).to_contain_text("Fleet manager")


def test_panelist_scores_a_candidate(cycle_data, new_page):
    assignment = cycle_data["assignment"]
    page = new_page()
    sign_in(page, "scorer", PASSWORD)
    expect(page.get_by_role("heading", name="Candidates to score (1 left)")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Cam Candidate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Score Cam Candidate")
    check(page)

    page.get_by_label("Leadership: score from 0 to 5").fill("9")
    page.get_by_label("Judgement: score from 0 to 5").fill("3")
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator(".usa-error-message").first).to_be_visible()
    check(page)
    page.get_by_label("Leadership: score from 0 to 5").fill("4")
    page.get_by_label("Leadership: notes").fill("Led the case discussion well.")
    page.get_by_role("button", name="Save your scores").click()
    expect(page.get_by_role("status")).to_contain_text("Your scores for Cam Candidate were saved.")
    expect(page.get_by_test_id("panel-candidates")).to_contain_text("scored")
    check(page)
    assert sorted(Score.objects.filter(assignment=assignment).values_list("score", flat=True)) == [
        3,
        4,
    ]

    # The calendar invitation is linked from the panel page.
    with page.expect_download() as download:
        page.get_by_role("link", name="Invitation (.ics) Cam Candidate").click()
    assert download.value.suggested_filename == "interview-cam-candidate.ics"

    page.goto("/")
    expect(page.get_by_role("heading", name="Candidates to score (0 left)")).to_be_visible()


def test_administrator_and_host_pages_are_accessible(cycle_data, new_page):
    cycle, assignment = cycle_data["cycle"], cycle_data["assignment"]
    page = new_page()
    sign_in(page, "runner", PASSWORD)
    expect(
        page.get_by_role("heading", name="Interview progress (scored / assigned)")
    ).to_be_visible()
    page.goto(f"/interviews/cycle/{cycle.pk}/")
    expect(page.get_by_test_id("panels")).to_contain_text("Panel East")
    check(page)
    page.get_by_role("link", name="Form a panel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Form a panel")
    check(page)
    page.goto(f"/interviews/interview/{assignment.pk}/schedule/")
    page.get_by_label("Day").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_label("Starts").fill("10:00")
    page.get_by_label("Ends").fill("09:00")
    page.get_by_role("button", name="Save the time").click()
    expect(page.locator(".usa-error-message").first).to_contain_text("end after it starts")
    check(page)
    page.goto(f"/interviews/cycle/{cycle.pk}/scores/")
    expect(page.get_by_test_id("interview-scores")).to_contain_text("Cam Candidate")
    check(page)
    page.goto(f"/preferences/cycle/{cycle.pk}/")
    expect(page.get_by_test_id("participant-rankings")).to_contain_text("Rosa Ranker")
    check(page)

    host = new_page()
    sign_in(host, "hoster", PASSWORD)
    host.get_by_role("link", name="Budget analyst").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Rank candidates for Budget analyst")
    host.get_by_role("button", name="Add to the list").click()
    expect(host.locator("#ranking-status")).to_contain_text("Rosa Ranker — City of Alameda")
    expect(host.locator("#ranking-status")).not_to_contain_text("Cam Candidate")
    check(host)
