"""Issue 19: the exchange cycle as a new user lives it. One test (or two) per item, each page
checked with axe at desktop and at phone width (390 px; ``screens.check``)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import expect

from conftest import build_world
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.interviews.models import PanelAssignment
from talent_exchange.interviews.tests.factories import PanelAssignmentFactory, PanelFactory
from talent_exchange.matches import services as matches
from talent_exchange.matches.models import Offer, OfferStatus
from talent_exchange.matches.tests.factories import small_market
from talent_exchange.nominations import services as nominations
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.people.tests.factories import SkillFactory
from talent_exchange.placements.models import Evaluation
from talent_exchange.placements.tests.factories import placement_in
from talent_exchange.programs.tests.factories import phase_dates
from tests.factories import (
    CycleFactory,
    NominationFactory,
    OfferFactory,
    OpportunityFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    grant,
)

from .conftest import sign_in
from .screens import SCREENS, also_at_phone_width, check

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def open_as(new_page):
    """A signed-in page at desktop width (``check`` looks at it at phone width too)."""

    def open_page(user):
        page = also_at_phone_width(new_page())
        page.set_viewport_size({"width": SCREENS["desktop"], "height": 900})
        sign_in(page, user.username, PASSWORD)
        return page

    return open_page


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


# 7. Missing rules --------------------------------------------------------------------------


def test_a_run_starts_only_in_the_matching_phase(world, open_as):
    world.cycle.state = "nominations"
    world.cycle.save()
    page = open_as(world.users["admin"])
    page.goto(f"/matches/cycle/{world.cycle.pk}/runs/")
    expect(page.get_by_test_id("run-phase")).to_contain_text("Runs start in the matching phase")
    expect(page.get_by_role("button", name="Start the run")).to_have_count(0)
    check(page)
    with pytest.raises(ActionRefused, match="matching phase"):
        matches.start_run(
            world.cycle, actor=world.users["admin"], mode="stable", balance_tolerance=None
        )
    world.cycle.state = "matching"
    world.cycle.save()
    page.reload()
    expect(page.get_by_role("button", name="Start the run")).to_be_visible()


def _two_cycles_interviewing_at_once(world):
    today = timezone.localdate()
    other = CycleFactory(program=ProgramFactory(name="Leaders' Rotation"), name="Spring")
    for cycle in (world.cycle, other):
        cycle.state = "nominations"
        cycle.save()
        phase_dates(cycle, "interviews", today + timedelta(days=30), today + timedelta(days=40))
    NominationFactory(cycle=other, person=world.person_a)
    return other


def test_a_nominee_interviewed_elsewhere_at_the_same_time_is_flagged(world, open_as):
    _two_cycles_interviewing_at_once(world)
    page = open_as(world.users["coord_a"])
    page.goto(f"/nominations/cycle/{world.cycle.pk}/new/")
    page.get_by_label("Employee").select_option(label=str(world.person_a))
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_test_id("nomination-status")).to_be_visible()
    warning = page.locator(".usa-alert--warning")
    expect(warning).to_contain_text("Leaders' Rotation · Spring")
    expect(warning).to_contain_text("interviews overlap")
    check(page)


def test_the_program_can_refuse_overlapping_nominations(world, open_as):
    _two_cycles_interviewing_at_once(world)
    world.program.refuse_overlapping_interviews = True
    world.program.save()
    page = open_as(world.users["coord_a"])
    page.goto(f"/nominations/cycle/{world.cycle.pk}/new/")
    page.get_by_label("Employee").select_option(label=str(world.person_a))
    page.get_by_role("button", name="Nominate").click()
    expect(page.locator("main")).to_contain_text("the program refuses such nominations")
    assert not world.cycle.nominations.filter(person=world.person_a).exists()
    check(page)


def test_the_participant_attests_for_themselves(world, open_as):
    company = OrganizationFactory(name="Acme Analytics", kind="private_company", sector="external")
    placement = placement_in(world, host=company, coach=None)
    coordinator = open_as(world.users["coord_a"])
    coordinator.goto(f"/placements/{placement.pk}/agreement/")
    expect(coordinator.get_by_label(re.compile("attests", re.I))).to_have_count(0)
    coordinator.goto(f"/placements/{placement.pk}/")
    expect(coordinator.get_by_role("button", name=re.compile("I attest"))).to_have_count(0)

    participant = open_as(world.users["participant"])
    participant.goto(f"/placements/{placement.pk}/")
    expect(participant.locator("main")).to_contain_text("Not yet attested by the participant.")
    check(participant)
    participant.get_by_role("button", name="I attest that I have no conflict of interest").click()
    expect(participant.locator("main")).to_contain_text("Attested by the participant.")
    check(participant)
    placement.agreement.refresh_from_db()
    assert placement.agreement.conflict_attested
    assert placement.agreement.history.first().history_user == world.users["participant"]


# 4. Interview invitations --------------------------------------------------------------------


def test_scheduling_an_interview_invites_the_candidate_and_the_panel(world, open_as):
    world.cycle.state = "interviews"
    world.cycle.save()
    panelist = world.users["panelist"]
    panel = PanelFactory(
        cycle=world.cycle, name="Panel North", location="Room 2", members=[panelist]
    )
    assignment = PanelAssignmentFactory(
        panel=panel, nomination=NominationFactory(cycle=world.cycle, person=world.person_a)
    )
    day = timezone.localdate() + timedelta(days=10)
    page = open_as(world.users["admin"])
    page.goto(f"/interviews/interview/{assignment.pk}/schedule/")
    page.get_by_label("Day").fill(day.isoformat())
    page.get_by_label("Starts").fill("10:00")
    page.get_by_label("Ends").fill("10:45")
    page.get_by_role("button", name="Save the time").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Panel North")
    check(page)
    invitations = [m for m in mail.outbox if "Interview with Panel North" in m.subject]
    assert len(invitations) == 1
    message = invitations[0]
    assert world.users["participant"].email in message.to and panelist.email in message.to
    assert "10:00" in message.body and "Room 2" in message.body

    # The candidate downloads the invitation from the e-mail's link; it names them.
    candidate = open_as(world.users["participant"])
    link = re.search(r"https?://[^/\s]+(/\S+\.ics)", message.body).group(1)
    with candidate.expect_download() as download:
        candidate.evaluate("url => { location.href = url; }", link)
    ics = Path(download.value.path()).read_bytes().decode().replace("\r\n ", "")
    assert f"mailto:{world.person_a.work_email}" in ics
    assert f"mailto:{panelist.email}" in ics


# 6. The home supervisor and the coach are named on the placement ---------------------------


def test_the_coordinator_names_the_home_supervisor_who_then_evaluates(world, open_as):
    world.person_a.supervisor = None  # the talent file names no supervisor
    world.person_a.save()
    placement = placement_in(world)
    assert placement.home_supervisor is None and placement.coach == world.person_b
    supervisor = PersonFactory(
        organization=world.city_a,
        user=UserFactory(username="hana"),
        first_name="Hana",
        last_name="Home",
    )
    page = open_as(world.users["coord_a"])
    page.goto(f"/placements/{placement.pk}/")
    expect(page.get_by_test_id("home-supervisor")).to_contain_text("Name one")
    check(page)
    page.get_by_role("link", name="Name or change the supervisors").click()
    expect(page.get_by_label("Host supervisor and coach")).to_have_value(str(world.person_b.pk))
    page.get_by_label("Home supervisor").select_option(label=str(supervisor))
    check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("home-supervisor")).to_have_text("Hana Home")
    placement.refresh_from_db()
    assert placement.home_supervisor == supervisor
    assert placement.history.first().history_user == world.users["coord_a"]
    # Hana, who holds no role, now sees the placement she evaluates.
    assert supervisor.user.has_perm("placements.submit_evaluation", placement)


# 9. The run page in plain words, the technical detail behind a disclosure -------------------


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_the_run_page_speaks_plainly(world, open_as, mode):
    m = small_market(world)
    run = matches.start_run(m.cycle, actor=world.users["admin"], mode=mode, balance_tolerance=1)
    page = open_as(world.users["admin"])
    page.goto(f"/matches/runs/{run.pk}/")
    quality = page.get_by_test_id("run-quality")
    expect(quality).to_contain_text(
        "Proven the best possible total fit" if mode == "optimal" else "no participant and host"
    )
    main = page.locator("main")
    for jargon in ("unimodular", "Lottery seed", "deferred acceptance"):
        # hidden until the disclosure opens
        expect(main).not_to_contain_text(jargon, use_inner_text=True)
    expect(page.get_by_test_id("blocking-pairs")).to_contain_text(
        "pairs who would rather have each other"
    )
    check(page)
    page.get_by_test_id("run-technical").locator("summary").click()
    expect(page.get_by_test_id("run-solver")).to_be_visible()
    check(page)


# 10. Layout: one menu item, labels not buttons, chart text ≥ 12 px, reflow at 320 px ----------

# The pages a program administrator walks through in a cycle.
ADMIN_PAGES = [
    "/",
    "/programs/",
    "/programs/{program}/",
    "/programs/cycles/{cycle}/",
    "/matches/cycle/{cycle}/runs/",
    "/matches/runs/{run}/",
    "/interviews/cycle/{cycle}/",
    "/nominations/cycle/{cycle}/",
    "/opportunities/cycle/{cycle}/",
    "/placements/",
    "/placements/{placement}/",
    "/placements/programs/{program}/results/",
    "/people/",
    "/organisations/",
    "/audit/",
]


@pytest.mark.parametrize("screen", [1280, 390, 320])
def test_every_administrator_page_fits_the_screen(world, new_page, screen):
    m = small_market(world)
    run = matches.start_run(
        m.cycle, actor=world.users["admin"], mode="optimal", balance_tolerance=1
    )
    placement = placement_in(world)
    ids = {"program": world.program.pk, "cycle": m.cycle.pk, "run": run.pk}
    ids["placement"] = placement.pk
    page = new_page()
    page.set_viewport_size({"width": screen, "height": 800})
    sign_in(page, "admin", PASSWORD)
    for template in ADMIN_PAGES:
        response = page.goto(template.format(**ids))
        assert response.status == 200, template
        check(page)
        # One menu item at most is the current one.
        assert page.locator(".usa-nav__primary .usa-current").count() <= 1, page.url


# The pages a participant and a coordinator use in a cycle, at the narrowest width WCAG asks
# for (320 px): nothing scrolls sideways.
PARTICIPANT_PAGES = [
    "/",
    "/people/{person}/",
    "/people/{person}/edit/",
    "/nominations/{nomination}/",
    "/preferences/nomination/{nomination}/",
    "/matches/offers/",
    "/matches/offers/{offer}/",
    "/placements/",
    "/placements/{placement}/",
]
COORDINATOR_PAGES = [
    "/",
    "/people/",
    "/people/{person}/",
    "/programs/",
    "/programs/{program}/",
    "/programs/cycles/{cycle}/",
    "/nominations/cycle/{cycle}/",
    "/nominations/cycle/{open_cycle}/new/",
    "/nominations/{nomination}/",
    "/opportunities/cycle/{cycle}/",
    "/opportunities/cycle/{open_cycle}/new/",
    "/opportunities/{opportunity}/",
    "/preferences/opportunity/{opportunity}/",
    "/placements/",
    "/placements/{placement}/",
    "/organisations/",
    "/organisations/{organisation}/",
    "/accounts/organisations/{organisation}/roles/",
]
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize(
    ("who", "pages"),
    [("participant", PARTICIPANT_PAGES), ("coord_a", COORDINATOR_PAGES)],
    ids=["participant", "coordinator"],
)
def test_every_participant_and_coordinator_page_fits_320_px(world, new_page, who, pages):
    m = small_market(world)  # Ada (the participant) is nominated and has ranked
    earlier = CycleFactory(program=world.program, name="2026")
    placement = placement_in(world, cycle=earlier)  # Ada's placement, from an earlier cycle
    open_cycle = CycleFactory(program=world.program, name="2028", state="nominations")
    ids = {
        "person": world.person_a.pk,
        "nomination": m.ada.pk,
        "offer": placement.offer_id,
        "placement": placement.pk,
        "program": world.program.pk,
        "cycle": m.cycle.pk,
        "open_cycle": open_cycle.pk,
        "opportunity": m.at_a.pk,
        "organisation": world.city_a.pk,
    }
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, who, PASSWORD)
    for template in pages:
        response = page.goto(template.format(**ids))
        assert response.status == 200, template
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at 320 px"
        check(page)


def test_the_results_page_highlights_one_menu_item_and_the_header_has_room(world, new_page):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "auditor", PASSWORD)  # the auditor's menu has the most items
    page.goto(f"/placements/programs/{world.program.pk}/results/")
    current = page.locator(".usa-nav__primary .usa-current")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Placements")
    links = page.locator(".usa-nav__primary .usa-nav-link")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert len({round(box["y"]) for box in boxes}) == 1, "the menu wraps onto two rows"
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.usa-nav__primary .usa-nav-link span')]
                 .map(s => [s.textContent, s.getClientRects().length])"""
    )
    assert all(n == 1 for _text, n in lines), f"a menu item wraps: {lines}"
    expect(page.get_by_test_id("user-bar")).to_contain_text("Auditor")
    check(page)


