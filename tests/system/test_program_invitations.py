"""An organisation joins a program by consent: the Alberta program's administrator invites
the City of Mariposa Bay, its coordinator accepts from the dashboard. Every page is checked
with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from talent_exchange.people.models import Person
from talent_exchange.programs.models import InvitationState, Program, ProgramInvitation

from .conftest import sign_in
from .screens import check, new_page_at_desktop_width  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


CITY = "City of Mariposa Bay"
ALBERTA = "Executive and Senior Manager Mobility Program"


def test_a_city_joins_a_program_only_when_its_coordinator_accepts(demo, new_page):
    program = Program.objects.get(name=ALBERTA)
    city_person = Person.objects.filter(organization__name=CITY).first()

    admin = new_page()
    sign_in(admin, "alberta")
    # Before any consent, the city's people are out of the administrator's reach.
    assert admin.goto(f"/people/{city_person.pk}/").status == 404

    admin.goto(f"/programs/{program.pk}/")
    admin.get_by_role("link", name="Invite an organisation").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invite an organisation")
    check(admin)
    admin.get_by_role("textbox", name="Search").fill("Mariposa")
    admin.get_by_role("button", name="Search").click()
    admin.get_by_role("link", name=f"Invite {CITY}").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text(f"Invite {CITY}")
    check(admin)
    admin.get_by_label("Message to the organisation (optional)").fill("Join our secondments.")
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.locator("main")).to_contain_text("coordinators were e-mailed")
    expect(admin.get_by_test_id("program-invitations")).to_contain_text(CITY)
    check(admin)
    # Invited is not joined.
    assert admin.goto(f"/people/{city_person.pk}/").status == 404

    coordinator = new_page()
    sign_in(coordinator, "coordinator")
    invitations = coordinator.get_by_test_id("dashboard-program-invitations")
    expect(invitations).to_contain_text(ALBERTA)
    check(coordinator)
    invitations.get_by_role("link", name=f"Open the invitation of {CITY}").click()
    expect(coordinator.locator("main")).to_contain_text("Join our secondments.")
    check(coordinator)
    coordinator.get_by_role("button", name="Accept").click()
    expect(coordinator.get_by_test_id("invitation-state")).to_have_text("Accepted")
    check(coordinator)

    invitation = ProgramInvitation.objects.get(program=program, organization__name=CITY)
    assert invitation.state == InvitationState.ACCEPTED
    assert program.participating_organizations.filter(name=CITY).exists()
    # With the city's consent, the program's administrator now reaches its people.
    assert admin.goto(f"/people/{city_person.pk}/").status == 200
