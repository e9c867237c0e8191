"""One exchange cycle played through in the browser, as issue 4's "How it is checked" asks.

Two coordinators post an opportunity each and nominate; the supervisor endorses from the
e-mail links; three participants rank; the hosts rank their candidates; a panelist scores
their panel's candidates (and cannot open another panel's); a coordinator cannot read another
organisation's interview scores; the administrator runs both modes through the task worker,
compares, and publishes; one participant accepts and another declines; a second round fills
the declined slot. E-mails are captured and asserted, every page passes axe, and the run pages
show the engine's explanation for every pair.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from talent_exchange.interviews.models import PanelAssignment
from talent_exchange.interviews.tests.factories import RubricCriterionFactory
from talent_exchange.matches.models import MatchRun, Offer, OfferStatus, RunStatus
from talent_exchange.nominations.models import EndorsementStep, Nomination
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.programs.services import move_cycle
from talent_exchange.programs.tests.factories import phase_dates
from tests.factories import PersonFactory, UserFactory, grant

from .conftest import sign_in
from .opportunities import fill_opportunity_form, save_draft, submit_for_approval
from .screens import check, new_page_at_desktop_width  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory


def work_through_the_queue() -> None:
    """One pass of the database worker, as `talent-exchange db_worker` runs it."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def post_opportunity(page, cycle, title: str) -> Opportunity:
    page.goto(f"/opportunities/cycle/{cycle.pk}/new/")
    check(page)
    fill_opportunity_form(page, title)
    save_draft(page)
    submit_for_approval(page)
    return Opportunity.objects.get(cycle=cycle, title=title)


def nominate(page, cycle, person, endorser_email: str) -> Nomination:
    page.goto(f"/nominations/cycle/{cycle.pk}/new/")
    check(page)
    page.get_by_label("Employee").select_option(label=str(person))
    page.get_by_label("Why this person").fill("Ready for a stretch assignment.")
    page.get_by_label("E-mail of the endorser: Supervisor").fill(endorser_email)
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_test_id("nomination-status")).to_have_text("Awaiting endorsement")
    return Nomination.objects.get(cycle=cycle, person=person)


def rank(page, url: str, choice_value: int, expected_count: int) -> None:
    page.goto(url)
    page.locator("#id_choice").select_option(str(choice_value))
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_test_id("ranking-list").locator("li")).to_have_count(expected_count)