def test_phases_to_come_do_not_look_like_buttons(world, open_as):
    world.cycle.state = "nominations"
    world.cycle.save()
    page = open_as(world.users["admin"])
    page.goto(f"/programs/cycles/{world.cycle.pk}/")
    chip = page.locator(".te-phase--todo").first
    expect(chip).to_have_text("to come")
    style = chip.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.borderRadius]; }"
    )
    assert style == ["0px", "0px"], style
    check(page)


# 2. Coordinators are told a cycle opened, and what to do -----------------------------------


def test_opening_a_cycle_tells_the_coordinators_what_to_do(world, open_as):
    phase_dates(world.cycle, "nominations", timezone.localdate(), date(2030, 3, 31))
    admin = open_as(world.users["admin"])
    admin.goto(f"/programs/cycles/{world.cycle.pk}/")
    admin.get_by_label("Move to").select_option("nominations")
    admin.get_by_role("button", name="Change phase").click()
    expect(admin.locator(".te-phase--current")).to_be_visible()
    world.cycle.refresh_from_db()
    assert world.cycle.state == "nominations"
    opened = [m for m in mail.outbox if "is open" in m.subject]
    assert sorted(address for m in opened for address in m.to) == sorted(
        [world.users["coord_a"].email, world.users["coord_b"].email]
    )
    assert "31 March 2030" in opened[0].body
    # coord_a has never signed in: the link goes through choosing a password, then on.
    link = re.search(r"https?://[^/\s]+(/\S+)", opened[0].body).group(1)
    assert link.startswith("/accounts/welcome/")
    assert link.endswith(f"?next=/nominations/cycle/{world.cycle.pk}/new/")

    coordinator = open_as(world.users["coord_a"])
    steps = coordinator.get_by_test_id("coordinator-next-steps")
    expect(steps).to_contain_text(str(world.cycle))
    check(coordinator)
    steps.get_by_role("link", name=re.compile("Nominate an employee")).click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Nominate")


