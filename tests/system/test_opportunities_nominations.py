"""One cycle's opening, in the browser: a coordinator posts an opportunity, the administrator
approves it, a participant finds it; the coordinator nominates an employee and the endorsement
chain signs off from its e-mail links. Every page is checked with axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from talent_exchange.nominations.models import EndorsementStep, Nomination
from talent_exchange.opportunities.models import Opportunity
from tests.factories import PersonFactory, UserFactory

from .conftest import sign_in
from .opportunities import fill_opportunity_form, save_draft, submit_for_approval
from .screens import check, new_page_at_desktop_width  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory


def _link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_post_approve_nominate_endorse(world, new_page, tmp_path):
    world.cycle.state = "nominations"
    world.cycle.save()
    EndorsementStep.objects.create(program=world.program, order=1, title="Supervisor")
    EndorsementStep.objects.create(program=world.program, order=2, title="Department head")
    head = PersonFactory(  # endorsers are people of the nominee's organisation
        organization=world.city_a, user=UserFactory(username="head", email="head@example.org")
    ).user
    nominee = PersonFactory(
        organization=world.city_a,
        user=UserFactory(username="nia"),
        first_name="Nia",
        last_name="Nominee",
    )
    cycle = world.cycle

    # The coordinator posts a draft and submits it.
    page = new_page()
    sign_in(page, "coord_a", PASSWORD)
    page.goto(f"/opportunities/cycle/{cycle.pk}/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post an opportunity")
    check(page)
    fill_opportunity_form(
        page,
        "Assistant to the city manager",
        kind="detail",
        description="Lead the budget review with the city manager.",
        earliest="2027-03-01",
        latest="2027-04-01",
        location="Alpha City Hall",
    )
    save_draft(page)
    check(page)
    submit_for_approval(page)
    opportunity = Opportunity.objects.get(title="Assistant to the city manager")

    # The administrator approves it from the dashboard's queue.
    admin = new_page()
    sign_in(admin, "admin", PASSWORD)
    queue = admin.get_by_test_id("dashboard-opportunity-queue")
    check(admin)
    queue.get_by_role("link", name="Assistant to the city manager").click()
    admin.get_by_label("Approve").check()
    admin.get_by_role("button", name="Record decision").click()
    expect(admin.get_by_test_id("opportunity-status")).to_have_text("Approved")
    check(admin)
    assert Opportunity.objects.get(pk=opportunity.pk).status == "approved"

    # A participant finds it with the workplace filter.
    participant = new_page()
    sign_in(participant, "participant", PASSWORD)
    participant.goto(f"/opportunities/cycle/{cycle.pk}/")
    expect(participant.get_by_test_id("opportunity-table")).to_contain_text(
        "Assistant to the city manager"
    )
    participant.get_by_label("Workplace").select_option("remote")
    expect(participant.locator("#results")).to_contain_text("No opportunity matches")
    check(participant)

    # The coordinator nominates an employee; the first endorser is e-mailed.
    page.goto(f"/nominations/cycle/{cycle.pk}/new/")
    check(page)
    page.get_by_label("Employee").select_option(label="Nia Nominee")
    page.get_by_label("Why this person").fill("Ready for a stretch assignment.")
    page.get_by_label("E-mail of the endorser: Supervisor").fill(world.users["supervisor"].email)
    page.get_by_label("E-mail of the endorser: Department head").fill(head.email)
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_test_id("nomination-status")).to_have_text("Awaiting endorsement")
    check(page)
    assert [m.to for m in mail.outbox] == [[world.users["supervisor"].email]]

    # A spreadsheet with a bad row imports nothing and lists the problem by line.
    page.goto(f"/nominations/cycle/{cycle.pk}/import/")
    check(page)
    csv = tmp_path / "nominees.csv"
    csv.write_text(
        "work_email,rationale,endorser_1,endorser_2\n"
        f"{world.person_b.work_email},Not ours,{head.email},{head.email}\n"
    )
    page.get_by_label("Spreadsheet").set_input_files(str(csv))
    page.get_by_role("button", name="Check and import").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Nobody in your organisation has the work e-mail")
    expect(errors.get_by_role("rowheader")).to_have_text("2")
    check(page)
    assert Nomination.objects.count() == 1
    page.goto(f"/nominations/cycle/{cycle.pk}/")
    expect(page.get_by_test_id("nomination-table")).to_contain_text("Nia Nominee")
    check(page)

    # Each endorser follows their e-mail link and endorses.
    for username, message_index in (("supervisor", 0), ("head", 1)):
        endorser = new_page()
        sign_in(endorser, username, PASSWORD)
        endorser.goto(_link_in(mail.outbox[message_index]))
        expect(endorser.get_by_role("heading", level=1)).to_contain_text("Nia Nominee")
        check(endorser)
        endorser.get_by_label("Endorse", exact=True).check()
        endorser.get_by_role("button", name="Record my decision").click()
        expect(endorser.get_by_test_id("endorsement-decision")).to_contain_text("endorsed")
    nomination = Nomination.objects.get(person=nominee)
    assert nomination.status == "endorsed"
    assert mail.outbox[-1].to == [nominee.work_email]

    # The nominee confirms the profile from the invitation.
    nia = new_page()
    sign_in(nia, "nia", PASSWORD)
    nia.goto(_link_in(mail.outbox[-1]))
    expect(nia.get_by_test_id("nomination-status")).to_have_text("Endorsed")
    check(nia)
    nia.get_by_role("button", name="My profile is complete and correct").click()
    expect(nia.get_by_role("status").or_(nia.locator(".usa-alert--success")).first).to_contain_text(
        "profile is confirmed"
    )
    nomination.refresh_from_db()
    assert nomination.profile_confirmed_at is not None
