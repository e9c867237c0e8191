"""A participant switches to French in the footer; the pages they walk are French and pass
the accessibility check with lang="fr"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.translations import english_left

from .accessibility import assert_accessible
from .conftest import sign_in

pytestmark = pytest.mark.browser


def _assert_french(page) -> None:
    assert page.locator("html").get_attribute("lang") == "fr", page.url
    assert not english_left(page.content()), f"English left on {page.url}"
    assert_accessible(page)


def test_a_participant_walks_the_app_in_french(demo, new_page):
    page = new_page()
    sign_in(page, "participant")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenue")
    _assert_french(page)

    navigation = page.get_by_role("navigation", name="Navigation principale")
    paths = [link.get_attribute("href") for link in navigation.get_by_role("link").all()]
    assert paths
    for path in paths:
        page.goto(path)
        _assert_french(page)
