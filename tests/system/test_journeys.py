"""Journeys through the app as different roles, each page checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from talent_exchange.people.models import Person

from .conftest import sign_in
from .screens import check, new_page_at_each_width, open_menu  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


def test_two_coordinators_see_their_own_people_and_nothing_else(demo, new_page):
    page = new_page()
    sign_in(page, "coordinator")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_test_id("user-roles")).to_have_text("Organisation coordinator")
    check(page)

    open_menu(page)
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    table = page.get_by_test_id("people-table")
    own = Person.objects.filter(organization__role_grants__user__username="coordinator")
    other = Person.objects.filter(organization__role_grants__user__username="coordinator2")
    assert own.exists() and other.exists()
    for person in own[:3]:
        expect(table).to_contain_text(person.full_name)
    for person in other[:3]:
        expect(table).not_to_contain_text(person.full_name)
    check(page)

    # Search narrows the list in place (htmx), and the URL keeps the query.
    target = own.first()
    page.get_by_role("textbox", name="Search").fill(target.last_name)
    expect(page).to_have_url(re.compile(r"q="))
    expect(page.get_by_test_id("people-table")).to_contain_text(target.full_name)

    link = page.get_by_test_id("people-table").get_by_role("link", name=target.full_name)
    link.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(target.full_name)
    check(page)

    # Guessing the address of another city's employee finds nothing.
    stranger = other.first()
    response = page.goto(f"/people/{stranger.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text(stranger.work_email)
    check(page)

    second = new_page()
    sign_in(second, "coordinator2")
    second.goto("/people/")
    expect(second.get_by_test_id("people-table")).to_contain_text(stranger.full_name)
    expect(second.get_by_test_id("people-table")).not_to_contain_text(target.full_name)


def test_a_participant_is_refused_the_audit_trail(demo, new_page):
    page = new_page()
    sign_in(page, "participant")
    expect(page.get_by_test_id("user-roles")).to_have_text("Participant")
    expect(page.get_by_role("heading", name="Your talent profile")).to_be_visible()
    assert page.get_by_role("link", name="Audit trail").count() == 0
    response = page.goto("/audit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    check(page)


def test_persona_switcher_changes_role_in_one_click(demo, new_page):
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Demo: sign in as").select_option("auditor")
    page.get_by_role("button", name="Switch persona").click()
    expect(page.get_by_test_id("user-roles")).to_have_text("Auditor")
    open_menu(page)
    page.get_by_role("link", name="Audit trail", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    check(page)


def test_participant_edits_their_profile_and_the_auditor_sees_it(demo, new_page):
    page = new_page()
    sign_in(page, "participant")
    page.get_by_role("link", name="View your profile").click()
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    check(page)
    # A participant cannot move themselves to another organisation, nor change the record
    # that eligibility trusts (years of service is kept by their coordinator).
    assert page.get_by_label("Home organisation").count() == 0
    assert page.get_by_label("Years of service").count() == 0
    first_name = page.get_by_label("First name").input_value()
    page.get_by_label("Career goals").fill("Lead a regional water resilience program.")
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#first_name-error")).to_be_visible()
    check(page)
    page.get_by_label("First name").fill(first_name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").or_(page.locator(".usa-alert--success"))).to_contain_text(
        "profile was saved"
    )
    me = Person.objects.get(user__username="participant")
    assert me.career_goals == "Lead a regional water resilience program."
    assert me.history.filter(history_user__username="participant").exists()

    auditor = new_page()
    sign_in(auditor, "auditor")
    auditor.goto("/audit/?kind=person&actor=participant")
    expect(auditor.locator("table")).to_contain_text("water resilience")


def test_the_administrator_moves_a_cycle_with_the_keyboard(demo, new_page):
    page = new_page()
    sign_in(page, "admin")
    expect(page.get_by_test_id("dashboard-admin")).to_be_visible()
    check(page)
    page.get_by_test_id("dashboard-admin").get_by_role("link").first.click()
    expect(page.get_by_test_id("cycle-phases")).to_be_visible()
    check(page)
    before = page.locator("[aria-current=step] th").inner_text()
    move_to = page.get_by_label("Move to")
    move_to.focus()
    options = move_to.locator("option").all_inner_texts()
    page.keyboard.press("Tab")  # the note
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    expect(page.locator(".usa-alert--success")).to_contain_text(f"now in the {options[0]} phase")
    after = page.locator("[aria-current=step] th").inner_text()
    assert (before, after) != (after, after)
    expect(page.locator("main")).to_contain_text(f"{before} → {options[0]}")

    for path in ("/programs/", "/organisations/", "/audit/"):
        page.goto(path)
        check(page)
