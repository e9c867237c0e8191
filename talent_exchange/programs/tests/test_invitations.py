"""An organisation joins a program only by consent: the program's administrator invites, one
of the organisation's own coordinators accepts (or a platform operator enrols it, with a
reason). Services, pages and a hypothesis state machine."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.programs.models import (
    InvitationState,
    InvitationTransition,
    ProgramInvitation,
)
from talent_exchange.programs.services import (
    accept_invitation,
    decline_invitation,
    enrol_organization,
    invite_organization,
    withdraw_invitation,
)
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    ProgramInvitationFactory,
    UserFactory,
    grant,
)


@pytest.fixture
def delta(world):
    """The organisation outside the program, with its own coordinator."""
    coordinator = UserFactory(username="coord_delta", email="coord.delta@example.org")
    grant(coordinator, "coordinator", organization=world.outsider_org)
    return coordinator


def _takes_part(program, org) -> bool:
    return program.participating_organizations.filter(pk=org.pk).exists()


@pytest.mark.django_db
def test_an_invitation_changes_nothing_until_the_coordinator_accepts(world, delta):
    admin = world.users["admin"]
    invitation = invite_organization(world.program, world.outsider_org, actor=admin, note="Hi")
    assert invitation.state == InvitationState.PENDING
    assert not _takes_part(world.program, world.outsider_org)

    accept_invitation(invitation, actor=delta, note="Glad to")

    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert invitation.answered_by == delta
    assert _takes_part(world.program, world.outsider_org)
    steps = list(invitation.transitions.values_list("from_state", "to_state", "actor__username"))
    assert steps == [("", "pending", "admin"), ("pending", "accepted", "coord_delta")]
    # The program's history says who added the organisation.
    assert world.program.history.latest().history_user == delta
    assert invitation.history.latest().history_user == delta


@pytest.mark.django_db
def test_the_coordinators_are_emailed_with_a_link_to_answer(
    world, delta, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://exchange.example.org"
    other = UserFactory(username="coord_delta_2", email="second@example.org")
    grant(other, "coordinator", organization=world.outsider_org)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_organization(
            world.program, world.outsider_org, actor=world.users["admin"], note="Please join"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["coord.delta@example.org", "second@example.org"]
    assert "Bay Exchange" in message.subject
    url = "https://exchange.example.org" + reverse("programs:invitation", args=[invitation.pk])
    assert url in message.body
    assert "Please join" in message.body


@pytest.mark.django_db
def test_the_program_administrator_cannot_accept_on_the_organisations_behalf(world, delta):
    admin = world.users["admin"]
    invitation = invite_organization(world.program, world.outsider_org, actor=admin)
    with pytest.raises(PermissionDenied):
        accept_invitation(invitation, actor=admin)
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert not _takes_part(world.program, world.outsider_org)


@pytest.mark.django_db
def test_a_coordinator_of_another_organisation_cannot_answer(world, delta):
    invitation = invite_organization(world.program, world.outsider_org, actor=world.users["admin"])
    for action in (accept_invitation, decline_invitation, withdraw_invitation):
        with pytest.raises(PermissionDenied):
            action(invitation, actor=world.users["coord_a"])
    invitation.refresh_from_db()
    assert invitation.is_pending


@pytest.mark.django_db
def test_only_the_programs_administrator_invites(world):
    other_program = ProgramFactory(name="Elsewhere")
    with pytest.raises(PermissionDenied):
        invite_organization(other_program, world.outsider_org, actor=world.users["admin"])
    for role in ("coord_a", "board", "auditor", "participant"):
        with pytest.raises(PermissionDenied):
            invite_organization(world.program, world.outsider_org, actor=world.users[role])
    assert not ProgramInvitation.objects.exists()


@pytest.mark.django_db
def test_one_waiting_invitation_per_organisation(world, delta):
    admin = world.users["admin"]
    first = invite_organization(world.program, world.outsider_org, actor=admin)
    with pytest.raises(ActionRefused, match="already has an invitation"):
        invite_organization(world.program, world.outsider_org, actor=admin)
    decline_invitation(first, actor=delta, note="Not this year")
    again = invite_organization(world.program, world.outsider_org, actor=admin)
    assert again.pk != first.pk
    assert ProgramInvitation.objects.pending().count() == 1


@pytest.mark.django_db
def test_the_database_holds_at_most_one_waiting_invitation(world):
    from django.db import IntegrityError, transaction

    ProgramInvitationFactory(program=world.program, organization=world.outsider_org)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramInvitationFactory(program=world.program, organization=world.outsider_org)


@pytest.mark.django_db
def test_an_organisation_already_taking_part_is_not_invited(world):
    with pytest.raises(ActionRefused, match="already takes part"):
        invite_organization(world.program, world.city_a, actor=world.users["admin"])


@pytest.mark.django_db
def test_an_answered_invitation_cannot_be_answered_again(world, delta):
    invitation = invite_organization(world.program, world.outsider_org, actor=world.users["admin"])
    withdraw_invitation(invitation, actor=world.users["admin"], note="Sent by mistake")
    with pytest.raises(ActionRefused, match=r"(?i)withdrawn"):
        accept_invitation(invitation, actor=delta)
    assert not _takes_part(world.program, world.outsider_org)
    stale = ProgramInvitation.objects.get(pk=invitation.pk)
    stale.state = InvitationState.PENDING  # a page opened before the withdrawal
    with pytest.raises(ActionRefused):
        accept_invitation(stale, actor=delta)
    assert invitation.transitions.count() == 2


@pytest.mark.django_db
def test_a_platform_operator_enrols_directly_with_a_reason(world, delta):
    operator = UserFactory(username="operator", is_superuser=True)
    with pytest.raises(ActionRefused, match="Say why"):
        enrol_organization(world.program, world.outsider_org, actor=operator, reason="  ")
    pending = invite_organization(world.program, world.outsider_org, actor=world.users["admin"])
    enrolment = enrol_organization(
        world.program, world.outsider_org, actor=operator, reason="Signed agreement 2026-14"
    )
    assert enrolment.pk == pending.pk  # the waiting invitation is closed, not left behind
    assert enrolment.state == InvitationState.ACCEPTED
    assert _takes_part(world.program, world.outsider_org)
    last = enrolment.transitions.last()
    assert last.actor == operator and "Signed agreement 2026-14" in last.note


@pytest.mark.django_db
def test_a_program_administrator_cannot_enrol_directly(world):
    with pytest.raises(PermissionDenied):
        enrol_organization(
            world.program, world.outsider_org, actor=world.users["admin"], reason="Because"
        )
    assert not _takes_part(world.program, world.outsider_org)


# -- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_invite_list_searches_and_leaves_out_members_and_invited(world, client_for):
    admin = world.users["admin"]
    OrganizationFactory(name="Epsilon Water District", kind="special_district")
    invited = OrganizationFactory(name="Epsilon Transit")
    invite_organization(world.program, invited, actor=admin)
    client = client_for(admin)
    url = reverse("programs:invite_list", args=[world.program.pk])
    page = client.get(url, {"q": "epsilon"}).content.decode()
    assert "Epsilon Water District" in page
    assert "Epsilon Transit" not in page  # already invited
    page = client.get(url).content.decode()
    assert "Delta Ministry" in page
    assert "City of Alpha" not in page  # already taking part


@pytest.mark.django_db
def test_the_invite_list_costs_the_same_for_many_organisations(
    world, client_for, django_assert_max_num_queries
):
    OrganizationFactory.create_batch(60)
    client = client_for(world.users["admin"])
    url = reverse("programs:invite_list", args=[world.program.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Invite City of Example") == 25


@pytest.mark.django_db
def test_invite_accept_through_the_pages(world, delta, client_for):
    admin_client = client_for(world.users["admin"])
    response = admin_client.post(
        reverse("programs:invite", args=[world.program.pk, world.outsider_org.pk]),
        {"note": "Join us"},
    )
    assert response.status_code == 302
    invitation = ProgramInvitation.objects.get()
    detail = admin_client.get(reverse("programs:detail", args=[world.program.pk]))
    assert reverse("programs:invitation", args=[invitation.pk]) in detail.content.decode()

    coordinator = client_for(delta)
    dashboard = coordinator.get(reverse("core:dashboard")).content.decode()
    assert "Invitations waiting for your answer" in dashboard
    org_page = coordinator.get(reverse("organizations:detail", args=[world.outsider_org.pk]))
    assert reverse("programs:invitation", args=[invitation.pk]) in org_page.content.decode()
    page = coordinator.get(reverse("programs:invitation", args=[invitation.pk])).content.decode()
    assert "Join us" in page and "Accept" in page
    # Not yet in the program: its page is not linked (it would be "not found" to them).
    assert reverse("programs:detail", args=[world.program.pk]) not in page

    response = coordinator.post(reverse("programs:accept_invitation", args=[invitation.pk]))
    assert response.status_code == 302
    assert _takes_part(world.program, world.outsider_org)


@pytest.mark.django_db
def test_decline_and_withdraw_through_the_pages(world, delta, client_for):
    admin = world.users["admin"]
    first = invite_organization(world.program, world.outsider_org, actor=admin)
    client_for(delta).post(
        reverse("programs:decline_invitation", args=[first.pk]), {"note": "Not now"}
    )
    first.refresh_from_db()
    assert first.state == InvitationState.DECLINED
    assert first.transitions.last().note == "Not now"

    second = invite_organization(world.program, world.outsider_org, actor=admin)
    client_for(admin).post(
        reverse("programs:withdraw_invitation", args=[second.pk]), {"withdraw-note": "Oops"}
    )
    second.refresh_from_db()
    assert second.state == InvitationState.WITHDRAWN
    assert second.transitions.last().note == "Oops"
    assert not _takes_part(world.program, world.outsider_org)


@pytest.mark.django_db
def test_an_organisation_without_a_coordinator_is_told_about(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["admin"]).post(
            reverse("programs:invite", args=[world.program.pk, world.outsider_org.pk]),
            follow=True,
        )
    assert "has no coordinator yet" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_platform_operator_enrols_through_the_page(world, client_for):
    operator = UserFactory(username="operator", is_superuser=True)
    client = client_for(operator)
    url = reverse("programs:enrol", args=[world.program.pk, world.outsider_org.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert not _takes_part(world.program, world.outsider_org)
    response = client.post(url, {"reason": "Signed agreement"})
    assert response.status_code == 302
    assert _takes_part(world.program, world.outsider_org)


# -- the regression: the edit form no longer enrols -----------------------------------------


@pytest.mark.django_db
def test_the_edit_form_does_not_enrol_another_programs_city(world, client_for):
    """Fails on the old code: the edit form offered every organisation, so an administrator
    took another program's city and then read and edited its people."""
    elsewhere = OrganizationFactory(name="City of Elsewhere")
    ProgramFactory(name="Other Exchange", organizations=[elsewhere])
    staff = PersonFactory(organization=elsewhere, first_name="Eli", last_name="Else")
    from talent_exchange.nominations.models import EndorsementStep
    from talent_exchange.programs.tests.test_program_setup import settings_data

    client = client_for(world.users["admin"])
    program = world.program
    EndorsementStep.objects.create(program=program, order=1, title="Supervisor")
    response = client.post(
        reverse("programs:edit", args=[program.pk]),
        settings_data(
            program,
            assignment_types=["exchange"],
            participating_organizations=[world.city_a.pk, world.city_b.pk, elsewhere.pk],
        ),
    )
    assert response.status_code == 302
    assert not _takes_part(program, elsewhere)
    assert _takes_part(program, world.city_a) and _takes_part(program, world.city_b)
    from talent_exchange.accounts.roles import forget_roles

    forget_roles(world.users["admin"])
    assert client.get(reverse("people:detail", args=[staff.pk])).status_code == 404
    assert client.get(reverse("people:edit", args=[staff.pk])).status_code in (403, 404)


