"""Granting and revoking roles in their scope, inviting by e-mail, and the rule behind it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.roles import forget_roles, roles_of
from talent_exchange.accounts.services import (
    NeedsConfirmation,
    grant_role,
    revoke_role,
    sign_in_link,
    welcome_path,
)
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.programs.services import invite_organization
from tests.factories import (
    CycleFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    grant,
)

pytestmark = pytest.mark.django_db


def _grant(world, role="coordinator", person="new.coordinator@example.org", **kwargs):
    actor = kwargs.pop("actor", world.users["admin"])
    scope = kwargs.pop("scope", {"organization": world.city_a})
    return grant_role(
        role, person, actor=actor, reason=kwargs.pop("reason", "Appointed"), **scope, **kwargs
    )


def test_inviting_an_address_opens_an_account_and_mails_a_one_time_link(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://exchange.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        granted = _grant(world, person="New.Coordinator@example.org", first_name="Nia")
    assert granted.invited
    account = User.objects.get(email="New.Coordinator@example.org")
    assert account.first_name == "Nia"
    assert granted.grant.user == account and granted.grant.granted_by == world.users["admin"]
    assert roles_of(account).coordinator_org_ids == {world.city_a.pk}
    (message,) = mail.outbox
    assert message.to == ["New.Coordinator@example.org"]
    assert "Organisation coordinator" in message.subject and "City of Alpha" in message.subject
    # Nobody is told a user name: they sign in with the address the mail came to.
    assert "sign in with your e-mail address, New.Coordinator@example.org" in message.body
    assert "user name" not in message.body
    link = re.search(r"https://exchange.example.org(/accounts/welcome/\S+)", message.body).group(1)
    # The link: choose a password, then on to the dashboard, signed in.
    page = client.get(link, follow=True)
    assert "Choose your password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url,
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").context["user"] == account
    account.refresh_from_db()
    assert account.check_password("a-long-new-passphrase") and account.last_login is not None
    # Once: the same link no longer works, and says where to go instead.
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "already been used" in again


def test_the_link_goes_on_to_the_page_the_mail_was_about(world, client):
    account = UserFactory(username="never", last_login=None)
    link = sign_in_link(account, "/nominations/1/")
    assert "/accounts/welcome/" in link and link.endswith("?next=/nominations/1/")
    page = client.get(link[link.index("/accounts/") :], follow=True)
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert done["Location"] == "/nominations/1/"
    # Someone who has signed in before goes straight to the page (sign-in asks on the way).
    world.users["coord_a"].last_login = account.last_login or world.users["coord_a"].date_joined
    assert sign_in_link(world.users["coord_a"], "/x/").endswith("/x/")


def test_an_unsafe_next_is_ignored(client):
    account = UserFactory(username="never2")
    link = sign_in_link(account, "https://evil.example.com/")
    page = client.get(link[link.index("/accounts/") :], follow=True)
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert done["Location"] == "/"


def test_an_existing_account_is_found_by_address_or_user_name(world):
    by_address = _grant(
        world, role="supervisor", person="COORD_B@example.org", scope={"organization": world.city_b}
    )
    assert by_address.grant.user == world.users["coord_b"] and not by_address.invited
    panelist = _grant(world, role="panelist", person="board", scope={"cycle": world.cycle})
    assert panelist.grant.user == world.users["board"]


def test_a_duplicate_active_grant_is_refused_and_nothing_written(world):
    before = RoleGrant.objects.count()
    with pytest.raises(ActionRefused, match="already Organisation coordinator of City of Alpha"):
        _grant(world, person="coord_a")
    assert RoleGrant.objects.count() == before


def test_an_invalid_address_is_refused_and_nothing_written(world):
    users, grants = User.objects.count(), RoleGrant.objects.count()
    with pytest.raises(ActionRefused, match="enter their e-mail address"):
        _grant(world, person="not an address")
    assert (User.objects.count(), RoleGrant.objects.count()) == (users, grants)


def test_someone_of_another_organisation_is_linked_only_when_confirmed(world):
    # coord_b coordinates City of Beta; making them coordinator of City of Alpha needs a yes.
    before = RoleGrant.objects.count()
    with pytest.raises(NeedsConfirmation, match="City of Beta, another organisation"):
        _grant(world, person="coord_b@example.org")
    assert RoleGrant.objects.count() == before
    granted = _grant(world, person="coord_b@example.org", confirmed=True)
    assert granted.grant.user == world.users["coord_b"]
    # Someone whose talent profile is in the organisation needs no confirmation.
    assert (
        _grant(world, person="participant", role="supervisor").grant.user
        == world.users["participant"]
    )


def test_the_reason_is_kept_on_the_grant_and_in_its_history(world):
    granted = _grant(world, reason="Replaces Sam while on leave")
    revoked = revoke_role(granted.grant, actor=world.users["admin"], reason="Sam is back")
    assert revoked.revoke_reason == "Sam is back" and revoked.revoked_by == world.users["admin"]
    history = list(revoked.history.order_by("history_date"))
    assert [h.history_change_reason for h in history] == [
        "Replaces Sam while on leave",
        "Sam is back",
    ]
    assert {h.history_user for h in history} == {world.users["admin"]}
    assert roles_of(granted.grant.user).coordinator_org_ids == frozenset()


def test_a_reason_is_required(world):
    with pytest.raises(ActionRefused, match="Say why"):
        _grant(world, reason="  ")
    grant_row = RoleGrant.objects.get(user=world.users["coord_a"])
    with pytest.raises(ActionRefused, match="Say why"):
        revoke_role(grant_row, actor=world.users["admin"], reason="")
    grant_row.refresh_from_db()
    assert grant_row.revoked_at is None


def test_revoking_twice_is_refused(world):
    grant_row = RoleGrant.objects.get(user=world.users["coord_a"])
    revoke_role(grant_row, actor=world.users["admin"], reason="Left")
    with pytest.raises(ActionRefused, match="already taken back"):
        revoke_role(grant_row, actor=world.users["admin"], reason="Again")


def test_a_program_keeps_one_administrator(world):
    only = RoleGrant.objects.get(user=world.users["admin"], role=Role.PROGRAM_ADMIN)
    with pytest.raises(ActionRefused, match="last administrator"):
        revoke_role(only, actor=world.users["admin"], reason="Leaving")
    second = _grant(world, role="program_admin", person="board", scope={"program": world.program})
    revoke_role(only, actor=second.grant.user, reason="Handed over")
    only.refresh_from_db()
    assert only.revoked_at is not None


def test_out_of_scope_grants_and_revocations_are_refused(world):
    other = ProgramFactory(name="Elsewhere")
    cases = [
        # a coordinator cannot grant in another organisation
        ("coord_a", "coordinator", {"organization": world.city_b}),
        # nor a program role
        ("coord_a", "panelist", {"cycle": world.cycle}),
        # a program administrator cannot touch another program's roles
        ("admin", "program_admin", {"program": other}),
        ("admin", "panelist", {"cycle": CycleFactory(program=other)}),
        ("admin", "coordinator", {"organization": world.outsider_org}),
        # nobody but a platform operator makes an auditor
        ("admin", "auditor", {}),
        ("board", "board_reviewer", {"program": world.program}),
        ("auditor", "coordinator", {"organization": world.city_a}),
    ]
    before = RoleGrant.objects.count()
    for actor, role, scope in cases:
        with pytest.raises(PermissionDenied):
            _grant(world, role=role, actor=world.users[actor], scope=scope)
    assert RoleGrant.objects.count() == before
    coord_b_grant = RoleGrant.objects.get(user=world.users["coord_b"])
    with pytest.raises(PermissionDenied):
        revoke_role(coord_b_grant, actor=world.users["coord_a"], reason="Not mine")
    coord_b_grant.refresh_from_db()
    assert coord_b_grant.revoked_at is None


def test_a_coordinator_appoints_in_their_own_organisation(world):
    granted = _grant(world, actor=world.users["coord_a"], role="supervisor", person="x@example.org")
    assert granted.grant.organization == world.city_a


def test_an_administrator_appoints_the_first_coordinator_of_an_invited_organisation(world):
    with pytest.raises(PermissionDenied):
        _grant(world, scope={"organization": world.outsider_org})
    invite_organization(world.program, world.outsider_org, actor=world.users["admin"])
    forget_roles(world.users["admin"])
    granted = _grant(world, scope={"organization": world.outsider_org})
    assert granted.grant.organization == world.outsider_org


def test_a_role_needs_its_own_scope(world):
    with pytest.raises(ActionRefused, match="organisation"):
        _grant(world, scope={"program": world.program})
    with pytest.raises(ActionRefused, match="not a role that can be given"):
        _grant(world, role="participant", scope={})


def test_an_invited_address_of_a_talent_profile_is_linked_to_it(world):
    person = PersonFactory(organization=world.city_a, work_email="ana.lyst@example.org")
    granted = _grant(world, role="supervisor", person="ana.lyst@example.org")
    person.refresh_from_db()
    assert granted.invited and person.user == granted.grant.user
    assert granted.grant.user.last_name == person.last_name


# -- the rule, as a property ------------------------------------------------------------------

GRANTER_ROLES = [
    "program_admin",
    "coordinator",
    "supervisor",
    "panelist",
    "board_reviewer",
    "auditor",
    "participant",
    "superuser",
]
TARGET_ROLES = [
    "program_admin",
    "board_reviewer",
    "panelist",
    "coordinator",
    "supervisor",
    "auditor",
]


class GrantsFollowTheScopeRule(TestCase):
    """Two programs, each with its cycle and organisations; one organisation invited to the
    first and not yet answering. For any roles the granter holds and any role in any scope,
    the grant succeeds exactly when the granter answers for that scope."""

    @settings(max_examples=60, deadline=None)
    @given(
        held=st.lists(
            st.tuples(st.sampled_from(GRANTER_ROLES), st.integers(0, 4)), min_size=1, max_size=3
        ),
        target=st.tuples(st.sampled_from(TARGET_ROLES), st.integers(0, 4)),
    )
    def test_a_grant_succeeds_exactly_when_the_rule_says(self, held, target):
        orgs = [OrganizationFactory() for _ in range(5)]
        # program 0: orgs 0 (administering) and 1; program 1: orgs 2 (administering) and 3;
        # org 4 is invited to program 0 and has not answered.
        programs = [
            ProgramFactory(administering_organization=orgs[0], organizations=[orgs[1]]),
            ProgramFactory(administering_organization=orgs[2], organizations=[orgs[3]]),
        ]
        cycles = [CycleFactory(program=p) for p in programs]
        founder = UserFactory()
        grant(founder, "program_admin", program=programs[0])
        invite_organization(programs[0], orgs[4], actor=founder)
        program_orgs = {0: {0, 1, 4}, 1: {2, 3}}  # whose coordinators each program appoints

        granter = UserFactory()
        administers, coordinates = set(), set()
        for role, index in held:
            if role == "superuser":
                granter.is_superuser = True
                granter.save()
            elif role in ("program_admin", "board_reviewer"):
                grant(granter, role, program=programs[index % 2])
                if role == "program_admin":
                    administers.add(index % 2)
            elif role in ("coordinator", "supervisor"):
                grant(granter, role, organization=orgs[index])
                if role == "coordinator":
                    coordinates.add(index)
            elif role == "panelist":
                grant(granter, role, cycle=cycles[index % 2])
            else:
                grant(granter, role)
        forget_roles(granter)

        role, index = target
        if role in ("program_admin", "board_reviewer"):
            scope = {"program": programs[index % 2]}
            expected = index % 2 in administers
        elif role == "panelist":
            scope = {"cycle": cycles[index % 2]}
            expected = index % 2 in administers
        elif role in ("coordinator", "supervisor"):
            scope = {"organization": orgs[index]}
            expected = index in coordinates or any(index in program_orgs[p] for p in administers)
        else:
            scope = {}
            expected = False
        expected = expected or granter.is_superuser

        before = RoleGrant.objects.count()
        try:
            grant_role(
                role,
                "someone.new@example.org",
                actor=granter,
                reason="Property",
                **scope,
                confirmed=True,
            )
        except PermissionDenied:
            succeeded = False
        else:
            succeeded = True
        assert succeeded == expected, (held, target)
        assert RoleGrant.objects.count() == before + int(expected)


def test_an_endorsement_link_stays_redacted_inside_the_next_page(world):
    from talent_exchange.core.log_filters import redact

    account = UserFactory(username="never3")
    link = sign_in_link(account, "/nominations/endorse/s3cr3t-token/")
    assert "s3cr3t-token" not in redact(link)


def test_a_welcome_link_followed_when_already_signed_in_as_its_person_goes_on_to_the_page(
    client,
):
    """An e-mail's choose-a-password link made before the person signed in elsewhere: it goes
    straight on to the page, instead of a form whose token stopped working at that sign-in."""
    account = UserFactory()
    link = welcome_path(account, "/matches/offers/")
    client.force_login(account)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == "/matches/offers/"
    client.force_login(UserFactory())  # someone else signed in: the form, not a redirect
    other = client.get(link)
    assert other.get("Location") != "/matches/offers/"


def test_no_email_asks_anyone_for_a_user_name():
    """People sign in with their e-mail address (issue 10): no e-mail tells them a user name."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    mails = list(root.glob("*/templates/*/email/*.txt"))
    assert mails
    for path in mails:
        text = path.read_text().lower()
        assert "user name" not in text and "username" not in text, path