# 5. A declined place goes to the next in line ------------------------------------------------


def test_a_declined_place_is_offered_to_the_next_in_line(world, open_as):
    m = small_market(world)  # the host of "Budget at A" ranks Cy, then Bo
    admin = world.users["admin"]
    run = matches.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    matches.publish_run(run, actor=admin)
    offers = {o.nomination_id: o for o in Offer.objects.filter(run=run)}
    assert offers[m.cy.pk].opportunity == m.at_a and offers[m.bo.pk].opportunity == m.at_county
    for nomination in (m.cy, m.bo):  # Cy declines A; Bo declines the county and is free
        user = UserFactory()
        nomination.person.user = user
        nomination.person.save()
        grant(user, "participant")
        matches.decline_offer(offers[nomination.pk], actor=user, reason="Not this year.")

    page = open_as(admin)
    page.goto(f"/matches/runs/{run.pk}/")
    places = page.get_by_test_id("open-place")
    budget = places.filter(has_text="Budget at A")
    expect(budget).to_contain_text("ranked 2 by the host")
    expect(budget).to_contain_text(str(m.bo.person))
    expect(budget).not_to_contain_text(str(m.cy.person))  # who declined it is not next
    expect(places.filter(has_text="County IT")).to_contain_text("Nobody the host ranked")
    check(page)
    sent = len(mail.outbox)
    budget.get_by_role("button", name=re.compile("Offer the place")).click()
    expect(page.get_by_role("status").filter(has_text="is offered the place")).to_be_visible()
    offer = Offer.objects.get(nomination=m.bo, opportunity=m.at_a)
    assert offer.status == OfferStatus.OFFERED
    assert [m_.to for m_ in mail.outbox[sent:]] == [[m.bo.person.user.email]]
    # The place is held now: nobody else is offered it.
    expect(page.get_by_test_id("open-place").filter(has_text="Budget at A")).to_have_count(0)
    check(page)


