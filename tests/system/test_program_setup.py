"""A program runs itself (issue 10): from an empty platform with only its operator, never
opening /admin/, a consortium program is created from its template, organisations added, a
three-step endorsement chain and a rubric set, a cycle created and copied; and inside one
government, the program's administrator posts an opportunity on behalf of a ministry. Every
page is checked with axe, some also at phone width (390 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from talent_exchange.interviews.models import RubricCriterion
from talent_exchange.nominations.models import EndorsementStep
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.programs.models import Cycle, Program
from tests.factories import UserFactory, grant

from .accessibility import assert_accessible
from .conftest import PASSWORD, sign_in
from .opportunities import fill_opportunity_form, save_draft, submit_for_approval

pytestmark = pytest.mark.browser


def _also_on_a_phone(page) -> None:
    """axe at desktop width, then at 390 px wide (the page reflows; nothing is cut off)."""
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"{page.url} scrolls sideways at 390 px ({width} px wide)"
    page.set_viewport_size(size)


@pytest.fixture
def operator(transactional_db):
    return UserFactory(
        username="operator", password=PASSWORD, is_superuser=True, is_staff=True, first_name="Op"
    )


def _create_program(page, template: str, name: str, organisation: str, kind: str) -> None:
    page.goto("/programs/")
    page.get_by_role("link", name="New program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New program")
    page.get_by_label(template).check()
    page.get_by_label("Name of the program").fill(name)
    page.get_by_label("Or a new organisation’s name").fill(organisation)
    page.get_by_label("Kind of the new organisation").select_option(kind)
    _also_on_a_phone(page)
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rules of {name}")


def test_an_operator_sets_up_a_consortium_exchange_from_nothing(operator, new_page):
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, "operator")
    getting_started = page.get_by_test_id("dashboard-getting-started")
    expect(getting_started).to_contain_text("There is no program on the platform yet.")
    assert_accessible(page)

    # 1. The program, from the consortium template.
    _create_program(page, "Consortium talent exchange", "Bay MTEP", "County of San Mateo", "county")
    program = Program.objects.get(name="Bay MTEP")
    _also_on_a_phone(page)

    # A bad rule is refused beside its field and nothing is written.
    page.get_by_label("Weight").first.fill("-2")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.locator("main")).to_contain_text("Nothing was saved.")
    assert_accessible(page)
    assert RubricCriterion.objects.filter(program=program, weight__lt=0).count() == 0

    # A three-step chain (the template's, the last one renamed) and the rubric's weights.
    page.get_by_label("Who signs (title)").nth(2).fill("City manager")
    page.get_by_label("Weight").first.fill("4")
    page.get_by_label("Weight").nth(1).fill("2")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.locator("main")).to_contain_text("The rules of Bay MTEP were saved.")
    checklist = page.get_by_test_id("onboarding-checklist")
    expect(checklist).to_contain_text("Done: Set the rules")
    assert_accessible(page)
    assert [s.title for s in EndorsementStep.objects.filter(program=program)] == [
        "Supervisor",
        "Department head",
        "City manager",
    ]
    assert RubricCriterion.objects.filter(program=program).first().weight == 4

    # 2. Organisations, a component under one, and an invitation to the program.
    page.goto("/organisations/")
    page.get_by_role("link", name="Add an organisation").click()
    page.locator("#id_name").fill("City of Redwood")
    page.get_by_label("Kind").select_option("city")
    _also_on_a_phone(page)
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("City of Redwood")
    page.get_by_role("link", name="Add a department or branch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New component of City of Redwood")
    page.locator("#id_name").fill("Redwood Parks Department")
    page.get_by_label("Kind").select_option("department")
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.locator("main")).to_contain_text("Part of")
    page.get_by_role("link", name="City of Redwood", exact=True).click()
    expect(page.locator("main")).to_contain_text("Redwood Parks Department")
    page.get_by_role("link", name="Invite to Bay MTEP").click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_test_id("program-invitations")).to_contain_text("City of Redwood")
    expect(page.get_by_test_id("onboarding-checklist")).to_contain_text(
        "Done: Invite the organisations"
    )
    _also_on_a_phone(page)

    # 3. The first cycle, its dates from the template; then a copy of it.
    page.get_by_role("link", name="Create your first cycle").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New cycle")
    page.get_by_label("Name of the cycle").fill("2027")
    _also_on_a_phone(page)
    page.get_by_role("button", name="Create the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2027")
    expect(page.get_by_test_id("cycle-phases")).to_contain_text("Coordinators nominate")
    _also_on_a_phone(page)
    page.get_by_role("link", name="Copy this cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy 2027")
    page.get_by_label("Name of the cycle").fill("2028")
    assert_accessible(page)
    page.get_by_role("button", name="Create the copy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2028")
    assert_accessible(page)
    first, copy = (Cycle.objects.get(program=program, name=n) for n in ("2027", "2028"))
    assert copy.phases.count() == first.phases.count() == 6
    assert min(p.opens_on for p in copy.phases.all()) > max(p.closes_on for p in first.phases.all())
    assert not any("/admin/" in url for url in requests)


def test_a_single_governments_administrator_posts_for_a_ministry(operator, new_page):
    page = new_page()
    sign_in(page, "operator")
    _create_program(
        page,
        "Cross-ministry mobility program",
        "Executive mobility",
        "Public Service Commission",
        "agency",
    )
    program = Program.objects.get(name="Executive mobility")
    assert program.administrators_act_for_organizations
    page.get_by_role("button", name="Save the rules").click()

    # A ministry joins (a platform operator's enrolment, with its reason).
    page.goto("/organisations/")
    page.get_by_role("link", name="Add an organisation").click()
    page.locator("#id_name").fill("Ministry of Health")
    page.get_by_label("Kind").select_option("ministry")
    page.get_by_role("button", name="Add the organisation").click()
    page.get_by_role("link", name="Invite to Executive mobility").click()
    page.get_by_label("Why enrol it without an invitation").fill("Signed the program's charter.")
    page.get_by_role("button", name="Enrol now").click()
    expect(page.locator("main")).to_contain_text("now takes part in Executive mobility")

    # The program's administrator (granted by the operator: see the roles pages).
    administrator = UserFactory(username="psc_admin", password=PASSWORD, first_name="Pat")
    grant(administrator, "program_admin", program=program)
    admin = new_page()
    sign_in(admin, "psc_admin")
    expect(admin.get_by_test_id("dashboard-getting-started")).to_contain_text("Executive mobility")
    assert_accessible(admin)
    admin.goto(f"/programs/{program.pk}/")
    admin.get_by_role("link", name="Create your first cycle").first.click()
    admin.get_by_label("Name of the cycle").fill("2027 intake")
    admin.get_by_role("button", name="Create the cycle").click()
    cycle = Cycle.objects.get(program=program, name="2027 intake")

    # On behalf of the ministry: post, submit, approve.
    admin.goto(f"/opportunities/cycle/{cycle.pk}/")
    admin.get_by_role("link", name="Post an opportunity").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Post an opportunity")
    admin.get_by_label("Host organisation").select_option(label="Ministry of Health")
    fill_opportunity_form(
        admin,
        "Director, health workforce planning",
        kind="secondment",
        description="Lead the workforce plan across the health system.",
        months=12,
        earliest="2027-09-01",
        latest="2027-10-01",
        location="Edmonton",
    )
    _also_on_a_phone(admin)
    save_draft(admin)
    submit_for_approval(admin)
    admin.get_by_label("Approve").check()
    admin.get_by_role("button", name="Record decision").click()
    expect(admin.get_by_test_id("opportunity-status")).to_have_text("Approved")
    assert_accessible(admin)
    opportunity = Opportunity.objects.get(title="Director, health workforce planning")
    assert opportunity.host_organization.name == "Ministry of Health"
    assert opportunity.posted_by == administrator
