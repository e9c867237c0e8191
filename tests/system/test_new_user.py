"""Issue 19: the exchange cycle as a new user lives it. One test (or two) per item, each page
visited at desktop and at phone width (390 px) and checked with axe."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import expect

from conftest import build_world
from talent_exchange.matches.models import OfferStatus
from talent_exchange.nominations import services as nominations
from tests.factories import (
    NominationFactory,
    OfferFactory,
    OpportunityFactory,
    PersonFactory,
    UserFactory,
)

from .accessibility import assert_accessible
from .conftest import sign_in

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=list(WIDTHS))
def width(request) -> int:
    return WIDTHS[request.param]


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def open_as(new_page, width):
    """A signed-in page at the test's width."""

    def open_page(user):
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, user.username, PASSWORD)
        return page

    return open_page


# The innermost elements that stick out on the right, to say what to fix.
WIDER_THAN_THE_SCREEN = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > limit + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > limit + 1))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + "." + String(e.className).trim().replace(/ +/g, ".")
              + " «" + (e.textContent || "").trim().slice(0, 40) + "»");
}"""


def check(page) -> None:
    """axe finds nothing serious, and nothing is wider than the screen (WCAG reflow)."""
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(WIDER_THAN_THE_SCREEN) if overflow > 0 else []
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the screen: {wide}"


# 1. Nominees get the participant role ------------------------------------------------------


def test_an_endorsed_nominee_is_a_participant_and_opens_their_offers(world, open_as):
    world.cycle.state = "nominations"
    world.cycle.save()
    nominee = PersonFactory(
        organization=world.city_a,
        user=UserFactory(username="nadia"),
        first_name="Nadia",
        last_name="New",
    )
    nominations.nominate(nominee, world.cycle, actor=world.users["coord_a"], endorsers=[])

    page = open_as(nominee.user)
    expect(page.get_by_test_id("user-roles")).to_have_text("Participant")
    expect(page.locator("main")).not_to_contain_text("You have no role yet")
    check(page)
    response = page.goto("/matches/offers/")
    assert response.status == 200
    check(page)


# 8. Next steps from the workflow's state; a separator; the persona switcher's label ----------


def test_the_nominees_next_step_follows_the_cycle_and_the_offer(world, open_as):
    nomination = NominationFactory(
        cycle=world.cycle, person=world.person_a, profile_confirmed_at=timezone.now()
    )
    world.cycle.state = "matching"
    world.cycle.save()
    page = open_as(world.users["participant"])
    status = page.get_by_test_id("dashboard-nomination-status")
    expect(status).to_contain_text("matching participants and opportunities")
    expect(status).not_to_contain_text("when the preferences phase opens")
    check(page)

    world.cycle.state = "placements"
    world.cycle.save()
    opportunity = OpportunityFactory(cycle=world.cycle, host_organization=world.city_b)
    OfferFactory(
        run__cycle=world.cycle,
        nomination=nomination,
        opportunity=opportunity,
        status=OfferStatus.DECLINED,
    )
    page.reload()
    expect(status).to_contain_text("Your offer was declined or expired")
    expect(status).not_to_contain_text("rank opportunities")
    check(page)


def test_the_persona_switcher_does_not_name_a_persona_for_another_account(world, open_as):
    page = open_as(world.users["admin"])  # called "admin", but not the demo persona
    switcher = page.get_by_label("Demo: sign in as")
    selected = switcher.evaluate("select => select.selectedOptions[0].textContent")
    assert selected.strip() == "admin (not a demo persona)"
    check(page)


def test_what_is_late_lists_one_item_per_line():
    row = SimpleNamespace(
        pk=1,
        person=SimpleNamespace(full_name="Ada Alpha"),
        host_organization="City of Beta",
        get_status_display="Returned",
        in_agreement=False,
        overdue_checkins=0,
        overdue_evaluations=2,
        outcomes_due=1,
        is_back_home=True,
    )
    html = render_to_string(
        "placements/dashboard_attention.html", {"ctx": {"rows": [row], "programs": []}}
    )
    cell = re.search(r'<ul[^>]*data-testid="late-items">(.*?)</ul>', html, re.S)
    assert cell, html
    assert re.findall(r"<li>(.*?)</li>", cell.group(1)) == [
        "2 overdue evaluations",
        "1 outcome to record",
    ]