# 3. Bulk actions, and a searchable list of skills ----------------------------------------------


def test_the_administrator_approves_several_opportunities_at_once(world, open_as):
    world.cycle.state = "opportunities"
    world.cycle.save()
    titles = ["Budget analyst", "Parks planner", "Water engineer"]
    for title in titles:
        OpportunityFactory(
            cycle=world.cycle,
            host_organization=world.city_a,
            title=title,
            status=OpportunityStatus.SUBMITTED,
        )
    page = open_as(world.users["admin"])
    page.goto(f"/opportunities/cycle/{world.cycle.pk}/review/")
    table = page.get_by_test_id("opportunity-table")
    for title in titles[:2]:
        table.get_by_role("checkbox", name=f"Approve {title}").check()
    check(page)
    page.get_by_role("button", name="Approve the ticked opportunities").click()
    expect(
        page.get_by_role("status").filter(has_text="2 opportunities were approved")
    ).to_be_visible()
    statuses = dict(Opportunity.objects.filter(cycle=world.cycle).values_list("title", "status"))
    assert statuses == {
        "Budget analyst": "approved",
        "Parks planner": "approved",
        "Water engineer": "submitted",
    }
    expect(page.get_by_test_id("opportunity-table")).not_to_contain_text("Parks planner")


def test_a_panel_takes_several_candidates_and_schedules_them_in_one_go(world, open_as):
    world.cycle.state = "interviews"
    world.cycle.save()
    panel = PanelFactory(cycle=world.cycle, name="Panel South", members=[world.users["panelist"]])
    people = [
        PersonFactory(organization=world.city_b, first_name=name, last_name="Candidate")
        for name in ("Ana", "Ben", "Cleo")
    ]
    nominations_ = [NominationFactory(cycle=world.cycle, person=p) for p in people]
    page = open_as(world.users["admin"])
    page.goto(f"/interviews/panel/{panel.pk}/")
    for nomination in nominations_:
        page.get_by_label(f"{nomination.person} — {nomination.home_organization}").check()
    check(page)
    page.get_by_role("button", name="Add to the panel").click()
    expect(page.get_by_test_id("panel-candidates").locator("tbody tr")).to_have_count(3)
    day = timezone.localdate() + timedelta(days=7)
    form = page.locator("form", has=page.get_by_role("button", name="Schedule them"))
    form.get_by_label("Day").fill(day.isoformat())
    form.get_by_label("First interview starts").fill("09:00")
    form.get_by_label("Length of each interview (minutes)").fill("30")
    form.get_by_label("Break between interviews (minutes)").fill("10")
    sent = len(mail.outbox)
    form.get_by_role("button", name="Schedule them").click()
    expect(page.get_by_role("status").filter(has_text="are scheduled")).to_be_visible()
    starts = [
        timezone.localtime(a.starts_at).strftime("%H:%M")
        for a in PanelAssignment.objects.filter(panel=panel).order_by("starts_at")
    ]
    assert starts == ["09:00", "09:40", "10:20"]
    assert len([m for m in mail.outbox[sent:] if "Panel South" in m.subject]) == 3
    check(page)


