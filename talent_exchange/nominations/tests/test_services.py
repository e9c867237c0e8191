"""Nominating, the endorsement chain in order, decline, the nominee's invitation, and the
e-mails each step sends (recipients, and a link in the body that works)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.nominations import services
from talent_exchange.nominations.models import ConflictOfInterest, Endorsement, Nomination
from tests.factories import PersonFactory, UserFactory

# Real commits: the e-mails leave only when the service's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)
SITE = "https://te.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _link(message) -> str:
    match = re.search(rf"{re.escape(SITE)}(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _nominate(world, chain, person):
    return services.nominate(
        person,
        world.cycle,
        actor=world.users["coord_a"],
        endorsers=[chain["supervisor"], chain["head"]],
        rationale="Ready to stretch",
        backfill_plan="Deputy acts up",
    )


def test_nominate_creates_the_chain_and_mails_the_first_endorser(world, chain, nominee, client_for):
    nomination = _nominate(world, chain, nominee)
    assert nomination.status == "awaiting_endorsement"
    assert list(nomination.endorsements.values_list("order", "title", "endorser__username")) == [
        (1, "Supervisor", "supervisor"),
        (2, "Department head", "head"),
    ]
    assert [m.to for m in mail.outbox] == [[chain["supervisor"].email]]
    link = _link(mail.outbox[0])
    # The endorser has never signed in: the link goes through choosing a password, then on.
    assert link.startswith("/accounts/welcome/")
    path = link.split("?next=")[1]
    first = nomination.endorsements.get(order=1)
    assert path == f"/nominations/endorse/{first.token}/"
    # the link works for the endorser, and for nobody else
    response = client_for(chain["supervisor"]).get(path)
    assert response.status_code == 200 and "Nia Nominee" in response.content.decode()
    assert client_for(chain["head"]).get(path).status_code == 403


def test_chain_signs_in_order_then_the_nominee_is_invited(world, chain, nominee, client_for):
    nomination = _nominate(world, chain, nominee)
    first, second = nomination.endorsements.order_by("order")
    with pytest.raises(ActionRefused, match="earlier step"):
        services.endorse(second, actor=chain["head"])
    with pytest.raises(PermissionDenied):
        services.endorse(first, actor=chain["head"])
    services.endorse(first, actor=chain["supervisor"])
    assert mail.outbox[-1].to == [chain["head"].email]
    assert second.token in mail.outbox[-1].body
    services.endorse(second, actor=chain["head"])
    nomination.refresh_from_db()
    assert nomination.status == "endorsed"
    invitation = mail.outbox[-1]
    assert invitation.to == [nominee.work_email]
    assert "conflicts of interest" in invitation.body
    # (the nominee has an account but never signed in: through choosing a password, then on)
    response = client_for(nominee.user).get(_link(invitation).split("?next=")[-1])
    assert (
        response.status_code == 200 and "Declare conflicts of interest" in response.content.decode()
    )
    with pytest.raises(ActionRefused, match="already decided"):
        services.endorse(first, actor=chain["supervisor"])


def test_decline_ends_the_nomination_and_tells_the_coordinator_why(world, chain, nominee):
    nomination = _nominate(world, chain, nominee)
    first = nomination.endorsements.get(order=1)
    with pytest.raises(ActionRefused, match="Say why"):
        services.decline(first, actor=chain["supervisor"], reason=" ")
    services.decline(first, actor=chain["supervisor"], reason="Critical project until June")
    nomination.refresh_from_db()
    assert nomination.status == "declined"
    told = mail.outbox[-1]
    assert told.to == [world.users["coord_a"].email]
    assert "Critical project until June" in told.body
    second = nomination.endorsements.get(order=2)
    with pytest.raises(ActionRefused):
        services.endorse(second, actor=chain["head"])
    assert len(mail.outbox) == 2  # the first request and the decline; the head never asked


def test_refused_nomination_says_why_and_writes_nothing(world, chain, nominee):
    world.program.min_years_of_service = 20
    world.program.save()
    with pytest.raises(ActionRefused, match="at least 20"):
        _nominate(world, chain, nominee)
    with pytest.raises(ActionRefused, match="has 2 steps"):
        services.nominate(
            nominee, world.cycle, actor=world.users["coord_a"], endorsers=[chain["head"]]
        )
    assert not Nomination.objects.exists() and not mail.outbox


def test_coordinator_cannot_nominate_another_organisations_employee(world, chain):
    with pytest.raises(ActionRefused, match="organisation you coordinate"):
        services.nominate(
            world.person_b,
            world.cycle,
            actor=world.users["coord_a"],
            endorsers=[chain["supervisor"], chain["head"]],
        )
    with pytest.raises(PermissionDenied):
        services.nominate(
            world.person_a, world.cycle, actor=world.users["participant"], endorsers=[]
        )


def test_already_nominated(world, chain, nominee):
    _nominate(world, chain, nominee)
    with pytest.raises(ActionRefused, match="already nominated"):
        _nominate(world, chain, nominee)
    assert Nomination.objects.count() == 1


def test_without_a_chain_the_nomination_is_endorsed_at_once(world, nominee):
    world.cycle.state = "opportunities"
    world.cycle.save()
    nomination = services.nominate(nominee, world.cycle, actor=world.users["coord_a"], endorsers=[])
    assert nomination.status == "endorsed"
    assert mail.outbox[-1].to == [nominee.work_email]


def test_nominee_confirms_profile_and_declares_conflicts(world, chain, nominee):
    nomination = _nominate(world, chain, nominee)
    with pytest.raises(ActionRefused, match="once the nomination is endorsed"):
        services.confirm_profile(nomination, actor=nominee.user)
    for e in nomination.endorsements.order_by("order"):
        services.endorse(e, actor=e.endorser)
    nomination.refresh_from_db()
    services.confirm_profile(nomination, actor=nominee.user)
    assert Nomination.objects.get().profile_confirmed_at is not None
    services.declare_conflict(
        nomination, world.city_b, actor=nominee.user, reason="My sister runs HR"
    )
    with pytest.raises(ActionRefused, match="already declared"):
        services.declare_conflict(nomination, world.city_b, actor=nominee.user, reason="again")
    with pytest.raises(ActionRefused, match="own organisation"):
        services.declare_conflict(nomination, world.city_a, actor=nominee.user, reason="x")
    with pytest.raises(PermissionDenied):
        services.declare_conflict(
            nomination, world.outsider_org, actor=world.users["coord_b"], reason="x"
        )
    assert list(
        ConflictOfInterest.objects.in_cycle(world.cycle).values_list(
            "organization__name", flat=True
        )
    ) == ["City of Beta"]


def test_current_endorsement_query(world, chain, nominee):
    nomination = _nominate(world, chain, nominee)
    assert list(Endorsement.objects.waiting_for(chain["supervisor"])) == [
        nomination.endorsements.get(order=1)
    ]
    assert not Endorsement.objects.waiting_for(chain["head"]).exists()
    services.endorse(nomination.endorsements.get(order=1), actor=chain["supervisor"])
    assert not Endorsement.objects.waiting_for(chain["supervisor"]).exists()
    assert Endorsement.objects.waiting_for(chain["head"]).count() == 1


def _endorse_all(nomination, chain):
    first, second = nomination.endorsements.order_by("order")
    services.endorse(first, actor=chain["supervisor"])
    services.endorse(second, actor=chain["head"])


def test_a_nominee_without_an_account_gets_one_and_chooses_a_password(
    world, chain, client, client_for
):
    person = PersonFactory(
        organization=world.city_a,
        user=None,
        first_name="Omar",
        last_name="Okafor",
        work_email="Omar.Okafor@Example.org",
    )
    nomination = _nominate(world, chain, person)
    _endorse_all(nomination, chain)
    person.refresh_from_db()
    account = person.user
    assert account is not None and account.username == "omar.okafor@example.org"
    assert (account.first_name, account.last_name) == ("Omar", "Okafor")
    assert person.history.first().history_user == chain["head"]  # the link is audited
    invitation = mail.outbox[-1]
    assert invitation.to == [person.work_email]
    assert account.email in invitation.body
    links = re.findall(rf"{re.escape(SITE)}(/\S+)", invitation.body)
    assert links[0] == f"/nominations/{nomination.pk}/"
    # The one-time link lets them choose a password, then sign in and see their nomination.
    form_page = client.get(links[1], follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    chosen = "a long new passphrase 2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen}
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("accounts:login"), {"username": account.email, "password": chosen}
    )
    assert signed_in.status_code == 302
    page = client.get(links[0])
    assert page.status_code == 200 and "Declare conflicts of interest" in page.content.decode()
    # The link works once.
    assert "new_password1" not in client.get(links[1], follow=True).content.decode()


def test_an_existing_unlinked_account_with_the_same_email_is_linked_not_duplicated(world, chain):
    existing = UserFactory(username="pat", email="pat.p@example.org")
    person = PersonFactory(organization=world.city_a, user=None, work_email="PAT.P@example.org")
    users_before = get_user_model().objects.count()
    _endorse_all(_nominate(world, chain, person), chain)
    person.refresh_from_db()
    assert person.user == existing
    assert get_user_model().objects.count() == users_before
    body = mail.outbox[-1].body
    assert "Sign in with your e-mail address, pat.p@example.org." in body
    assert "/reset/" not in body and " pat " not in body  # nobody is told a user name


def test_an_account_linked_to_someone_else_is_left_alone(world, chain, nominee):
    person = PersonFactory(organization=world.city_a, user=None, work_email="nia2@example.org")
    nominee.user.email = "nia2@example.org"
    nominee.user.save()
    _endorse_all(_nominate(world, chain, person), chain)
    person.refresh_from_db()
    nominee.refresh_from_db()
    assert person.user is None and nominee.user.person == nominee
    assert "/reset/" not in mail.outbox[-1].body


def test_an_endorsed_nominee_becomes_a_participant_once(world, chain, nominee):
    """Issue 19 item 1: the nominee can rank and answer offers without waiting for a grant."""
    from talent_exchange.accounts.roles import forget_roles, roles_of

    assert not roles_of(nominee.user).is_participant
    nomination = _nominate(world, chain, nominee)
    _endorse_all(nomination, chain)
    assert nominee.user.role_grants.filter(role="participant", revoked_at=None).count() == 1
    services.grant_participant_role(nominee.user, actor=chain["head"])
    assert nominee.user.role_grants.filter(role="participant").count() == 1
    forget_roles(nominee.user)
    assert roles_of(nominee.user).is_participant
