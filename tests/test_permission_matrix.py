"""Role × object × action: what each role may do to each kind of record, page by page and
in the admin. Each cell is asserted through real requests."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Objects: the participant's own record in City A ("own"), another person in City A
# ("same_city" = the supervisor's record is used for supervisors' reports), a person in City B,
# and a person outside the program.
VIEW = {
    #               person_a  person_b  outsider
    "admin": (True, True, False),
    "coord_a": (True, False, False),
    "coord_b": (False, True, False),
    "supervisor": (True, False, False),  # person_a reports to the supervisor
    "participant": (True, False, False),  # person_a is the participant
    "panelist": (False, False, False),
    "board": (True, True, False),
    "auditor": (True, True, True),
    "nobody": (False, False, False),
}
EDIT = {
    "admin": (True, True, False),
    "coord_a": (True, False, False),
    "coord_b": (False, True, False),
    "supervisor": (False, False, False),
    "participant": (True, False, False),
    "panelist": (False, False, False),
    "board": (False, False, False),
    "auditor": (False, False, False),
    "nobody": (False, False, False),
}
TARGETS = ("person_a", "person_b", "outsider")


def _cells(table):
    return [
        (role, target, allowed[i])
        for role, allowed in table.items()
        for i, target in enumerate(TARGETS)
    ]


@pytest.mark.parametrize(("role", "target", "allowed"), _cells(VIEW))
def test_view_person_page(world, client_for, role, target, allowed):
    person = getattr(world, target)
    client = client_for(world.users[role])
    response = client.get(reverse("people:detail", args=[person.pk]))
    if allowed:
        assert response.status_code == 200
        assert person.work_email in response.content.decode()
    else:
        # Not visible is "not found": guessing a URL tells nothing about who exists.
        assert response.status_code == 404
        assert person.work_email not in response.content.decode()


@pytest.mark.parametrize(("role", "target", "allowed"), _cells(VIEW))
def test_people_list_shows_exactly_the_visible(world, client_for, role, target, allowed):
    person = getattr(world, target)
    response = client_for(world.users[role]).get(reverse("people:list"))
    if role == "nobody":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert (person.work_email in response.content.decode()) is False or allowed
    assert (person.full_name in response.content.decode()) == allowed


@pytest.mark.parametrize(("role", "target", "allowed"), _cells(EDIT))
def test_edit_person(world, client_for, role, target, allowed):
    person = getattr(world, target)
    client = client_for(world.users[role])
    url = reverse("people:edit", args=[person.pk])
    response = client.post(
        url,
        {
            "first_name": person.first_name,
            "last_name": "Renamed",
            "work_email": person.work_email,
            "organization": person.organization_id,
            "position_title": person.position_title,
            "years_of_service": 7,
        },
    )
    person.refresh_from_db()
    if allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert person.last_name == "Renamed"
    else:
        assert response.status_code in (403, 404)
        assert person.last_name != "Renamed"


@pytest.mark.parametrize(
    ("role", "can_add"),
    [
        ("admin", True),
        ("coord_a", True),
        ("participant", False),
        ("auditor", False),
        ("supervisor", False),
        ("board", False),
    ],
)
def test_add_person(world, client_for, role, can_add):
    client = client_for(world.users[role])
    response = client.post(
        reverse("people:create"),
        {
            "first_name": "New",
            "last_name": "Hire",
            "work_email": "new.hire@example.org",
            "organization": world.city_a.pk,
            "position_title": "Analyst",
            "years_of_service": 1,
        },
    )
    from talent_exchange.people.models import Person

    exists = Person.objects.filter(work_email="new.hire@example.org").exists()
    assert exists == can_add
    if not can_add:
        assert response.status_code == 403


def test_coordinator_cannot_add_a_person_to_another_city(world, client_for):
    response = client_for(world.users["coord_a"]).post(
        reverse("people:create"),
        {
            "first_name": "New",
            "last_name": "Hire",
            "work_email": "sneaky@example.org",
            "organization": world.city_b.pk,
            "position_title": "Analyst",
            "years_of_service": 1,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    from talent_exchange.people.models import Person

    assert not Person.objects.filter(work_email="sneaky@example.org").exists()


def test_participant_cannot_move_themselves_to_another_organisation(world, client_for):
    person = world.person_a
    client_for(world.users["participant"]).post(
        reverse("people:edit", args=[person.pk]),
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "work_email": "changed@example.org",
            "organization": world.city_b.pk,
            "position_title": "Chief",
            "years_of_service": 7,
        },
    )
    person.refresh_from_db()
    assert person.organization == world.city_a
    assert person.work_email != "changed@example.org"
    assert person.position_title == "Chief"


@pytest.mark.parametrize(
    ("role", "page", "status"),
    [
        ("auditor", "audit:log", 200),
        ("admin", "audit:log", 200),
        ("coord_a", "audit:log", 403),
        ("participant", "audit:log", 403),
        ("panelist", "audit:log", 403),
        ("board", "audit:log", 403),
        ("nobody", "core:dashboard", 200),
    ],
)
def test_audit_trail_is_for_administrators_and_auditors(world, client_for, role, page, status):
    assert client_for(world.users[role]).get(reverse(page)).status_code == status


@pytest.mark.parametrize(
    ("role", "can_move"),
    [
        ("admin", True),
        ("auditor", False),
        ("coord_a", False),
        ("panelist", False),
    ],
)
def test_moving_a_cycle(world, client_for, role, can_move):
    client = client_for(world.users[role])
    url = reverse("programs:cycle", args=[world.cycle.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"target": "nominations"})
    world.cycle.refresh_from_db()
    assert (world.cycle.state == "nominations") == can_move
    if not can_move:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "can_edit"),
    [
        ("admin", True),
        ("auditor", False),
        ("coord_a", False),
        ("board", False),
    ],
)
def test_editing_program_rules(world, client_for, role, can_edit):
    url = reverse("programs:edit", args=[world.program.pk])
    response = client_for(world.users[role]).get(url)
    assert response.status_code == (200 if can_edit else 403)


def test_program_outside_ones_reach_is_not_found(world, client_for):
    from tests.factories import ProgramFactory

    other = ProgramFactory(name="Elsewhere")
    response = client_for(world.users["coord_a"]).get(reverse("programs:detail", args=[other.pk]))
    assert response.status_code == 404


# The Django admin: staff only, and inside it the same rules and the same scoping.
ADMIN_CELLS = [
    # role, url kind, method, expected status
    ("admin", "changelist", "get", 200),
    ("admin", "change_b", "get", 200),
    ("admin", "change_outsider", "get", 302),  # out of scope: admin says "doesn't exist"
    ("auditor", "changelist", "get", 200),
    ("auditor", "change_b", "post", 403),
    ("auditor", "delete_b", "post", 403),
    ("coord_a", "changelist", "get", 302),  # not staff: sent to the admin's sign-in
    ("participant", "changelist", "get", 302),
]


@pytest.mark.parametrize(("role", "which", "method", "status"), ADMIN_CELLS)
def test_admin_matrix(world, client_for, role, which, method, status):
    urls = {
        "changelist": reverse("admin:people_person_changelist"),
        "change_b": reverse("admin:people_person_change", args=[world.person_b.pk]),
        "change_outsider": reverse("admin:people_person_change", args=[world.outsider.pk]),
        "delete_b": reverse("admin:people_person_delete", args=[world.person_b.pk]),
    }
    client = client_for(world.users[role])
    data = {"post": "yes", "last_name": "Changed"} if method == "post" else None
    response = getattr(client, method)(urls[which], data)
    assert response.status_code == status
    world.person_b.refresh_from_db()
    assert world.person_b.last_name == "Beta"


def test_admin_changelist_lists_only_the_scope(world, client_for):
    content = (
        client_for(world.users["admin"])
        .get(reverse("admin:people_person_changelist"))
        .content.decode()
    )
    assert "Beta" in content and "Alpha" in content
    assert "Outlander" not in content


# Organisations join a program by consent. A pending invitation of Delta Ministry (outside the
# program) to the world's program; "coord_invited" coordinates Delta Ministry.
INVITATION_CELLS = {
    #                view   accept decline withdraw invite
    "admin": (True, False, False, True, True),
    "coord_invited": (True, True, True, False, False),
    "coord_a": (False, False, False, False, False),
    "board": (False, False, False, False, False),
    "auditor": (True, False, False, False, False),
    "participant": (False, False, False, False, False),
    "panelist": (False, False, False, False, False),
    "nobody": (False, False, False, False, False),
}
INVITATION_ACTIONS = ("view", "accept", "decline", "withdraw", "invite")


def _invitation_cells():
    return [
        (role, action, allowed[i])
        for role, allowed in INVITATION_CELLS.items()
        for i, action in enumerate(INVITATION_ACTIONS)
    ]


@pytest.mark.parametrize(("role", "action", "allowed"), _invitation_cells())
def test_invitation_matrix(world, client_for, role, action, allowed):
    from talent_exchange.programs.models import InvitationState, ProgramInvitation
    from talent_exchange.programs.services import invite_organization
    from tests.factories import OrganizationFactory, UserFactory, grant

    invited = UserFactory(username="coord_invited")
    grant(invited, "coordinator", organization=world.outsider_org)
    world.users["coord_invited"] = invited
    invitation = invite_organization(world.program, world.outsider_org, actor=world.users["admin"])
    client = client_for(world.users[role])
    program = world.program
    if action == "view":
        response = client.get(reverse("programs:invitation", args=[invitation.pk]))
        assert response.status_code == (200 if allowed else 404)
        return
    if action == "invite":
        another = OrganizationFactory(name="Epsilon Agency")
        response = client.post(reverse("programs:invite", args=[program.pk, another.pk]))
        created = ProgramInvitation.objects.filter(organization=another).exists()
        assert created == allowed
        if not allowed:
            assert response.status_code in (403, 404)
        return
    response = client.post(reverse(f"programs:{action}_invitation", args=[invitation.pk]))
    invitation.refresh_from_db()
    moved = invitation.state != InvitationState.PENDING
    assert moved == allowed
    if not allowed:
        assert response.status_code in (403, 404)
    member = program.participating_organizations.filter(pk=world.outsider_org.pk).exists()
    assert member == (allowed and action == "accept")


def test_program_admin_of_one_program_cannot_invite_into_another(world, client_for):
    from talent_exchange.programs.models import ProgramInvitation
    from tests.factories import ProgramFactory, UserFactory, grant

    other = ProgramFactory(name="Elsewhere")
    other_admin = UserFactory(username="other_admin")
    grant(other_admin, "program_admin", program=other)
    # Into the world's program, which the other administrator cannot see: not found.
    response = client_for(other_admin).post(
        reverse("programs:invite", args=[world.program.pk, world.outsider_org.pk])
    )
    assert response.status_code == 404
    # The world's administrator into the other program: not found either.
    response = client_for(world.users["admin"]).post(
        reverse("programs:invite", args=[other.pk, world.outsider_org.pk])
    )
    assert response.status_code == 404
    assert not ProgramInvitation.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("coord_a", 403), ("board", 403)])
def test_who_opens_the_invite_page(world, client_for, role, status):
    url = reverse("programs:invite_list", args=[world.program.pk])
    assert client_for(world.users[role]).get(url).status_code == status


@pytest.mark.parametrize("role", ["admin", "coord_a", "board", "auditor"])
def test_only_a_platform_operator_enrols_directly(world, client_for, role):
    url = reverse("programs:enrol", args=[world.program.pk, world.outsider_org.pk])
    response = client_for(world.users[role]).post(url, {"reason": "Because"})
    assert response.status_code in (403, 404)
    assert not world.program.participating_organizations.filter(pk=world.outsider_org.pk).exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("coord_a", False),
        ("coord_b", False),  # a coordinator does not take its organisation out here
        ("board", False),
        ("auditor", False),
        ("panelist", False),
        ("nobody", False),
    ],
)
def test_taking_an_organisation_out_of_a_program(world, client_for, role, allowed):
    url = reverse("programs:remove_organization", args=[world.program.pk, world.city_b.pk])
    response = client_for(world.users[role]).post(url, {"reason": "Reorganised"})
    member = world.program.participating_organizations.filter(pk=world.city_b.pk).exists()
    assert member != allowed
    if not allowed:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("coord_b", True), ("coord_a", False), ("admin", False), ("board", False), ("nobody", False)],
)
def test_an_organisation_leaving_a_program_from_its_own_page(world, client_for, role, allowed):
    url = reverse("organizations:leave_program", args=[world.city_b.pk, world.program.pk])
    response = client_for(world.users[role]).post(url, {"reason": "Reorganised"})
    member = world.program.participating_organizations.filter(pk=world.city_b.pk).exists()
    assert member != allowed
    if not allowed:
        assert response.status_code in (403, 404)


# Setting a program up on the site (issue 10): who creates a program, who opens its settings.
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("coord_a", 403),
        ("supervisor", 403),
        ("participant", 403),
        ("panelist", 403),
        ("board", 403),
        ("auditor", 403),
        ("nobody", 403),
    ],
)
def test_who_opens_the_new_program_page(world, client_for, role, status):
    assert client_for(world.users[role]).get(reverse("programs:create")).status_code == status


def test_a_program_administrator_cannot_touch_another_programs_settings(world, client_for):
    from talent_exchange.programs.tests.test_program_setup import settings_data
    from tests.factories import EndorsementStepFactory, ProgramFactory, UserFactory, grant

    other = ProgramFactory(name="Other Exchange", organizations=[world.city_a])
    EndorsementStepFactory(program=other, order=1, title="Supervisor")
    other_admin = UserFactory(username="other_admin")
    grant(other_admin, "program_admin", program=other)
    url = reverse("programs:edit", args=[world.program.pk])
    # Out of their reach, the world's program is not found; the world's administrator sees
    # the other program (it shares City A) but may not change its rules.
    assert client_for(other_admin).get(url).status_code == 404
    client = client_for(world.users["admin"])
    other_url = reverse("programs:edit", args=[other.pk])
    assert client.get(other_url).status_code in (403, 404)
    data = settings_data(other, assignment_types=["exchange"], name="Taken over")
    assert client.post(other_url, data).status_code in (403, 404)
    other.refresh_from_db()
    assert other.name == "Other Exchange"


# Organisations on the site (issue 10): who adds one, who keeps its details.
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("coord_a", False),
        ("supervisor", False),
        ("participant", False),
        ("board", False),
        ("auditor", False),
    ],
)
def test_who_adds_an_organisation(world, client_for, role, allowed):
    from talent_exchange.organizations.models import Organization

    response = client_for(world.users[role]).post(
        reverse("organizations:create"), {"name": "City of Gamma Bay", "kind": "city"}
    )
    created = Organization.objects.filter(name="City of Gamma Bay").first()
    assert (created is not None) == allowed
    if allowed:
        assert created.sector == "public" and response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        ("coord_a", "city_a", True),  # its own coordinator keeps its details
        ("coord_a", "city_b", False),  # not another organisation's
        ("coord_b", "city_a", False),
        ("admin", "city_b", True),  # the program's administrator
        ("admin", "outsider_org", False),  # not an organisation outside the program
        ("participant", "city_a", False),
        ("auditor", "city_a", False),
    ],
)
def test_who_edits_an_organisation(world, client_for, role, target, allowed):
    org = getattr(world, target)
    response = client_for(world.users[role]).post(
        reverse("organizations:edit", args=[org.pk]),
        {"name": f"{org.name} renamed", "kind": "non_profit", "parent": ""},
    )
    org.refresh_from_db()
    assert org.name.endswith("renamed") == allowed
    if allowed:
        assert org.sector == "external"  # the sector follows the kind
    else:
        assert response.status_code in (403, 404)


def test_a_component_goes_only_under_an_organisation_one_may_edit(world, client_for):
    from talent_exchange.organizations.models import Organization

    client = client_for(world.users["admin"])
    url = reverse("organizations:create")
    ok = client.post(url, {"name": "Alpha Parks", "kind": "department", "parent": world.city_a.pk})
    assert ok.status_code == 302
    assert Organization.objects.get(name="Alpha Parks").parent == world.city_a
    refused = client.post(
        url, {"name": "Delta Branch", "kind": "branch", "parent": world.outsider_org.pk}
    )
    assert refused.status_code == 403
    assert not Organization.objects.filter(name="Delta Branch").exists()


def test_an_administrator_sets_up_an_invited_organisation_until_it_has_a_coordinator(
    world, client_for
):
    """Issue 10: the administrator who invites an organisation with nobody to answer for it
    yet keeps its details and adds its components; once it has a coordinator, its own
    coordinator keeps them (until it joins the program)."""
    from talent_exchange.organizations.models import Organization
    from talent_exchange.programs.services import invite_organization
    from tests.factories import OrganizationFactory, ProgramFactory, UserFactory, grant

    invited = OrganizationFactory(name="City of Epsilon")
    invite_organization(world.program, invited, actor=world.users["admin"])
    admin = client_for(world.users["admin"])
    create = reverse("organizations:create")
    component = {"name": "Epsilon Parks", "kind": "department", "parent": invited.pk}
    assert admin.post(create, component).status_code == 302
    assert Organization.objects.get(name="Epsilon Parks").parent == invited
    edit = reverse("organizations:edit", args=[invited.pk])
    data = {"name": "City of Epsilon Bay", "kind": "city", "parent": ""}
    assert admin.post(edit, data).status_code == 302
    # Another program's administrator may not; nor may anyone once a coordinator answers.
    other = UserFactory(username="other_admin")
    grant(other, "program_admin", program=ProgramFactory(name="Other"))
    assert client_for(other).post(edit, data | {"name": "Taken"}).status_code in (403, 404)
    grant(UserFactory(username="epsilon_coord"), "coordinator", organization=invited)
    assert admin.post(edit, data | {"name": "Renamed again"}).status_code == 403
    refused = admin.post(create, {"name": "Epsilon Roads", "kind": "branch", "parent": invited.pk})
    assert refused.status_code == 403
    invited.refresh_from_db()
    assert invited.name == "City of Epsilon Bay"
    assert not Organization.objects.filter(name="Epsilon Roads").exists()


# A single-government program's administrators post on behalf of its organisations; in a
# program whose rules do not say so (the world's), only the host's coordinators do.
@pytest.mark.parametrize("acts_for_organizations", [True, False])
def test_an_administrator_posts_on_behalf_of_an_organisation_only_when_the_rules_say_so(
    world, client_for, acts_for_organizations
):
    from talent_exchange.opportunities.models import Opportunity

    world.program.administrators_act_for_organizations = acts_for_organizations
    world.program.save()
    client = client_for(world.users["admin"])
    url = reverse("opportunities:create", args=[world.cycle.pk])
    assert client.get(url).status_code == (200 if acts_for_organizations else 403)
    client.post(
        url,
        {
            "host_organization": world.city_b.pk,
            "assignment_type": "secondment",
            "title": "On behalf of Beta",
            "description": "Posted by the program's office.",
            "duration_months": 3,
            "start_earliest": "2027-03-01",
            "start_latest": "2027-04-01",
            "location": "Beta",
            "workplace": "on_site",
            "capacity": 1,
        },
    )
    posted = Opportunity.objects.filter(title="On behalf of Beta").first()
    assert (posted is not None) == acts_for_organizations
    if posted:
        assert posted.host_organization == world.city_b
        assert posted.posted_by == world.users["admin"]


def test_an_administrator_of_another_program_cannot_post_into_this_one(world, client_for):
    from tests.factories import ProgramFactory, UserFactory, grant

    world.program.administrators_act_for_organizations = True
    world.program.save()
    other = ProgramFactory(name="Other mobility", administrators_act_for_organizations=True)
    other_admin = UserFactory(username="other_mobility_admin")
    grant(other_admin, "program_admin", program=other)
    url = reverse("opportunities:create", args=[world.cycle.pk])
    assert client_for(other_admin).get(url).status_code in (403, 404)


# Issue 19's new actions: who may do them; everybody else is refused and nothing changes.
ROLES = ("admin", "coord_a", "coord_b", "supervisor", "participant", "panelist", "board")
ROLES += ("auditor", "nobody")


@pytest.fixture
def issue19(world):
    from talent_exchange.interviews.tests.factories import PanelAssignmentFactory, PanelFactory
    from talent_exchange.opportunities.models import OpportunityStatus
    from talent_exchange.placements.tests.factories import placement_in
    from tests.factories import NominationFactory, OpportunityFactory

    world.cycle.state = "opportunities"
    world.cycle.save()
    opportunity = OpportunityFactory(cycle=world.cycle, status=OpportunityStatus.SUBMITTED)
    panel = PanelFactory(cycle=world.cycle, members=[world.users["panelist"]])
    PanelAssignmentFactory(panel=panel, nomination=NominationFactory(cycle=world.cycle))
    placement = placement_in(world)
    placement.agreement.conflict_statement = "I have no interest in the host's business."
    placement.agreement.save()
    return {"opportunity": opportunity, "panel": panel, "placement": placement}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_administrator_approves_in_bulk_and_schedules_a_panel(
    world, client_for, issue19, role
):
    client = client_for(world.users[role])
    opportunity, panel = issue19["opportunity"], issue19["panel"]
    approved = client.post(
        reverse("opportunities:approve_many", args=[world.cycle.pk]),
        {"opportunity": [opportunity.pk]},
    )
    scheduled = client.post(
        reverse("interviews:schedule_many", args=[panel.pk]),
        {"day": "2030-01-07", "first": "09:00", "minutes": 30, "gap": 0},
    )
    opportunity.refresh_from_db()
    waiting = panel.assignments.filter(starts_at__isnull=True).count()
    if role == "admin":
        assert (opportunity.status, waiting) == ("approved", 0)
    else:
        assert approved.status_code in (403, 404) and scheduled.status_code in (403, 404)
        assert (opportunity.status, waiting) == ("submitted", 1)


@pytest.mark.parametrize("role", ROLES)
def test_who_names_the_supervisors_and_who_attests(world, client_for, issue19, role):
    placement = issue19["placement"]
    client = client_for(world.users[role])
    page = client.get(reverse("placements:supervisors", args=[placement.pk]))
    assert (page.status_code == 200) == (role in ("admin", "coord_a", "coord_b"))
    client.post(reverse("placements:attest", args=[placement.pk]))
    placement.agreement.refresh_from_db()
    # Only the participant attests, for themselves.
    assert placement.agreement.conflict_attested is (role == "participant")


# People and roles: who sees a program's or an organisation's roles, and who gives them. A
# role is given only in the giver's scope: "a coordinator cannot grant a role in another
# organisation", "a program administrator cannot touch another program's roles".
ROLE_PAGE_CELLS = {
    #              program  city_a  city_b  outsider_org
    "admin": (200, 200, 200, 403),  # Delta Ministry is not in the program
    "coord_a": (403, 200, 403, 403),
    "coord_b": (403, 403, 200, 403),
    "supervisor": (403, 403, 403, 403),
    "participant": (403, 403, 403, 403),
    "panelist": (403, 403, 403, 403),
    "board": (403, 403, 403, 403),
    "auditor": (200, 200, 200, 200),
    "nobody": (404, 404, 404, 404),
}


def _role_pages(world):
    return [
        reverse("accounts:program_roles", args=[world.program.pk]),
        reverse("accounts:organization_roles", args=[world.city_a.pk]),
        reverse("accounts:organization_roles", args=[world.city_b.pk]),
        reverse("accounts:organization_roles", args=[world.outsider_org.pk]),
    ]


@pytest.mark.parametrize(("role", "statuses"), list(ROLE_PAGE_CELLS.items()))
def test_who_sees_the_people_and_roles_pages(world, client_for, role, statuses):
    client = client_for(world.users[role])
    got = tuple(client.get(url).status_code for url in _role_pages(world))
    assert got == statuses


# (giver, page, posted role and scope, allowed)
GRANT_CELLS = [
    ("admin", "program", {"role": "board_reviewer"}, True),
    ("admin", "program", {"role": "panelist", "cycle": "cycle"}, True),
    ("admin", "program", {"role": "coordinator", "organization": "city_b"}, True),
    ("admin", "city_a", {"role": "supervisor"}, True),
    ("admin", "outsider_org", {"role": "coordinator"}, False),  # not in the program
    ("coord_a", "city_a", {"role": "coordinator"}, True),
    ("coord_a", "city_a", {"role": "supervisor"}, True),
    ("coord_a", "city_b", {"role": "coordinator"}, False),  # another organisation
    ("coord_a", "program", {"role": "board_reviewer"}, False),
    ("coord_b", "city_a", {"role": "supervisor"}, False),
    ("supervisor", "city_a", {"role": "supervisor"}, False),
    ("board", "program", {"role": "board_reviewer"}, False),
    ("panelist", "program", {"role": "panelist", "cycle": "cycle"}, False),
    ("auditor", "program", {"role": "board_reviewer"}, False),
    ("auditor", "city_a", {"role": "coordinator"}, False),
    ("participant", "city_a", {"role": "coordinator"}, False),
    ("nobody", "city_a", {"role": "coordinator"}, False),
]


@pytest.mark.parametrize(("giver", "page", "data", "allowed"), GRANT_CELLS)
def test_giving_a_role(world, client_for, giver, page, data, allowed):
    from talent_exchange.accounts.models import RoleGrant

    url = (
        reverse("accounts:program_roles", args=[world.program.pk])
        if page == "program"
        else reverse("accounts:organization_roles", args=[getattr(world, page).pk])
    )
    posted = {
        k: getattr(world, v).pk if k in ("cycle", "organization") else v for k, v in data.items()
    }
    before = RoleGrant.objects.count()
    response = client_for(world.users[giver]).post(
        url, {**posted, "person": "new.person@example.org", "reason": "Matrix"}
    )
    assert (RoleGrant.objects.count() == before + 1) == allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (403, 404)


def test_a_program_administrator_cannot_touch_another_programs_roles(world, client_for):
    from talent_exchange.accounts.models import RoleGrant
    from tests.factories import CycleFactory, ProgramFactory, UserFactory, grant

    other = ProgramFactory(name="Elsewhere")
    CycleFactory(program=other)
    other_admin = UserFactory(username="other_admin")
    theirs = grant(other_admin, "program_admin", program=other)
    client = client_for(world.users["admin"])
    url = reverse("accounts:program_roles", args=[other.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"role": "program_admin", "person": "admin", "reason": "Take over"})
    assert response.status_code == 404
    assert not RoleGrant.objects.filter(program=other, user=world.users["admin"]).exists()
    revoke = reverse("accounts:revoke", args=[theirs.pk])
    assert client.post(revoke, {"reason": "Take over"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


# Taking a role back: the grant of coord_b (City of Beta) and of the panelist (the cycle).
REVOKE_CELLS = [
    ("admin", "coord_b", True),
    ("admin", "panelist", True),
    ("coord_b", "coord_b", True),  # a coordinator hands over their own organisation
    ("coord_a", "coord_b", False),  # another organisation
    ("coord_a", "panelist", False),
    ("board", "panelist", False),
    ("auditor", "coord_b", False),
    ("supervisor", "coord_b", False),
    ("nobody", "coord_b", False),
]


@pytest.mark.parametrize(("actor", "holder", "allowed"), REVOKE_CELLS)
def test_taking_a_role_back_matrix(world, client_for, actor, holder, allowed):
    from talent_exchange.accounts.models import RoleGrant

    target = RoleGrant.objects.get(user=world.users[holder])
    response = client_for(world.users[actor]).post(
        reverse("accounts:revoke", args=[target.pk]), {"reason": "Matrix"}
    )
    target.refresh_from_db()
    assert (target.revoked_at is not None) == allowed
    if not allowed:
        assert response.status_code in (403, 404)


# Cycles on the site (issue 10): who opens the new-cycle and copy pages, and whose POST makes
# a cycle; another program's administrator reaches neither.
CYCLE_SETUP_CELLS = {
    "admin": 200,
    "coord_a": 403,
    "coord_b": 403,
    "supervisor": 403,
    "participant": 403,
    "panelist": 403,
    "board": 403,
    "auditor": 403,
    "nobody": 404,
    "other_admin": 404,  # administers another program: this one is out of sight
}


@pytest.mark.parametrize(("role", "status"), list(CYCLE_SETUP_CELLS.items()))
def test_who_creates_and_copies_a_cycle(world, client_for, role, status):
    from talent_exchange.programs.models import Cycle
    from tests.factories import ProgramFactory, UserFactory, grant

    if role == "other_admin":
        user = UserFactory(username="other_admin")
        grant(user, "program_admin", program=ProgramFactory(name="Elsewhere"))
    else:
        user = world.users[role]
    client = client_for(user)
    create = reverse("programs:create_cycle", args=[world.program.pk])
    copy = reverse("programs:copy_cycle", args=[world.cycle.pk])
    assert client.get(create).status_code == status
    assert client.get(copy).status_code == status
    before = Cycle.objects.count()
    response = client.post(copy, {"name": f"Copy by {role}"})
    if status == 200:
        assert response.status_code in (200, 302)  # written, or sent back for its dates
    else:
        assert response.status_code == status
        assert Cycle.objects.count() == before


# Reports (issue 14): the program dashboard and its reports; the full history export (a
# coordinator's holds only their organisations' people); the import.
REPORT_CELLS = {
    #              dashboard  export history  import
    "admin": (200, True, 200),
    "coord_a": (403, True, 403),
    "coord_b": (403, True, 403),
    "supervisor": (403, False, 403),
    "participant": (403, False, 403),
    "panelist": (403, False, 403),
    "board": (200, True, 403),
    "auditor": (200, True, 403),
    "nobody": (404, False, 404),  # the program is not even visible
}


@pytest.mark.parametrize(("role", "cells"), list(REPORT_CELLS.items()))
def test_who_reads_reports_exports_and_imports_a_program(world, client_for, role, cells):
    from talent_exchange.reports.models import Export

    dashboard, exports, imports = cells
    client = client_for(world.users[role])
    assert (
        client.get(reverse("reports:dashboard", args=[world.program.pk])).status_code == dashboard
    )
    download = reverse("reports:download", args=[world.program.pk, "reports.outcomes"])
    assert client.get(download + "?format=csv").status_code == dashboard
    client.post(reverse("reports:export_history", args=[world.program.pk]))
    assert Export.objects.filter(requested_by=world.users[role]).exists() == exports
    assert client.get(reverse("reports:upload", args=[world.program.pk])).status_code == imports


# Development plans (issue 11): the person, their supervisor, the board of their program and
# the program's administrator — and nobody else, not even an organisation's coordinator (the
# auditor reads). person_a is the participant, supervised by the supervisor; person_b is in
# City B; the outsider's plan belongs to another program.
PLAN_VIEW = {
    #               person_a  person_b  outsider
    "admin": (True, True, False),
    "coord_a": (False, False, False),
    "coord_b": (False, False, False),
    "supervisor": (True, False, False),
    "participant": (True, False, False),
    "panelist": (False, False, False),
    "board": (True, True, False),
    "auditor": (True, True, True),
    "nobody": (False, False, False),
}
PLAN_APPROVE = {
    "admin": (False, False, False),
    "coord_a": (False, False, False),
    "coord_b": (False, False, False),
    "supervisor": (True, False, False),
    "participant": (False, False, False),
    "panelist": (False, False, False),
    "board": (True, True, False),
    "auditor": (False, False, False),
    "nobody": (False, False, False),
}


def _plans(world):
    from talent_exchange.development.models import DevelopmentPlan, PlanStatus
    from talent_exchange.development.tests.factories import PlanItemFactory, framework
    from tests.factories import ProgramFactory

    other = ProgramFactory(organizations=[world.outsider_org])
    version = framework()
    plans = {}
    for target, program in (
        ("person_a", world.program),
        ("person_b", world.program),
        ("outsider", other),
    ):
        plan = DevelopmentPlan.objects.create(
            person=getattr(world, target),
            program=program,
            year=2027,
            framework=version,
            status=PlanStatus.SUBMITTED,
        )
        PlanItemFactory(plan=plan)
        plans[target] = plan
    return plans


@pytest.mark.parametrize(("role", "target", "allowed"), _cells(PLAN_VIEW))
def test_view_development_plan(world, client_for, role, target, allowed):
    plan = _plans(world)[target]
    response = client_for(world.users[role]).get(reverse("development:plan", args=[plan.pk]))
    assert response.status_code == (200 if allowed else 404)
    listing = client_for(world.users[role]).get(reverse("development:plans"))
    if listing.status_code == 200:
        shown = reverse("development:plan", args=[plan.pk]) in listing.content.decode()
        assert shown == allowed


@pytest.mark.parametrize(("role", "target", "allowed"), _cells(PLAN_APPROVE))
def test_approve_development_plan(world, client_for, role, target, allowed):
    plan = _plans(world)[target]
    client_for(world.users[role]).post(
        reverse("development:plan_transition", args=[plan.pk, "approve"])
    )
    plan.refresh_from_db()
    assert (plan.status == "approved") == allowed


# Issue 13: money. A finance officer sees and records its own organisation's invoices only;
# the treasurer and the program's administrators keep the program's money; auditors read.
FINANCE_ROLES = (*ROLES, "treasurer", "finance_a", "finance_county")


@pytest.fixture
def issue13(world):
    from decimal import Decimal

    from talent_exchange.finance.models import Invoice
    from tests.factories import UserFactory, grant

    for name, role, scope in (
        ("treasurer", "treasurer", {"program": world.program}),
        ("finance_a", "finance_officer", {"organization": world.city_a}),
        (
            "finance_county",
            "finance_officer",
            {"organization": world.program.administering_organization},
        ),
    ):
        world.users[name] = UserFactory(username=name)
        grant(world.users[name], role, **scope)
    invoice = Invoice.objects.create(
        program=world.program,
        kind="fee",
        issuer=world.program.administering_organization,
        recipient=world.city_b,
        currency="USD",
        total=Decimal("1000.00"),
    )
    invoice.lines.create(description="Fee", unit_amount=Decimal("1000"), amount=Decimal("1000"))
    return invoice


@pytest.mark.parametrize("role", FINANCE_ROLES)
def test_who_sees_and_issues_an_invoice(world, client_for, issue13, role):
    client = client_for(world.users[role])
    page = client.get(reverse("finance:invoice", args=[issue13.pk]))
    sees = role in ("admin", "auditor", "treasurer", "finance_county")
    assert page.status_code == (200 if sees else 404)
    client.post(reverse("finance:issue", args=[issue13.pk]), {"issued_on": "2027-05-01"})
    issue13.refresh_from_db()
    assert (issue13.number is not None) == (role in ("admin", "treasurer", "finance_county"))


@pytest.mark.parametrize("role", FINANCE_ROLES)
def test_who_sees_a_program_money_and_an_organisation_ledger(world, client_for, issue13, role):
    client = client_for(world.users[role])
    program = client.get(reverse("finance:program", args=[world.program.pk]))
    assert (program.status_code == 200) == (role in ("admin", "auditor", "treasurer"))
    ledger = client.get(reverse("finance:ledger", args=[world.city_a.pk]))
    assert (ledger.status_code == 200) == (role in ("admin", "auditor", "treasurer", "finance_a"))


# Learning (issue 12): the cohort's calendar, sessions, circles and community of practice.
# The cohort is the cycle's placements: Ada (participant), her home supervisor (supervisor)
# and her coach; the administrator runs it; the auditor reads it; everybody else is refused
# (403 on a cycle or program page they see, 404 on anything they cannot see).
LEARNING_PAGES = {
    #                  admin coord_a coord_b superv partic panel board audit nobody
    "cycle_calendar": (200, 403, 403, 200, 200, 403, 403, 200, 404),
    "program_calendar": (200, 403, 403, 200, 200, 403, 403, 200, 404),
    "cycle_forum": (200, 403, 403, 200, 200, 403, 403, 200, 404),
    "circles": (200, 403, 403, 200, 200, 403, 403, 200, 404),
    "series_create": (200, 403, 403, 403, 403, 403, 403, 403, 404),
    "session_create": (200, 403, 403, 403, 403, 403, 403, 403, 404),
    "session": (200, 404, 404, 200, 200, 404, 404, 200, 404),
    "session_ics": (200, 404, 404, 200, 200, 404, 404, 200, 404),
    "session_edit": (200, 404, 404, 403, 403, 404, 404, 403, 404),
    "attendance": (200, 404, 404, 403, 403, 404, 404, 403, 404),
    "feedback": (403, 404, 404, 403, 200, 404, 404, 403, 404),
    "thread": (200, 404, 404, 200, 200, 404, 404, 200, 404),
    "circle": (200, 404, 404, 404, 200, 404, 404, 200, 404),
    "circle_session_create": (200, 404, 404, 404, 403, 404, 404, 403, 404),
    "my_calendar": (403, 403, 403, 200, 200, 403, 403, 403, 403),
}


@pytest.fixture
def learning(world):
    from talent_exchange.learning.models import Invitation
    from talent_exchange.learning.tests.factories import (
        CircleFactory,
        PostFactory,
        SessionFactory,
        ThreadFactory,
    )
    from talent_exchange.placements.tests.factories import placement_in

    placement_in(world)  # Ada in City B, coached by Bea; Sam is her home supervisor
    session = SessionFactory(
        program=world.program, cycle=world.cycle, organiser=world.users["admin"]
    )
    Invitation.objects.create(session=session, person=world.person_a)
    circle = CircleFactory(program=world.program)
    circle.members.set([world.person_a, world.person_b])
    thread = ThreadFactory(program=world.program, cycle=world.cycle, author=world.users["admin"])
    PostFactory(thread=thread)
    return {"session": session, "circle": circle, "thread": thread}


def _learning_cells():
    roles = ("admin", "coord_a", "coord_b", "supervisor", "participant", "panelist", "board")
    roles += ("auditor", "nobody")
    return [
        (page, role, statuses[i])
        for page, statuses in LEARNING_PAGES.items()
        for i, role in enumerate(roles)
    ]


@pytest.mark.parametrize(("page", "role", "status"), _learning_cells())
def test_who_opens_the_learning_pages(world, client_for, learning, page, role, status):
    args = {
        "cycle_calendar": [world.cycle.pk],
        "program_calendar": [world.program.pk],
        "cycle_forum": [world.cycle.pk],
        "circles": [world.program.pk],
        "series_create": [world.program.pk],
        "session_create": [world.program.pk],
        "thread": [learning["thread"].pk],
        "circle": [learning["circle"].pk],
        "circle_session_create": [learning["circle"].pk],
        "my_calendar": [],
    }.get(page, [learning["session"].pk])
    response = client_for(world.users[role]).get(reverse(f"learning:{page}", args=args))
    assert response.status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_only_the_cohort_posts_and_only_the_administrator_moderates(
    world, client_for, learning, role
):
    from talent_exchange.learning.models import Post

    thread = learning["thread"]
    client = client_for(world.users[role])
    before = Post.objects.count()
    client.post(reverse("learning:thread", args=[thread.pk]), {"body": "A reply"})
    posted = Post.objects.count() > before
    assert posted == (role in ("admin", "supervisor", "participant"))
    first = thread.posts.order_by("pk").first()
    client.post(reverse("learning:post_hide", args=[first.pk]), {"reason": "Off topic"})
    first.refresh_from_db()
    assert first.is_hidden == (role == "admin")