def test_the_skills_are_a_short_searchable_list(world, open_as):
    world.cycle.state = "opportunities"
    world.cycle.save()
    for i in range(40):
        SkillFactory(name=f"Skill number {i:02d}")
    SkillFactory(name="Budgeting")
    page = open_as(world.users["coord_a"])
    page.goto(f"/opportunities/cycle/{world.cycle.pk}/new/")
    group = page.locator("#skills_required-group")
    box = group.locator(".te-searchable__options")
    assert box.bounding_box()["height"] < 300  # not 40 rows of checkboxes
    check(page)
    search = group.get_by_label("Find in the list")
    search.focus()
    page.keyboard.type("budg")
    expect(group.get_by_role("checkbox", name="Budgeting")).to_be_visible()
    expect(group.get_by_role("checkbox", name="Skill number 07")).to_be_hidden()
    expect(group.get_by_test_id("searchable-count")).to_contain_text("1 option shown")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(group.get_by_role("checkbox", name="Budgeting")).to_be_checked()
    check(page)


# 11. The results page tells the program's story ---------------------------------------------


def test_the_results_page_tells_where_they_went_how_they_rated_it_and_what_happened(world, open_as):
    county = world.program.administering_organization
    first = placement_in(world)  # Ada, City A → City B
    second = placement_in(
        world, person=PersonFactory(organization=world.city_b), host=county, title="County IT"
    )
    for placement, rating in ((first, 5), (second, 4)):
        Evaluation.objects.create(
            placement=placement,
            stage="final",
            respondent="participant",
            due_on=placement.end_date,
            rating=rating,
            submitted_at=timezone.now(),
        )
    page = open_as(world.users["admin"])
    page.goto(f"/placements/programs/{world.program.pk}/results/")
    headline = page.get_by_test_id("results-headline")
    expect(headline).to_contain_text("2")
    expect(headline).to_contain_text("4.5 / 5")
    hosts = page.get_by_test_id("host-counts")
    expect(hosts.get_by_role("row", name=re.compile("City of Beta"))).to_contain_text("1")
    expect(hosts.get_by_role("row", name=re.compile(county.name))).to_contain_text("1")
    expect(page.get_by_role("img", name="Placements per host organisation")).to_be_visible()
    ratings = page.get_by_test_id("rating-table")
    expect(ratings.get_by_role("row", name=re.compile("Participant"))).to_contain_text("4.5")
    expect(page.get_by_role("img", name=re.compile("Outcomes 6, 12 and 24"))).to_be_visible()
    check(page)


