"""The opportunity form as the journeys fill it: one place for its labels, so a changed
label or field is changed once for every journey that posts an opportunity."""

from __future__ import annotations

from playwright.sync_api import expect


def fill_opportunity_form(
    page,
    title: str,
    *,
    kind: str = "exchange",
    description: str = "",
    months: int = 3,
    earliest: str = "2027-02-01",
    latest: str = "2027-03-01",
    location: str = "City Hall",
    places: int = 1,
) -> None:
    """Fill the "Post an opportunity" form (the page is open on it)."""
    page.get_by_label("Type").select_option(kind)
    page.locator("#id_title").fill(title)  # not "Title in French"
    page.locator("#id_description").fill(description or f"Three months as {title}.")
    page.get_by_label("Duration (months)").fill(str(months))
    page.get_by_label("Earliest start").fill(earliest)
    page.get_by_label("Latest start").fill(latest)
    page.get_by_label("Location").fill(location)
    page.get_by_label("Places").fill(str(places))


def save_draft(page) -> None:
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("opportunity-status")).to_have_text("Draft")


def submit_for_approval(page) -> None:
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("opportunity-status")).to_have_text("Awaiting approval")
