"""Issue 10, people and roles: a program's administrator invites a coordinator by e-mail; the
coordinator chooses a password from the e-mailed link, signs in and finds their role on their
dashboard; a role outside their scope is refused with a clear message. Every page is checked
with axe and for reflow, at desktop and at phone width."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import build_world
from talent_exchange.accounts.models import RoleGrant, User

from .conftest import sign_in
from .test_new_user import check

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory
WIDTHS = {"desktop": 1280, "phone": 320}
INVITED = "nia.newcomer@example.org"


@pytest.fixture(params=list(WIDTHS))
def width(request) -> int:
    return WIDTHS[request.param]


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_an_invited_coordinator_sets_a_password_and_finds_their_role(world, new_page, width):
    admin = new_page()
    admin.set_viewport_size({"width": width, "height": 900})
    sign_in(admin, "admin", PASSWORD)
    admin.goto(f"/programs/{world.program.pk}/")
    admin.get_by_role("link", name="Administrators, board, panelists and coordinators").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("People and roles: Bay Exchange")
    expect(admin.get_by_test_id("role-holders")).to_contain_text("coord_a@example.org")
    check(admin)

    # A mistyped address: a message next to the form, nothing written.
    admin.get_by_label("Show roles").select_option(label="Panelist")
    admin.get_by_role("button", name="Show").click()
    expect(admin.get_by_test_id("role-holders")).not_to_contain_text("coord_a@example.org")
    expect(admin.get_by_test_id("role-holders")).to_contain_text("panelist@example.org")
    admin.get_by_role("combobox", name=re.compile(r"^Role")).select_option(
        label="Organisation coordinator"
    )
    admin.get_by_label("Organisation", exact=True).select_option(label="City of Alpha")
    admin.get_by_label("E-mail address or user name").fill("nia.newcomer at example.org")
    admin.get_by_label("Reason").fill("Second coordinator for City of Alpha")
    admin.get_by_role("button", name="Give the role").click()
    expect(admin.locator("main")).to_contain_text("enter their e-mail address")
    check(admin)
    assert not User.objects.filter(email__icontains="newcomer").exists()

    admin.get_by_label("E-mail address or user name").fill(INVITED)
    admin.get_by_label("First name (for an invitation)").fill("Nia")
    admin.get_by_label("Last name (for an invitation)").fill("Newcomer")
    admin.get_by_role("button", name="Give the role").click()
    expect(admin.locator("main")).to_contain_text(
        f"Nia Newcomer is now Organisation coordinator (City of Alpha). An invitation to "
        f"choose a password was e-mailed to {INVITED}."
    )
    expect(admin.get_by_test_id("role-holders")).to_contain_text(INVITED)
    expect(admin.get_by_test_id("role-holders")).to_contain_text("Never (invited)")
    check(admin)

    (message,) = [m for m in mail.outbox if m.to == [INVITED]]
    link = re.search(r"http://\S+/accounts/welcome/\S+", message.body).group(0)

    coordinator = new_page()
    coordinator.set_viewport_size({"width": width, "height": 900})
    coordinator.goto(link)
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Choose your password")
    check(coordinator)
    coordinator.get_by_label(re.compile(r"^New password\W*$")).fill("a long passphrase of my own")
    coordinator.get_by_label(re.compile(r"^New password confirmation")).fill(
        "a long passphrase of my own"
    )
    coordinator.get_by_role("button", name="Save my password and sign in").click()
    coordinator.wait_for_url("**/")
    expect(coordinator.locator("main")).to_contain_text("Your password is saved")
    expect(coordinator.get_by_test_id("user-roles")).to_have_text("Organisation coordinator")
    check(coordinator)

    # Signs in again, with the address they were invited at.
    again = new_page()
    again.set_viewport_size({"width": width, "height": 900})
    sign_in(again, INVITED, "a long passphrase of my own", through_the_pages=True)
    expect(again.get_by_test_id("user-roles")).to_have_text("Organisation coordinator")
    check(again)

    # Their own organisation's roles they manage; another organisation's they may not touch.
    again.goto(f"/accounts/organisations/{world.city_a.pk}/roles/")
    expect(again.get_by_role("heading", name="Give a role")).to_be_visible()
    check(again)
    refused = again.goto(f"/accounts/organisations/{world.city_b.pk}/roles/")
    assert refused.status == 403
    expect(again.get_by_test_id("refusal")).to_contain_text(
        "Only the organisation's coordinators and the administrators of the programs it "
        "takes part in see and give its roles."
    )
    check(again)
    assert RoleGrant.objects.active().filter(user__email=INVITED).count() == 1