def test_a_nominee_finds_one_organisation_among_many_and_declares_a_conflict(world, open_as):
    """With more organisations than the conflict form offers at once (25), the nominee finds
    the one by name with the keyboard, declares the conflict, and both pages pass axe."""
    nomination = NominationFactory(cycle=world.cycle, person=world.person_a)
    for number in range(30):
        OrganizationFactory(name=f"Aardvark Authority {number:02d}")
    page = open_as(world.users["participant"])
    page.goto(f"/nominations/{nomination.pk}/")
    select = page.get_by_label(re.compile(r"^Organisation"))
    expect(select).to_have_attribute("aria-describedby", "organization-hint")
    check(page)
    find = page.get_by_role("textbox", name="Find an organisation")
    find.fill("Authority 29")
    find.press("Enter")
    expect(select.locator("option")).to_have_count(2)  # the empty choice and the one found
    select.select_option(label="Aardvark Authority 29")
    page.get_by_label("Why you must not be placed there").fill("My sister runs it")
    page.get_by_role("button", name="Declare this conflict").click()
    expect(page.locator("#conflicts-heading + ul")).to_contain_text(
        "Aardvark Authority 29 — My sister runs it"
    )
    check(page)
    assert [c.organization.name for c in nomination.conflicts.all()] == ["Aardvark Authority 29"]
