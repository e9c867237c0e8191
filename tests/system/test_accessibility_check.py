"""The accessibility check itself: it finds a serious violation, on a fresh page and again
on the same page after it changed (axe is put into each document once)."""

from __future__ import annotations

import pytest

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_the_check_finds_a_serious_violation_and_passes_a_clean_page(browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content('<html lang="en"><title>t</title><main><h1>Fine</h1></main></html>')
        assert_accessible(page)
        page.evaluate(
            "() => document.querySelector('main').insertAdjacentHTML("
            "'beforeend', '<input type=\"text\">')"
        )
        with pytest.raises(AssertionError, match=r"label \(critical\)"):
            assert_accessible(page)
    finally:
        context.close()