def form_panel(page, cycle, name: str, member, candidates, day) -> None:
    """The administrator forms a panel, adds its candidates and schedules their interviews."""
    page.goto(f"/interviews/cycle/{cycle.pk}/panels/new/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Where").fill("County Center, room 2")
    member_box = page.get_by_label(member.get_full_name())
    # A mouse user clicks the person's name (the label), not the small box.
    page.locator("label", has_text=member.get_full_name()).click()
    expect(member_box).to_be_checked()
    page.get_by_role("button", name="Save the panel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    for i, nomination in enumerate(candidates):
        page.get_by_label(f"{nomination.person} — {nomination.home_organization}").check()
        page.get_by_role("button", name="Add to the panel").click()
        page.get_by_role("link", name=f"Schedule {nomination.person}").click()
        page.get_by_label("Day").fill(day.isoformat())
        page.get_by_label("Starts").fill(f"{9 + i:02d}:00")
        page.get_by_label("Ends").fill(f"{9 + i:02d}:45")
        page.get_by_role("button", name="Save the time").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    check(page)


def start_run(page, cycle, mode: str, round_number: int = 1) -> MatchRun:
    page.goto(f"/matches/cycle/{cycle.pk}/runs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Match runs")
    page.get_by_role("radio", name=mode).check()
    if round_number != 1:
        page.get_by_label("Round").fill(str(round_number))
    page.get_by_role("button", name="Start the run").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{mode}, round {round_number}")
    run = MatchRun.objects.latest("pk")
    expect(page.get_by_role("progressbar")).to_be_visible()
    check(page)
    work_through_the_queue()
    expect(page.get_by_role("heading", name="Matched pairs, and why")).to_be_visible(timeout=20_000)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    # The engine's explanation for every pair, and for every unmatched participant.
    expect(page.get_by_test_id("pair-reason")).to_have_count(len(run.result["assignments"]))
    expect(page.get_by_test_id("unmatched-reason")).to_have_count(len(run.result["unmatched"]))
    check(page)
    return run


def test_one_cycle_from_opportunity_to_second_round(world, new_page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cycle, users = world.cycle, world.users
    today = timezone.localdate()
    cycle.state = "nominations"
    cycle.save()
    EndorsementStep.objects.create(program=world.program, order=1, title="Supervisor")
    supervisor = users["supervisor"]
    # Three participants: Ada (city A, the world's participant), Bea and Ben (city B).
    bea_user = UserFactory(username="bea", first_name="Bea", last_name="Beta")
    world.person_b.user = bea_user
    world.person_b.save()
    ben_user = UserFactory(username="ben", first_name="Ben", last_name="Beta-Two")
    ben = PersonFactory(organization=world.city_b, user=ben_user, first_name="Ben", last_name="Two")
    for user in (bea_user, ben_user):
        grant(user, "participant")
    # City B's nominees are endorsed by someone of City B (nominations/endorsers.py).
    supervisor_b = UserFactory(username="supervisor_b", first_name="Sol", last_name="Beta")
    PersonFactory(organization=world.city_b, user=supervisor_b)

    # 1. Two coordinators post an opportunity each; the administrator approves both.
    coord_a, coord_b = new_page(), new_page()
    sign_in(coord_a, "coord_a", PASSWORD)
    sign_in(coord_b, "coord_b", PASSWORD)
    at_a = post_opportunity(coord_a, cycle, "Budget Analyst")
    at_b = post_opportunity(coord_b, cycle, "Assistant to the City Manager")
    admin = new_page()
    sign_in(admin, "admin", PASSWORD)
    for opportunity in (at_a, at_b):
        admin.goto(f"/opportunities/{opportunity.pk}/")
        admin.get_by_label("Approve").check()
        admin.get_by_role("button", name="Record decision").click()
        expect(admin.get_by_test_id("opportunity-status")).to_have_text("Approved")
    check(admin)

    # 2. They nominate; the supervisor endorses each from the e-mail link.
    sent_before = len(mail.outbox)
    ada_nomination = nominate(coord_a, cycle, world.person_a, supervisor.email)
    bea_nomination = nominate(coord_b, cycle, world.person_b, supervisor_b.email)
    ben_nomination = nominate(coord_b, cycle, ben, supervisor_b.email)
    work_through_the_queue()  # mail goes out through the task worker
    for signer, expected in ((supervisor, 1), (supervisor_b, 2)):
        requests = [m for m in mail.outbox[sent_before:] if m.to == [signer.email]]
        assert len(requests) == expected
        endorser = new_page()
        sign_in(endorser, signer.username, PASSWORD)
        for message in requests:
            endorser.goto(link_in(message))
            check(endorser)
            endorser.get_by_label("Endorse", exact=True).check()
            endorser.get_by_role("button", name="Record my decision").click()
            expect(endorser.get_by_test_id("endorsement-decision")).to_contain_text("endorsed")
    work_through_the_queue()
    for nomination in (ada_nomination, bea_nomination, ben_nomination):
        nomination.refresh_from_db()
        assert nomination.status == "endorsed"
        # the nominee is invited to complete the profile
        assert any(m.to == [nomination.person.work_email] for m in mail.outbox)

    # 3. Preferences: three participants rank; the hosts rank their candidates.
    move_cycle(cycle, "opportunities", actor=users["admin"])
    cycle = move_cycle(cycle, "preferences", actor=users["admin"])
    phase_dates(cycle, "preferences", today - timedelta(days=2), today + timedelta(days=10))
    phase_dates(cycle, "interviews", today - timedelta(days=1), today + timedelta(days=20))
    for username, nomination, choice in (
        ("participant", ada_nomination, at_b),
        ("bea", bea_nomination, at_a),
        ("ben", ben_nomination, at_a),
    ):
        page = new_page()
        sign_in(page, username, PASSWORD)
        rank(page, f"/preferences/nomination/{nomination.pk}/", choice.pk, 1)
        check(page)
    rank(coord_a, f"/preferences/opportunity/{at_a.pk}/", bea_nomination.pk, 1)
    rank(coord_a, f"/preferences/opportunity/{at_a.pk}/", ben_nomination.pk, 2)
    check(coord_a)
    rank(coord_b, f"/preferences/opportunity/{at_b.pk}/", ada_nomination.pk, 1)
    assert ParticipantRanking.objects.filter(nomination__cycle=cycle).count() == 3
    assert list(
        HostRanking.objects.filter(opportunity=at_a).values_list("nomination", flat=True)
    ) == [bea_nomination.pk, ben_nomination.pk]

    # 4. Interviews: the panelist scores their panel's candidates, and nobody else's.
    RubricCriterionFactory(
        program=world.program, name="Leadership", order=1, weight=Decimal(2), max_score=5
    )
    RubricCriterionFactory(program=world.program, name="Judgement", order=2, max_score=5)
    west_member = UserFactory(username="west")
    grant(west_member, "panelist", cycle=cycle)
    day = today + timedelta(days=1)
    form_panel(admin, cycle, "Panel East", users["panelist"], [bea_nomination, ben_nomination], day)
    form_panel(admin, cycle, "Panel West", west_member, [ada_nomination], day)
    slots = {
        a.nomination: a
        for a in PanelAssignment.objects.filter(panel__cycle=cycle).select_related("nomination")
    }
    assert all(a.starts_at and a.ends_at for a in slots.values())
    panelist = new_page()
    sign_in(panelist, "panelist", PASSWORD)
    for nomination, scores in ((bea_nomination, ("5", "4")), (ben_nomination, ("3", "3"))):
        panelist.goto(f"/interviews/interview/{slots[nomination].pk}/score/")
        panelist.get_by_label("Leadership: score from 0 to 5").fill(scores[0])
        panelist.get_by_label("Judgement: score from 0 to 5").fill(scores[1])
        panelist.get_by_role("button", name="Save your scores").click()
        expect(panelist.get_by_role("status")).to_contain_text("were saved")
    check(panelist)
    panelist.goto(f"/interviews/panel/{slots[bea_nomination].panel_id}/")
    with panelist.expect_download() as download:
        panelist.get_by_role("link", name=f"Invitation (.ics) {world.person_b}").click()
    assert download.value.suggested_filename.endswith(".ics")
    other_panel = panelist.goto(f"/interviews/interview/{slots[ada_nomination].pk}/score/")
    assert other_panel.status in (403, 404)
    # city A's coordinator cannot read the scores of city B's candidates
    other_org = coord_a.goto(f"/interviews/interview/{slots[bea_nomination].pk}/score/")
    assert other_org.status in (403, 404)

    # 5. The administrator moves the cycle to matching, runs both modes, compares, and
    # publishes the stable run.
    move_cycle(cycle, "interviews", actor=users["admin"])
    cycle = move_cycle(cycle, "matching", actor=users["admin"])
    stable = start_run(admin, cycle, "Stable")
    optimal = start_run(admin, cycle, "Optimal")
    ada_key, bea_key, ben_key = (
        f"n{n.pk}" for n in (ada_nomination, bea_nomination, ben_nomination)
    )
    for run in (stable, optimal):
        # Ada → city B; Bea, the host's first choice → city A; Ben waits.
        assert {(a["participant"], a["slot"]) for a in run.result["assignments"]} == {
            (ada_key, f"o{at_b.pk}"),
            (bea_key, f"o{at_a.pk}"),
        }
        assert [u["participant"] for u in run.result["unmatched"]] == [ben_key]
    admin.goto(f"/matches/cycle/{cycle.pk}/compare/")
    admin.get_by_label("First run").select_option(str(stable.pk))
    admin.get_by_label("Second run").select_option(str(optimal.pk))
    admin.get_by_role("button", name="Compare").click()
    expect(admin.get_by_test_id("comparison")).to_contain_text("Blocking pairs")
    check(admin)
    admin.goto(f"/matches/runs/{stable.pk}/")
    sent_before = len(mail.outbox)
    admin.get_by_role("button", name="Publish and notify").click()
    # publishing runs in the background: the page says so, the worker makes the offers
    expect(admin.get_by_role("status").filter(has_text="Publishing")).to_be_visible()
    work_through_the_queue()
    work_through_the_queue()  # the e-mails go out through the worker
    notified = {address for m in mail.outbox[sent_before:] for address in m.to}
    assert {users["participant"].email, bea_user.email} <= notified  # the matched participants
    assert {users["coord_a"].email, users["coord_b"].email} <= notified  # and their hosts

    # 6. Ada accepts; Bea declines.
    ada_offer = Offer.objects.get(run=stable, nomination=ada_nomination)
    bea_offer = Offer.objects.get(run=stable, nomination=bea_nomination)
    ada = new_page()
    sign_in(ada, "participant", PASSWORD)
    ada.goto(f"/matches/offers/{ada_offer.pk}/")
    ada.get_by_role("button", name="Accept the offer").click()
    expect(ada.get_by_test_id("offer-status")).to_contain_text("Accepted")
    check(ada)
    bea = new_page()
    sign_in(bea, "bea", PASSWORD)
    bea.goto(f"/matches/offers/{bea_offer.pk}/")
    bea.get_by_label("Why do you decline?").fill("My home department needs me this spring.")
    bea.get_by_role("button", name="Decline the offer").click()
    expect(bea.get_by_test_id("offer-status")).to_contain_text("Declined")
    check(bea)
    ada_offer.refresh_from_db()
    bea_offer.refresh_from_db()
    assert (ada_offer.status, bea_offer.status) == (OfferStatus.ACCEPTED, OfferStatus.DECLINED)

    # 7. A second round fills the declined slot and keeps the accepted offer.
    sent_before = len(mail.outbox)
    second = start_run(admin, cycle, "Stable", round_number=2)
    assert [(a["participant"], a["slot"]) for a in second.result["assignments"]] == [
        (ben_key, f"o{at_a.pk}")
    ]
    admin.get_by_role("button", name="Publish and notify").click()
    # publishing runs in the background: the page says so, the worker makes the offers
    expect(admin.get_by_role("status").filter(has_text="Publishing")).to_be_visible()
    work_through_the_queue()
    work_through_the_queue()
    ben_offer = Offer.objects.get(run=second, nomination=ben_nomination)
    assert ben_offer.opportunity == at_a
    assert any(m.to == [ben_user.email] for m in mail.outbox[sent_before:])
    ben_page = new_page()
    sign_in(ben_page, "ben", PASSWORD)
    ben_page.goto(f"/matches/offers/{ben_offer.pk}/")
    ben_page.get_by_role("button", name="Accept the offer").click()
    expect(ben_page.get_by_test_id("offer-status")).to_contain_text("Accepted")
    check(ben_page)
    accepted = Offer.objects.filter(status=OfferStatus.ACCEPTED)
    assert sorted(accepted.values_list("nomination", "opportunity")) == sorted(
        [(ada_nomination.pk, at_b.pk), (ben_nomination.pk, at_a.pk)]
    )
