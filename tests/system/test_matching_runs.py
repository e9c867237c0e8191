"""The administrator runs both modes through the real task worker, watches the progress bar,
reads every pair's explanation, compares, publishes; a participant accepts. Every page is
checked with axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from talent_exchange.matches import presenters
from talent_exchange.matches.models import MatchRun, Offer, OfferStatus, RunStatus
from talent_exchange.matches.tests.factories import small_market

from .conftest import sign_in
from .screens import check, new_page_at_desktop_width  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory


def work_through_the_queue() -> None:
    """One pass of the database worker, as `talent-exchange db_worker` runs in production."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def start_run(page, mode: str) -> MatchRun:
    page.get_by_role("radio", name=mode).check()
    page.get_by_role("button", name="Start the run").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{mode}, round 1")
    run = MatchRun.objects.latest("pk")
    # Queued: nothing ran inside the request; the page shows a labelled progress bar and polls.
    progress = page.get_by_role("progressbar", name=re.compile("Queued"))
    expect(progress).to_be_visible()
    expect(page.get_by_test_id("run-progress")).to_have_attribute("hx-trigger", "every 2s")
    check(page)
    work_through_the_queue()
    # The poll notices the end and reloads the page with the results.
    expect(page.get_by_role("heading", name="Matched pairs, and why")).to_be_visible(timeout=20_000)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    reasons = page.get_by_test_id("pair-reason")
    expect(reasons).to_have_count(len(run.result["assignments"]))
    names = presenters.names_for([run])
    for i, pair in enumerate(run.result["assignments"]):
        expect(reasons.nth(i)).to_contain_text(presenters.explanation(pair, names))
    expect(page.get_by_role("img", name=re.compile("Exchange matrix"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("sent and received"))).to_be_visible()
    check(page)
    return run


def test_run_compare_publish_and_accept(world, new_page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    m = small_market(world)

    page = new_page()
    sign_in(page, "admin", PASSWORD)
    page.goto(_cycle_url(m.cycle))
    page.get_by_role("link", name="Match runs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match runs")
    check(page)

    stable = start_run(page, "Stable")
    page.get_by_role("link", name="Match runs").click()
    optimal = start_run(page, "Optimal")

    page.get_by_role("link", name="Match runs").click()
    page.get_by_role("link", name="Compare two runs").click()
    page.get_by_label("First run").select_option(str(stable.pk))
    page.get_by_label("Second run").select_option(str(optimal.pk))
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_test_id("comparison")
    expect(table).to_contain_text("Total fit")
    expect(table).to_contain_text("Blocking pairs")
    expect(page.get_by_role("img", name=re.compile("Measures of run"))).to_be_visible()
    check(page)

    # From the optimal run's results, forbid a pair for the next runs.
    page.get_by_role("link", name=f"#{optimal.pk} Optimal").click()
    row = page.get_by_test_id("assignments").locator("tbody tr").first
    row.locator("summary").click()
    row.get_by_label("Rule").select_option("forbid")
    row.get_by_label("Reason").fill("Same team as the host's director")
    row.get_by_role("button", name="Save the rule").click()
    expect(
        page.get_by_role("status").filter(has_text="The next run will respect it")
    ).to_be_visible()
    page.get_by_role("link", name="Match runs").click()
    page.get_by_role("link", name="Locked and forbidden pairs").click()
    expect(page.get_by_test_id("constraints")).to_contain_text("Same team as the host's director")
    check(page)

    page.get_by_role("link", name="Match runs").click()
    page.get_by_role("link", name=f"#{stable.pk}", exact=True).click()
    page.get_by_role("button", name="Publish and notify").click()
    # publishing runs in the background: the page says so, the worker makes the offers
    expect(page.get_by_role("status").filter(has_text="Publishing")).to_be_visible()
    work_through_the_queue()
    # the page reloads itself once the run is published: check it after that
    expect(page.get_by_test_id("publish-progress")).to_have_count(0, timeout=20_000)
    page.wait_for_load_state()
    check(page)
    work_through_the_queue()  # the e-mails go out through the worker too
    ada_offer = Offer.objects.get(run=stable, nomination=m.ada)
    assert any("participant@example.org" in message.to for message in mail.outbox)

    participant = new_page()
    sign_in(participant, "participant", PASSWORD)
    section = participant.get_by_role("region", name="Your offer")
    expect(section).to_contain_text(ada_offer.opportunity.title)
    check(participant)
    section.get_by_role("link", name=ada_offer.opportunity.title).click()
    expect(participant.get_by_role("heading", level=1)).to_contain_text("Offer")
    check(participant)
    participant.get_by_role("button", name="Accept the offer").click()
    expect(participant.get_by_test_id("offer-status")).to_contain_text("Accepted")
    check(participant)
    ada_offer.refresh_from_db()
    assert ada_offer.status == OfferStatus.ACCEPTED

    # The host's coordinator follows the answers for their opportunities.
    host = new_page()
    sign_in(host, "coord_b", PASSWORD)
    hosted = host.get_by_role("region", name="Offers for your opportunities")
    expect(hosted).to_contain_text(str(m.ada.person))
    expect(hosted).to_contain_text("Accepted")
    check(host)
    hosted.get_by_role("link", name="All offers").click()
    expect(host.get_by_test_id("offer-list")).to_contain_text(ada_offer.opportunity.title)
    expect(host.get_by_test_id("offer-list")).not_to_contain_text("Budget at A")  # city A's
    check(host)


def _cycle_url(cycle) -> str:
    from django.urls import reverse

    return reverse("programs:cycle", args=[cycle.pk])
