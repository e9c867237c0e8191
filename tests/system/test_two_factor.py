"""Two-factor sign-in in the browser: an administrator is sent to set up an authenticator
app, then signs in with its code; every page on the way passes the accessibility check."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .conftest import PASSWORD, _next_code, _secret_of, set_up_authenticator_app

pytestmark = pytest.mark.browser


def test_an_administrator_sets_up_an_authenticator_app_and_signs_in_with_it(demo, new_page):
    page = new_page()
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("E-mail address or user name").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/")  # any page sends them to the set-up first
    page.wait_for_url("**/accounts/2fa/")
    expect(page.locator("main")).to_contain_text("Your role needs a second factor")
    assert_accessible(page)

    page.goto("/accounts/2fa/totp/activate/")
    page.get_by_label("Password").fill(PASSWORD)  # confirming who they are first
    assert_accessible(page)
    set_up_authenticator_app(page)
    expect(page.get_by_label("Unused codes")).to_be_visible()
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_test_id("dashboard-admin")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address or user name").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(_next_code(_secret_of("admin")))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_test_id("dashboard-admin")).to_be_visible()
