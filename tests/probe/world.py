"""A world with an object of every kind on both sides of every role's scope, for the probes.

It extends the ``world`` fixture (conftest.py): the world's program gets a full exchange —
opportunities, nominations with endorsements and conflicts, an import, rankings, a panel
with scores, a match run with offers and constraints, placements with agreements,
signatures, objectives, check-ins, evaluations and outcomes — in both directions between
City A and City B, and a second program the world's roles hold nothing in gets the same.
So for every kind and every role there is a row in scope and a row out of scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Model

from talent_exchange.interviews.models import Panel, PanelAssignment, RubricCriterion, Score
from talent_exchange.matches.models import MatchRun, Offer, PairConstraint, WeightFormula
from talent_exchange.nominations.models import (
    ConflictOfInterest,
    Endorsement,
    EndorsementStep,
    Nomination,
    NominationImport,
)
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.placements.models import (
    AgreementTemplate,
    CheckIn,
    Evaluation,
    Objective,
    Outcome,
    Signature,
)
from talent_exchange.placements.services import start_placement
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.programs.models import ProgramInvitation
from tests.factories import (
    CycleFactory,
    MobilityRecordFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    grant,
)

START = datetime.date(2027, 3, 1)


@dataclass
class ProbeWorld:
    world: object
    users: dict
    other_program: object
    other_cycle: object
    placements: list = field(default_factory=list)

    def rows(self, model: type[Model]) -> list[Model]:
        return list(model._default_manager.order_by("pk"))


def _exchange(cycle, pairs, *, actor, panelists, supervisor_user=None) -> list:
    """Nominate each (person, host organisation) pair into ``cycle`` and carry it through to
    a placement, leaving a row of every kind on the way."""
    program = cycle.program
    step = EndorsementStep.objects.create(program=program, order=1, title="Supervisor")
    criterion = RubricCriterion.objects.create(program=program, name="Leadership", max_score=5)
    AgreementTemplate.objects.create(
        program=program,
        return_rights_text="Return to the same post.",
        re_entry_text="A re-entry meeting.",
        appraisal_text="Home appraises.",
        awards_text="Home awards.",
        conflict_text="No conflicts.",
    )
    WeightFormula.objects.create(cycle=cycle)
    NominationImport.objects.create(
        cycle=cycle, uploaded_by=actor, filename="nominations.csv", content=b"email\n"
    )
    panel = Panel.objects.create(cycle=cycle, name=f"Panel of {cycle}")
    panel.members.add(*panelists)
    run = MatchRun.objects.create(
        cycle=cycle, mode="stable", status="succeeded", progress=100, started_by=actor
    )
    made = []
    for person, host in pairs:
        coach = PersonFactory(organization=host, first_name="Coach", last_name=host.name)
        opportunity = Opportunity.objects.create(
            cycle=cycle,
            host_organization=host,
            title=f"Assignment at {host.name}",
            description="A stretch assignment.",
            duration_months=3,
            start_earliest=START,
            start_latest=START,
            coach=coach,
            status="approved",
            posted_by=actor,
        )
        nomination = Nomination.objects.create(
            cycle=cycle,
            person=person,
            home_organization=person.organization,
            status="endorsed",
            nominated_by=actor,
        )
        Endorsement.objects.create(
            nomination=nomination,
            order=step.order,
            title=step.title,
            endorser=supervisor_user or actor,
        )
        ConflictOfInterest.objects.create(
            nomination=nomination, organization=program.administering_organization, reason="Kin"
        )
        ParticipantRanking.objects.create(nomination=nomination, opportunity=opportunity, rank=1)
        HostRanking.objects.create(opportunity=opportunity, nomination=nomination, rank=1)
        assignment = PanelAssignment.objects.create(panel=panel, nomination=nomination)
        for panelist in panelists:
            Score.objects.create(
                assignment=assignment, panelist=panelist, criterion=criterion, score=3
            )
        PairConstraint.objects.create(
            cycle=cycle,
            nomination=nomination,
            opportunity=opportunity,
            rule="lock",
            created_by=actor,
        )
        offer = Offer.objects.create(
            run=run,
            nomination=nomination,
            opportunity=opportunity,
            status="accepted",
            respond_by=START,
        )
        placement = start_placement(offer, actor)
        Signature.objects.create(
            agreement=placement.agreement,
            version=placement.agreement.version,
            party="home",
            signed_by=actor,
            signer_name=actor.get_full_name() or actor.username,
            ip_address="192.0.2.1",
        )
        Objective.objects.create(
            placement=placement,
            description="Ship the budget",
            indicators="Adopted",
            written_by=actor,
        )
        CheckIn.objects.create(placement=placement, due_on=START + datetime.timedelta(days=30))
        Evaluation.objects.create(
            placement=placement, stage="final", respondent="participant", due_on=START
        )
        Outcome.objects.create(placement=placement, months_after=6, due_on=START)
        MobilityRecordFactory(person=person)
        made.append(placement)
    return made


def build_probe_world(world) -> ProbeWorld:
    users = dict(world.users)
    supervisor = users["supervisor"]
    placements = _exchange(
        world.cycle,
        [(world.person_a, world.city_b), (world.person_b, world.city_a)],
        actor=users["admin"],
        panelists=[users["panelist"]],
        supervisor_user=supervisor,
    )
    # The second program: its own administrator, board, panelist and organisations; none of
    # the world's roles hold anything in it (the auditor sees it all).
    epsilon = OrganizationFactory(name="Epsilon City")
    other_program = ProgramFactory(
        name="Other Exchange",
        administering_organization=OrganizationFactory(name="Zeta Region"),
        organizations=[world.outsider_org, epsilon],
    )
    other_cycle = CycleFactory(program=other_program, name="2028")
    other_users = {
        name: UserFactory(username=name)
        for name in ("other_admin", "other_panelist", "other_board")
    }
    grant(other_users["other_admin"], "program_admin", program=other_program)
    grant(other_users["other_board"], "board_reviewer", program=other_program)
    grant(other_users["other_panelist"], "panelist", cycle=other_cycle)
    placements += _exchange(
        other_cycle,
        [(world.outsider, epsilon), (PersonFactory(organization=epsilon), world.outsider_org)],
        actor=other_users["other_admin"],
        panelists=[other_users["other_panelist"]],
    )
    # Invitations to join: the world's program asks the outsider; the other program asks
    # City A (so City A's coordinator has one to answer, and one of another program's).
    ProgramInvitation.objects.create(
        program=world.program, organization=world.outsider_org, invited_by=users["admin"]
    )
    ProgramInvitation.objects.create(
        program=other_program, organization=world.city_a, invited_by=other_users["other_admin"]
    )
    ProgramInvitation.objects.create(
        program=other_program,
        organization=OrganizationFactory(name="Eta Agency"),
        invited_by=other_users["other_admin"],
    )
    users |= other_users
    _learning(world.program, world.cycle, users["admin"], world.person_a)
    _learning(other_program, other_cycle, other_users["other_admin"], world.outsider)
    return ProbeWorld(world, users, other_program, other_cycle, placements)


def _learning(program, cycle, admin, person) -> None:
    """A session with its guest, a circle, a thread with a post and a link on each."""
    from talent_exchange.learning.models import Invitation, Material
    from talent_exchange.learning.tests.factories import (
        CircleFactory,
        PostFactory,
        SessionFactory,
        ThreadFactory,
    )

    session = SessionFactory(program=program, cycle=cycle, organiser=admin)
    Invitation.objects.create(session=session, person=person)
    CircleFactory(program=program, cycle=cycle).members.set([person])
    thread = ThreadFactory(program=program, cycle=cycle, author=admin)
    PostFactory(thread=thread)
    for owner in ({"session": session}, {"thread": thread}):
        Material.objects.create(
            title="Slides", url="https://example.org/s", added_by=admin, **owner
        )


def our_models() -> list[type[Model]]:
    """Every model of ours, history tables included (for the "nothing changed" check)."""
    return [m for m in apps.get_models() if m.__module__.startswith("talent_exchange.")]


def fingerprint() -> tuple[int, ...]:
    """Row counts of every model of ours (history included, so a changed row counts too): a
    refused request must leave them all unchanged. One query, so it can be asked often."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in our_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)  # noqa: S608
        )
        return tuple(cursor.fetchone())
