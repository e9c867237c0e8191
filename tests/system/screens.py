"""Screen widths for the browser journeys (issue 19: every page of a journey at desktop and at
phone width, every page usable at 320 px), and the check each page passes at any width: axe,
nothing wider than the screen (WCAG reflow), chart text of at least 12 px.

A journey runs once, at desktop width, and ``check`` looks at each page it reaches at phone
width too: the same page, resized (the layout is the browser's; the server sends the same
HTML whatever the width), so every page state a journey checks is checked at both widths
without replaying the whole journey (issue 9: the replay doubled the browser tests' time).
The journeys of ``test_journeys.py`` still replay at phone width, so finding one's way with
the folded menu stays a journey of its own."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from typing import Any

import pytest

from .accessibility import assert_accessible

# Layout does not depend on the database: CI runs the suite on SQLite and again on PostgreSQL,
# and the phone-width checks (and replays) run in the first only (desktop runs in both).
SCREENS = {"desktop": 1280, "phone": 390}
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    SCREENS = {"desktop": 1280}
NARROWEST = 320  # WCAG 2.1 reflow: 320 CSS px wide


@pytest.fixture(name="new_page", params=list(SCREENS))
def new_page_at_each_width(new_page, request):
    """``new_page`` at desktop width, then (a second run of the test) at phone width. A journey
    module takes it with ``from .screens import new_page_at_each_width``."""
    return sized(new_page, SCREENS[request.param])


@pytest.fixture(name="new_page")
def new_page_at_desktop_width(new_page):
    """``new_page`` at desktop width; ``check`` also looks at each page at phone width. A
    journey module takes it with ``from .screens import new_page_at_desktop_width``."""
    desktop = sized(new_page, SCREENS["desktop"])

    def make():
        return also_at_phone_width(desktop())

    return make


# The pages whose every ``check`` is also made at phone width (the journeys that used to be
# replayed at phone width); other pages are checked at the width they have.
_ALSO_AT_PHONE_WIDTH: weakref.WeakSet = weakref.WeakSet()


def also_at_phone_width(page):
    _ALSO_AT_PHONE_WIDTH.add(page)
    return page


def sized(new_page: Callable[[], Any], width: int) -> Callable[[], Any]:
    """``new_page``, with every page it opens ``width`` px wide."""

    def make():
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        return page

    return make


def open_menu(page) -> None:
    """On a narrow screen the menu is folded behind its "Menu" button: open it."""
    button = page.locator(".usa-menu-btn")
    if button.count() and button.is_visible():
        button.click()


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


# Chart text as drawn on the screen: its font size times the chart's scale.
SMALL_CHART_TEXT = """() => [...document.querySelectorAll("svg text")]
  .map(t => [t.textContent.trim(),
             parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a])
  .filter(([text, size]) => text && size < 11.95)
  .slice(0, 5)"""


def check(page) -> None:
    """axe finds nothing serious, nothing is wider than the screen (WCAG reflow) and chart
    text is readable: at the page's width and, for a journey's page, at phone width."""
    _check_at_this_width(page)
    size = page.viewport_size
    phone = SCREENS.get("phone")
    if phone is None or size is None or page not in _ALSO_AT_PHONE_WIDTH:
        return
    page.set_viewport_size({"width": phone, "height": size["height"]})
    try:
        _check_at_this_width(page)
    finally:
        page.set_viewport_size(size)


def _check_at_this_width(page) -> None:
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(WIDER_THAN_THE_SCREEN) if overflow > 0 else []
    width = page.viewport_size["width"] if page.viewport_size else "?"
    assert overflow <= 0, f"{page.url} is {overflow} px wider than a {width} px screen: {wide}"
    small = page.evaluate(SMALL_CHART_TEXT)
    assert not small, f"{page.url} at {width} px: chart text under 12 px: {small}"
