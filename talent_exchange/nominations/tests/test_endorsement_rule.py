"""Who may sign a nomination's endorsement chain (issue 16, finding 3): not the nominee, not
whoever nominates, one person one step, and only people of the nominee's organisation who
fit the step (their supervisor, a manager above the supervisor, anyone of the organisation).
Checked when the endorsers are named and again when each one signs."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.nominations import services
from talent_exchange.nominations.models import (
    Endorsement,
    EndorsementDecision,
    EndorserKind,
    Nomination,
    NominationStatus,
)
from tests.factories import (
    CycleFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    grant,
)

from .factories import EndorsementStepFactory, NominationFactory

THREE_STEPS = ("Supervisor", "Department head", "Chief executive")


@pytest.fixture
def three_steps(world):
    world.cycle.state = "nominations"
    world.cycle.save()
    return [
        EndorsementStepFactory(program=world.program, order=i, title=title)
        for i, title in enumerate(THREE_STEPS, start=1)
    ]


@pytest.fixture
def coordinator(world):
    """City A's coordinator, who works there and so has a profile in City A."""
    user = world.users["coord_a"]
    PersonFactory(organization=world.city_a, user=user, work_email="hr.lead@alpha.example.org")
    return user


def _legacy_chain(nomination, kinds, endorsers):
    """A chain written before the rule existed (or by the demo): straight to the database."""
    return [
        Endorsement.objects.create(
            nomination=nomination, order=i, title=f"Step {i}", kind=kind, endorser=endorser
        )
        for i, (kind, endorser) in enumerate(zip(kinds, endorsers, strict=True), start=1)
    ]