@pytest.mark.django_db
def test_the_django_admin_does_not_let_a_program_administrator_enrol(world, client_for):
    elsewhere = OrganizationFactory(name="City of Elsewhere")
    program = world.program
    client = client_for(world.users["admin"])
    url = reverse("admin:programs_program_change", args=[program.pk])
    client.post(
        url,
        {
            "name": program.name,
            "shape": program.shape,
            "administering_organization": elsewhere.pk,
            "participating_organizations": [elsewhere.pk],
            "min_assignment_months": 3,
            "max_assignment_months": 3,
            "reciprocity": "none",
            "balance_tolerance": 1,
            "min_years_of_service": 0,
        },
    )
    program.refresh_from_db()
    assert program.administering_organization != elsewhere
    assert not _takes_part(program, elsewhere)


# -- a hypothesis state machine: any sequence of invitations and answers ---------------------


@pytest.mark.django_db(transaction=True)
class TestInvitationMachine:
    def test_random_invitations_and_answers(self):
        from hypothesis.stateful import run_state_machine_as_test

        run_state_machine_as_test(
            InvitationMachine,
            settings=settings(
                max_examples=20,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )


ACTORS = ("admin", "coordinator", "other_coordinator", "other_admin", "operator")


class InvitationMachine(RuleBasedStateMachine):
    """Whoever acts and in whatever order: the organisation takes part exactly when its own
    coordinator accepted or an operator enrolled it; at most one invitation waits."""

    @initialize()
    def setup(self):
        InvitationTransition.objects.all().delete()
        self.org = OrganizationFactory()
        self.program = ProgramFactory()
        other_program = ProgramFactory()
        self.actors = {name: UserFactory() for name in ACTORS}
        self.actors["operator"].is_superuser = True
        self.actors["operator"].save()
        grant(self.actors["admin"], "program_admin", program=self.program)
        grant(self.actors["other_admin"], "program_admin", program=other_program)
        grant(self.actors["coordinator"], "coordinator", organization=self.org)
        grant(self.actors["other_coordinator"], "coordinator", organization=OrganizationFactory())
        self.member = False
        self.pending: ProgramInvitation | None = None

    @rule(actor=st.sampled_from(ACTORS))
    def invite(self, actor):
        allowed = actor in ("admin", "operator")
        try:
            invitation = invite_organization(self.program, self.org, actor=self.actors[actor])
        except PermissionDenied:
            assert not allowed
        except ActionRefused:
            assert allowed and (self.member or self.pending is not None)
        else:
            assert allowed and not self.member and self.pending is None
            self.pending = invitation

    @rule(
        action=st.sampled_from(["accept", "decline", "withdraw"]),
        actor=st.sampled_from(ACTORS),
    )
    def answer(self, action, actor):
        if self.pending is None:
            return
        service = {
            "accept": accept_invitation,
            "decline": decline_invitation,
            "withdraw": withdraw_invitation,
        }[action]
        allowed = actor == "operator" or actor == (
            "admin" if action == "withdraw" else "coordinator"
        )
        try:
            service(self.pending, actor=self.actors[actor])
        except PermissionDenied:
            assert not allowed
        else:
            assert allowed
            self.member = self.member or action == "accept"
            self.pending = None

    @rule(actor=st.sampled_from(ACTORS), reason=st.sampled_from(["", "agreement"]))
    def enrol(self, actor, reason):
        try:
            enrol_organization(self.program, self.org, actor=self.actors[actor], reason=reason)
        except PermissionDenied:
            assert actor != "operator"
        except ActionRefused:
            assert actor == "operator" and (not reason or self.member)
        else:
            assert actor == "operator" and reason and not self.member
            self.member = True
            self.pending = None

    @invariant()
    def database_agrees(self):
        if not hasattr(self, "org"):
            return
        assert _takes_part(self.program, self.org) == self.member
        waiting = ProgramInvitation.objects.filter(program=self.program).pending()
        assert waiting.count() == (1 if self.pending is not None else 0)
        accepted = ProgramInvitation.objects.filter(
            program=self.program, state=InvitationState.ACCEPTED
        )
        assert accepted.exists() == self.member
        for invitation in accepted:
            assert invitation.answered_by in (self.actors["coordinator"], self.actors["operator"])


# -- taking an organisation out --------------------------------------------------------------


@pytest.mark.django_db
def test_the_administrator_takes_an_idle_organisation_out_with_a_reason(world, client_for):
    from talent_exchange.accounts.roles import forget_roles
    from talent_exchange.programs.services import remove_organization

    admin = world.users["admin"]
    with pytest.raises(ActionRefused, match="Say why"):
        remove_organization(world.program, world.city_b, actor=admin, reason="")
    client = client_for(admin)
    url = reverse("programs:remove_organization", args=[world.program.pk, world.city_b.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Left the consortium"})
    assert response.status_code == 302
    assert not _takes_part(world.program, world.city_b)
    latest = world.program.history.latest()
    assert latest.history_user == admin
    assert latest.history_change_reason == "Left the consortium"
    forget_roles(admin)
    assert client.get(reverse("people:detail", args=[world.person_b.pk])).status_code == 404


@pytest.mark.django_db
def test_an_organisation_with_work_under_way_cannot_be_taken_out(world, client_for):
    from talent_exchange.programs.services import remove_organization
    from tests.factories import NominationFactory

    NominationFactory(cycle=world.cycle, person=world.person_b)
    with pytest.raises(ActionRefused, match="1 nomination in an open cycle"):
        remove_organization(world.program, world.city_b, actor=world.users["admin"], reason="x")
    url = reverse("programs:remove_organization", args=[world.program.pk, world.city_b.pk])
    client = client_for(world.users["admin"])
    page = client.get(url).content.decode()
    assert "work under way" in page
    client.post(url, {"reason": "Anyway"})
    assert _takes_part(world.program, world.city_b)
    # Once the cycle is closed, the nomination no longer holds it.
    world.cycle.state = "closed"
    world.cycle.save()
    remove_organization(world.program, world.city_b, actor=world.users["admin"], reason="Done")
    assert not _takes_part(world.program, world.city_b)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coord_b", "board", "auditor", "participant"])
def test_only_the_administrator_takes_an_organisation_out(world, client_for, role):
    url = reverse("programs:remove_organization", args=[world.program.pk, world.city_b.pk])
    response = client_for(world.users[role]).post(url, {"reason": "Because"})
    assert response.status_code in (403, 404)
    assert _takes_part(world.program, world.city_b)


@pytest.mark.django_db
def test_a_coordinator_withdraws_its_organisations_consent(world, client_for):
    from talent_exchange.accounts.roles import forget_roles

    url = reverse("organizations:leave_program", args=[world.city_b.pk, world.program.pk])
    page = client_for(world.users["coord_b"]).get(
        reverse("organizations:detail", args=[world.city_b.pk])
    )
    assert url in page.content.decode()
    response = client_for(world.users["coord_b"]).post(url, {"reason": "Hiring freeze"})
    assert response.status_code == 302
    assert not _takes_part(world.program, world.city_b)
    assert world.program.history.latest().history_change_reason == "Hiring freeze"
    admin = world.users["admin"]
    forget_roles(admin)
    assert (
        client_for(admin).get(reverse("people:detail", args=[world.person_b.pk])).status_code == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coord_a", "admin", "board", "supervisor"])
def test_only_its_own_coordinator_takes_an_organisation_out_from_its_page(world, client_for, role):
    url = reverse("organizations:leave_program", args=[world.city_b.pk, world.program.pk])
    response = client_for(world.users[role]).post(url, {"reason": "Not mine"})
    assert response.status_code in (403, 404)
    assert _takes_part(world.program, world.city_b)


@pytest.mark.django_db
def test_the_inviter_hears_the_answer(world, delta, django_capture_on_commit_callbacks):
    admin = world.users["admin"]
    admin.email = "admin@example.org"
    admin.save()
    invitation = invite_organization(world.program, world.outsider_org, actor=admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decline_invitation(invitation, actor=delta, note="Budget cuts")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["admin@example.org"]
    assert "declined" in message.subject and "Delta Ministry" in message.subject
    assert "Budget cuts" in message.body
    again = invite_organization(world.program, world.outsider_org, actor=admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_invitation(again, actor=admin)
    assert mail.outbox == []  # nobody to tell: the administrator withdrew it themselves
