"""A program runs itself (issue 10): from an empty platform with only its operator, never
opening /admin/, a program is created from its template; its administrator is invited by
e-mail, chooses a password from the e-mailed link and signs in with their e-mail address;
they add organisations, invite two coordinators by e-mail, set a three-step endorsement chain
and a rubric, create a cycle and copy it; each invited person reaches their dashboard and sees
their next step. Once for a consortium exchange, once for an executive-mobility program inside
one government (where the administrator also posts for a ministry). Every page is checked
with axe, some also at phone width (390 px)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.interviews.models import RubricCriterion
from talent_exchange.nominations.models import EndorsementStep
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.programs.models import Cycle, Program
from tests.factories import UserFactory

from .accessibility import assert_accessible
from .conftest import PASSWORD, set_up_authenticator_app, sign_in
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


class Site:
    """Opens pages and remembers every address any of them asked for (none is /admin/)."""

    def __init__(self, new_page):
        self._new_page = new_page
        self.requests: list[str] = []

    def page(self):
        page = self._new_page()
        page.on("request", lambda request: self.requests.append(request.url))
        return page

    def never_opened_the_admin(self) -> None:
        assert self.requests and not any("/admin/" in url for url in self.requests)


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


def _invite(page, program, role: str, address: str, name: str, organisation: str = "") -> str:
    """On the program's people and roles page, give ``role`` to an address nobody has yet;
    returns the one-time link the invitation e-mailed."""
    page.goto(f"/programs/{program.pk}/")
    page.get_by_role("link", name="Administrators, board, panelists and coordinators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"People and roles: {program}")
    page.get_by_role("combobox", name=re.compile(r"^Role")).select_option(label=role)
    if organisation:
        page.get_by_label("Organisation", exact=True).select_option(label=organisation)
    first, last = name.split(" ", 1)
    page.get_by_label("E-mail address or user name").fill(address)
    page.get_by_label("First name (for an invitation)").fill(first)
    page.get_by_label("Last name (for an invitation)").fill(last)
    page.get_by_label("Reason").fill(f"{role} of {organisation or program}")
    page.get_by_role("button", name="Give the role").click()
    expect(page.locator("main")).to_contain_text(
        f"An invitation to choose a password was e-mailed to {address}."
    )
    expect(page.get_by_test_id("role-holders")).to_contain_text(address)
    assert_accessible(page)
    (message,) = [m for m in mail.outbox if m.to == [address]]
    assert "user name" not in message.body
    return re.search(r"http://\S+/accounts/welcome/\S+", message.body).group(0)


def _welcome(site: Site, link: str, address: str, password: str, role: str):
    """The invited person follows the e-mailed link, chooses a password, lands on their
    dashboard; then signs in afresh with their e-mail address. Returns that signed-in page."""
    page = site.page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    expect(page.locator("main")).to_contain_text(f"You sign in with your e-mail address, {address}")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^New password\W*$")).fill(password)
    page.get_by_label(re.compile(r"^New password confirmation")).fill(password)
    page.get_by_role("button", name="Save my password and sign in").click()
    page.wait_for_url(lambda url: "/accounts/welcome/" not in url)
    if "/accounts/2fa/" in page.url:  # an administrator sets up a second factor first
        set_up_authenticator_app(page, password)
        page.goto("/")
    expect(page.get_by_test_id("user-roles")).to_have_text(role)
    assert_accessible(page)
    page.context.close()
    again = site.page()
    sign_in(again, address, password)
    expect(again.get_by_test_id("user-roles")).to_have_text(role)
    return again


def _accept_the_invitation(page, program: str, organisation: str) -> None:
    """A coordinator's next step on their dashboard: the program's invitation."""
    invitations = page.get_by_test_id("dashboard-program-invitations")
    expect(invitations).to_contain_text(program)
    _also_on_a_phone(page)
    invitations.get_by_role("link", name=f"Open the invitation of {organisation}").click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("invitation-state")).to_have_text("Accepted")
    assert_accessible(page)


def _add_organisation(page, name: str, kind: str, program: str) -> None:
    page.goto("/organisations/")
    page.get_by_role("link", name="Add an organisation").click()
    page.locator("#id_name").fill(name)
    page.get_by_label("Kind").select_option(kind)
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("link", name=f"Invite to {program}").click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_test_id("program-invitations")).to_contain_text(name)


def _set_chain_and_rubric(page, program, last_step: str) -> None:
    """A three-step chain (the template's, the last one renamed; a step added with the
    keyboard and left empty saves nothing) and the rubric's weights. A bad weight is refused
    beside its field first, and nothing is written."""
    page.goto(f"/programs/{program.pk}/edit/")
    page.get_by_label("Weight").first.fill("-2")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.locator("main")).to_contain_text("Nothing was saved.")
    assert_accessible(page)
    assert not RubricCriterion.objects.filter(program=program, weight__lt=0).exists()

    steps = page.get_by_label("Who signs (title)")
    before = steps.count()
    page.get_by_role("button", name="Add a step").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Who signs (title)")).to_have_count(before + 1)
    expect(page.locator("main")).not_to_contain_text("Nothing was saved.")
    assert_accessible(page)
    page.get_by_label("Weight").first.fill("4")
    page.get_by_label("Weight").nth(1).fill("2")
    page.get_by_label("Who signs (title)").nth(2).fill(last_step)
    page.keyboard.press("Enter")  # Enter in a field saves the rules (not "Add a step")
    expect(page.locator("main")).to_contain_text(f"The rules of {program} were saved.")
    expect(page.get_by_test_id("onboarding-checklist")).to_contain_text("Done: Set the rules")
    assert_accessible(page)
    chain = list(EndorsementStep.objects.filter(program=program).values_list("title", flat=True))
    assert len(chain) == 3 and chain[-1] == last_step
    assert RubricCriterion.objects.filter(program=program).first().weight == 4


def _create_and_copy_cycle(page, program, name: str, copy_name: str) -> tuple[Cycle, Cycle]:
    page.goto(f"/programs/{program.pk}/")
    page.get_by_role("link", name="Create your first cycle").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New cycle")
    page.locator("#id_name").fill(  # not "… in French"
        name
    )
    _also_on_a_phone(page)
    page.get_by_role("button", name="Create the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_test_id("cycle-phases")).to_contain_text("Coordinators nominate")
    _also_on_a_phone(page)
    page.get_by_role("link", name="Copy this cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Copy {name}")
    page.locator("#id_name").fill(  # not "… in French"
        copy_name
    )
    assert_accessible(page)
    page.get_by_role("button", name="Create the copy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(copy_name)
    assert_accessible(page)
    first, copy = (Cycle.objects.get(program=program, name=n) for n in (name, copy_name))
    assert copy.phases.count() == first.phases.count() == 6
    assert min(p.opens_on for p in copy.phases.all()) > max(p.closes_on for p in first.phases.all())
    return first, copy


def _open_for_nominations(page, cycle: Cycle) -> None:
    page.goto(f"/programs/cycles/{cycle.pk}/")
    page.get_by_label("Move to").select_option("nominations")
    page.get_by_role("button", name="Change phase").click()
    expect(page.locator(".te-phase--current")).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.state == "nominations"


def _sees_the_cycle_to_nominate_in(page, cycle: Cycle) -> None:
    page.goto("/")
    steps = page.get_by_test_id("coordinator-next-steps")
    expect(steps).to_contain_text(str(cycle))
    expect(steps.get_by_role("link", name=re.compile("Nominate an employee"))).to_be_visible()
    _also_on_a_phone(page)


def test_an_operator_sets_up_a_consortium_exchange_from_nothing(operator, new_page):
    site = Site(new_page)
    page = site.page()
    sign_in(page, "operator")
    expect(page.get_by_test_id("dashboard-getting-started")).to_contain_text(
        "There is no program on the platform yet."
    )
    assert_accessible(page)

    # 1. The program, from the consortium template; its administrator, invited by e-mail.
    _create_program(page, "Consortium talent exchange", "Bay MTEP", "County of San Mateo", "county")
    program = Program.objects.get(name="Bay MTEP")
    _also_on_a_phone(page)
    link = _invite(page, program, "Program administrator", "pat.admin@example.org", "Pat Admin")
    admin = _welcome(
        site, link, "pat.admin@example.org", "pat's own passphrase", "Program administrator"
    )
    getting_started = admin.get_by_test_id("dashboard-getting-started")
    expect(getting_started).to_contain_text("Bay MTEP")
    expect(getting_started.get_by_role("link", name="Set the rules")).to_be_visible()
    _also_on_a_phone(admin)

    # 2. The administrator sets the chain and the rubric.
    _set_chain_and_rubric(admin, program, "City manager")

    # 3. Organisations invited to the program; two coordinators invited by e-mail.
    _add_organisation(admin, "City of Redwood", "city", "Bay MTEP")
    # A component under it: until someone there answers for it, the administrator sets it up.
    admin.goto("/organisations/")
    admin.get_by_role("link", name="City of Redwood", exact=True).click()
    admin.get_by_role("link", name="Add a department or branch").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("New component of City of Redwood")
    admin.locator("#id_name").fill("Redwood Parks Department")
    admin.get_by_label("Kind").select_option("department")
    _also_on_a_phone(admin)
    admin.get_by_role("button", name="Add the organisation").click()
    expect(admin.locator("main")).to_contain_text("Part of")
    _add_organisation(admin, "City of Oakton", "city", "Bay MTEP")
    expect(admin.get_by_test_id("onboarding-checklist")).to_contain_text(
        "Done: Invite the organisations"
    )
    _also_on_a_phone(admin)
    coordinators = {
        "City of Redwood": ("rosa.redwood@example.org", "Rosa Redwood"),
        "City of Oakton": ("omar.oakton@example.org", "Omar Oakton"),
    }
    links = {
        org: _invite(admin, program, "Organisation coordinator", address, name, org)
        for org, (address, name) in coordinators.items()
    }

    # 4. The first cycle, its dates from the template; then a copy of it.
    first, _copy = _create_and_copy_cycle(admin, program, "2027", "2028")

    # 5. Each coordinator reaches their dashboard: their next step is the invitation.
    pages = {}
    for org, (address, _name) in coordinators.items():
        pages[org] = _welcome(
            site, links[org], address, "a long passphrase of my own", "Organisation coordinator"
        )
        _accept_the_invitation(pages[org], "Bay MTEP", org)
    admin.goto("/")
    expect(admin.get_by_test_id("dashboard-getting-started")).to_have_count(0)  # all done
    _open_for_nominations(admin, first)
    for page_ in pages.values():
        _sees_the_cycle_to_nominate_in(page_, first)
    assert RoleGrant.objects.active().filter(program=program, role="program_admin").count() == 1
    site.never_opened_the_admin()


def test_a_single_governments_administrator_sets_up_and_posts_for_a_ministry(operator, new_page):
    site = Site(new_page)
    page = site.page()
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

    # A ministry joins at once (a platform operator's enrolment, with its reason).
    page.goto("/organisations/")
    page.get_by_role("link", name="Add an organisation").click()
    page.locator("#id_name").fill("Ministry of Health")
    page.get_by_label("Kind").select_option("ministry")
    page.get_by_role("button", name="Add the organisation").click()
    page.get_by_role("link", name="Invite to Executive mobility").click()
    page.get_by_label("Why enrol it without an invitation").fill("Signed the program's charter.")
    page.get_by_role("button", name="Enrol now").click()
    expect(page.locator("main")).to_contain_text("now takes part in Executive mobility")

    # The program's administrator, invited by e-mail.
    link = _invite(page, program, "Program administrator", "sam.psc@example.org", "Sam Commission")
    admin = _welcome(
        site, link, "sam.psc@example.org", "sam's own passphrase", "Program administrator"
    )
    expect(admin.get_by_test_id("dashboard-getting-started")).to_contain_text("Executive mobility")
    _set_chain_and_rubric(admin, program, "Deputy minister")
    _add_organisation(admin, "Ministry of Energy", "ministry", "Executive mobility")
    coordinators = {
        "Ministry of Health": ("hana.health@example.org", "Hana Health"),
        "Ministry of Energy": ("eli.energy@example.org", "Eli Energy"),
    }
    links = {
        org: _invite(admin, program, "Organisation coordinator", address, name, org)
        for org, (address, name) in coordinators.items()
    }
    cycle, _copy = _create_and_copy_cycle(admin, program, "2027 intake", "2028 intake")

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
    assert opportunity.posted_by.email == "sam.psc@example.org"

    # Each coordinator reaches their dashboard and sees their next step: the ministry that
    # takes part, the open cycle; the invited one, the invitation.
    _open_for_nominations(admin, cycle)
    health, energy = (
        _welcome(
            site, links[org], address, "a long passphrase of my own", "Organisation coordinator"
        )
        for org, (address, _name) in coordinators.items()
    )
    _sees_the_cycle_to_nominate_in(health, cycle)
    _accept_the_invitation(energy, "Executive mobility", "Ministry of Energy")
    _sees_the_cycle_to_nominate_in(energy, cycle)
    site.never_opened_the_admin()