@pytest.mark.django_db
def test_a_coordinator_cannot_name_themselves_at_every_step(world, three_steps, coordinator):
    with pytest.raises(ActionRefused, match="Whoever nominates cannot also endorse"):
        services.nominate(
            world.person_a, world.cycle, actor=coordinator, endorsers=[coordinator] * 3
        )
    assert not Nomination.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_the_form_says_it_next_to_each_endorser_field(world, three_steps, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("nominations:create", args=[world.cycle.pk]),
        {
            "person": world.person_a.pk,
            "endorser_1": coordinator.email,
            "endorser_2": coordinator.email.upper(),
            "endorser_3": coordinator.email,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    for order in (1, 2, 3):
        error = re.search(rf'id="endorser_{order}-error"[^>]*>([^<]*)<', html)
        assert error, html
        assert "Whoever nominates cannot also endorse" in error.group(1)
        assert "one person signs one step" in error.group(1)
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_a_link_for_a_forbidden_endorser_is_refused(world, three_steps, coordinator, client_for):
    """A chain naming the coordinator at every step (as today's main allows): following the
    links endorses nothing, creates no account and invites nobody."""
    nominee = PersonFactory(organization=world.city_a, first_name="Nia", last_name="Nominee")
    nomination = NominationFactory(
        cycle=world.cycle,
        person=nominee,
        nominated_by=coordinator,
        status=NominationStatus.AWAITING_ENDORSEMENT,
    )
    chain = _legacy_chain(nomination, [EndorserKind.ORGANIZATION] * 3, [coordinator] * 3)
    client = client_for(coordinator)
    url = reverse("nominations:endorse", args=[chain[0].token])
    page = client.get(url).content.decode()
    assert 'data-testid="endorsement-refused"' in page and "Record my decision" not in page
    assert "You cannot sign this step" in page
    client.post(url, {"decision": "endorse"})
    with pytest.raises(ActionRefused, match="Whoever nominates cannot also endorse"):
        services.endorse(chain[0], actor=coordinator)
    with pytest.raises(ActionRefused, match="You cannot sign this step"):
        services.decline(chain[0], actor=coordinator, reason="No")
    nomination.refresh_from_db()
    nominee.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_ENDORSEMENT
    assert set(nomination.endorsements.values_list("decision", flat=True)) == {"pending"}
    assert nominee.user_id is None and not mail.outbox


@pytest.mark.django_db
def test_a_second_account_under_ones_own_address_is_the_same_person(world, chain, nominee):
    second = UserFactory(username="head-again", email="HEAD@example.org")
    PersonFactory(organization=world.city_a, user=second)
    with pytest.raises(ActionRefused, match="one person signs one step"):
        services.nominate(
            nominee, world.cycle, actor=world.users["coord_a"], endorsers=[chain["head"], second]
        )


@pytest.mark.django_db
def test_endorsers_are_people_of_the_nominees_organisation(world, chain, nominee):
    outsider = UserFactory(username="consultant")  # no profile at all
    with pytest.raises(ActionRefused, match="no profile in City of Alpha"):
        services.nominate(
            nominee,
            world.cycle,
            actor=world.users["coord_a"],
            endorsers=[chain["supervisor"], outsider],
        )
    with pytest.raises(ActionRefused, match="no profile in City of Alpha"):
        services.nominate(
            nominee,
            world.cycle,
            actor=world.users["coord_a"],
            endorsers=[chain["supervisor"], chain["head_b"]],  # City B's
        )


@pytest.mark.django_db
def test_supervisor_and_manager_steps_follow_the_reporting_line(world, chain, nominee):
    supervisor, head = chain["supervisor"], chain["head"]
    first, second = chain["steps"]
    first.kind, second.kind = EndorserKind.SUPERVISOR, EndorserKind.MANAGER
    first.save()
    second.save()
    coordinator = world.users["coord_a"]

    def nominate(*endorsers):
        return services.nominate(nominee, world.cycle, actor=coordinator, endorsers=endorsers)

    with pytest.raises(ActionRefused, match="profile names none"):
        nominate(supervisor, head)
    nominee.supervisor = supervisor.person
    nominee.save()
    with pytest.raises(ActionRefused, match="manager above the nominee’s supervisor"):
        nominate(supervisor, head)  # the head is not above the supervisor (yet)
    with pytest.raises(ActionRefused, match="signed by the nominee’s supervisor, Sam Super"):
        nominate(head, supervisor)
    supervisor.person.supervisor = head.person
    supervisor.person.save()
    nomination = nominate(supervisor, head)
    for endorsement in nomination.endorsements.order_by("order"):
        assert (
            endorsement.kind
            == (EndorserKind.SUPERVISOR, EndorserKind.MANAGER)[endorsement.order - 1]
        )
    # The nominee's supervisor changes before they sign: the old one may no longer.
    nominee.supervisor = head.person
    nominee.save()
    with pytest.raises(ActionRefused, match="signed by the nominee’s supervisor, Hana Head"):
        services.endorse(nomination.endorsements.get(order=1), actor=supervisor)


# -- the property --------------------------------------------------------------------------

KINDS = st.sampled_from([EndorserKind.SUPERVISOR, EndorserKind.MANAGER, EndorserKind.ORGANIZATION])
POOL = 5  # people who might be named
# candidates for a step: 0..4 the pool's accounts, 5 the nominee, 6 the nominator, 7 a second
# account with pool person 0's e-mail, 8 an account without a profile
CANDIDATES = st.integers(0, 8)


class EndorsementRuleProperty(TestCase):
    """For random chains, endorsers, nominators and reporting lines: naming succeeds, and a
    chain already written signs through to "endorsed", exactly when the rule holds."""

    @settings(max_examples=60, deadline=None)
    @given(
        pool_in_home=st.lists(
            st.sampled_from([True, True, True, False]), min_size=POOL, max_size=POOL
        ),
        pool_supervisors=st.lists(
            st.none() | st.integers(0, POOL - 1), min_size=POOL, max_size=POOL
        ),
        nominee_supervisor=st.none() | st.integers(0, POOL - 1),
        nominee_has_account=st.booleans(),
        nominator_is=st.none() | st.integers(0, POOL - 1),
        # (kind, aim at someone who fits the step, candidate)
        chain=st.lists(st.tuples(KINDS, st.booleans(), CANDIDATES), min_size=1, max_size=3),
    )
    def test_signing_succeeds_iff_the_rule_holds(
        self,
        pool_in_home,
        pool_supervisors,
        nominee_supervisor,
        nominee_has_account,
        nominator_is,
        chain,
    ):
        home, other = OrganizationFactory(), OrganizationFactory()
        program = ProgramFactory(organizations=[home, other])
        first_cycle = CycleFactory(program=program, state="nominations")
        second_cycle = CycleFactory(program=program, state="nominations")
        pool = [
            PersonFactory(organization=home if in_home else other, user=UserFactory())
            for in_home in pool_in_home
        ]
        for person, boss in zip(pool, pool_supervisors, strict=True):
            person.supervisor = None if boss is None else pool[boss]
            person.save()
        nominee = PersonFactory(
            organization=home,
            user=UserFactory() if nominee_has_account else None,
            supervisor=None if nominee_supervisor is None else pool[nominee_supervisor],
        )
        nominator = UserFactory() if nominator_is is None else pool[nominator_is].user
        grant(nominator, "coordinator", organization=home)
        alias = UserFactory(email=pool[0].user.email.upper())
        stranger = UserFactory()
        for order, (kind, _aim, _who) in enumerate(chain, start=1):
            EndorsementStepFactory(program=program, order=order, kind=kind)

        # who each candidate is (a label: same label, same person) and their profile
        def candidate(index):
            if index < POOL:
                return pool[index].user, f"p{index}", pool[index]
            if index == 5:
                return nominee.user, "nominee", nominee
            if index == 6:
                label = "coordinator" if nominator_is is None else f"p{nominator_is}"
                return nominator, label, None if nominator_is is None else pool[nominator_is]
            if index == 7:
                return alias, "p0", None
            return stranger, "stranger", None

        managers, seen = [], {nominee.pk}
        boss = nominee.supervisor
        if boss is not None:
            seen.add(boss.pk)
            above = boss.supervisor
            while above is not None and above.pk not in seen:
                managers.append(above.pk)
                seen.add(above.pk)
                above = above.supervisor

        def fits(kind, person) -> bool:
            if person is None or person.organization_id != home.pk:
                return False
            if kind == EndorserKind.SUPERVISOR:
                return nominee.supervisor_id == person.pk
            if kind == EndorserKind.MANAGER:
                return person.pk in managers
            return True

        # Random picks rarely make a valid chain: when told to, aim at a pool person who fits
        # the step and is not named yet.
        picks = []
        for kind, aim, index in chain:
            fitting = [i for i in range(POOL) if fits(kind, pool[i]) and i not in picks]
            picks.append(fitting[index % len(fitting)] if aim and fitting else index)
        named = [candidate(index) for index in picks]
        nominator_label = candidate(6)[1]
        labels = [label for _user, label, _person in named]
        rule_holds = all(
            user is not None
            and fits(kind, person)
            and label not in ("nominee", nominator_label)
            and labels.count(label) == 1
            for (kind, _aim, _index), (user, label, person) in zip(chain, named, strict=True)
        )
        endorsers = [user for user, _label, _person in named]
        event(f"rule holds: {rule_holds}")

        # 1. Naming the endorsers.
        try:
            services.nominate(nominee, first_cycle, actor=nominator, endorsers=endorsers)
        except ActionRefused:
            named_ok = False
        else:
            named_ok = True
        assert named_ok == rule_holds

        # 2. Signing a chain written without the check (every candidate has an account
        # except a nominee without one, who cannot be named; skip that case).
        if any(user is None for user in endorsers):
            return
        nomination = NominationFactory(
            cycle=second_cycle,
            person=nominee,
            nominated_by=nominator,
            status=NominationStatus.AWAITING_ENDORSEMENT,
        )
        for endorsement in _legacy_chain(nomination, [k for k, _a, _i in chain], endorsers):
            try:
                services.endorse(endorsement, actor=endorsement.endorser)
            except ActionRefused:
                break
        nomination.refresh_from_db()
        assert (nomination.status == NominationStatus.ENDORSED) == rule_holds
        if not rule_holds:
            assert nomination.endorsements.filter(decision=EndorsementDecision.PENDING).exists()


def test_an_endorsements_history_never_holds_its_token():
    """The token signs in as the endorser: history rows (readable by auditors, exported)
    must not carry it (issue 16, finding 11)."""
    from talent_exchange.nominations.models import Endorsement

    historical = {f.name for f in Endorsement.history.model._meta.get_fields()}
    assert "token" not in historical
    assert {"decision", "endorser", "nomination"} <= historical
