"""The demo data: idempotent, deterministic, complete enough to try every role."""

from __future__ import annotations

import importlib.util
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.roles import roles_of
from talent_exchange.interviews.models import Panel, PanelAssignment, Score
from talent_exchange.interviews.scoring import interview_scores
from talent_exchange.matches.market import build_market, default_tolerance
from talent_exchange.matches.services import publish_run, start_run
from talent_exchange.matching.engine import solve
from talent_exchange.nominations.models import ConflictOfInterest, Endorsement, Nomination
from talent_exchange.nonprod import demo_data
from talent_exchange.nonprod.personas import DEMO_PASSWORD, PERSONA_USERNAMES
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.organizations.models import Kind
from talent_exchange.people.models import MobilityRecord, Person
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.programs.models import Cycle, CycleTransition, Program, Reciprocity
from talent_exchange.programs.services import move_cycle
from tests.demo import DEMO_TODAY

pytestmark = pytest.mark.django_db

TODAY = DEMO_TODAY  # the day the session's demo (`seeded_demo`) is seeded on


SEEDED_APPS = {
    "accounts",
    "organizations",
    "people",
    "programs",
    "opportunities",
    "nominations",
    "preferences",
    "interviews",
    "matches",
    "placements",
}


def row_counts() -> dict[str, int]:
    """Rows of every model of ours, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in SEEDED_APPS
    }


def test_seeding_twice_creates_nothing_new(seeded_demo):
    first = seeded_demo  # the session's demo, seeded on an empty database
    before = row_counts()
    second = demo_data.seed(today=TODAY)

    assert first.created_total > 0
    assert second.created_total == 0
    # No duplicates, and no history rows either: an unchanged row is not saved again.
    assert row_counts() == before


PERSON_FIELDS = (
    "work_email",
    "education",
    "career_goals",
    "would_take_1",
    "would_take_2",
    "would_take_3",
)


def snapshot() -> dict[str, list]:
    """The generated content, by natural keys (no primary keys, no random tokens)."""
    return {
        "people": sorted(Person.objects.values_list(*PERSON_FIELDS)),
        "skills": sorted(
            Person.skills.through.objects.values_list("person__work_email", "skill__name")
        ),
        "opportunities": sorted(
            Opportunity.objects.values_list(
                "cycle__name", "host_organization__name", "title", "coach__work_email", "capacity"
            )
        ),
        "rankings": sorted(
            ParticipantRanking.objects.values_list(
                "nomination__person__work_email", "rank", "opportunity__title"
            )
        ),
        "host rankings": sorted(
            HostRanking.objects.values_list(
                "opportunity__title", "rank", "nomination__person__work_email"
            )
        ),
        "interviews": sorted(
            PanelAssignment.objects.values_list(
                "panel__name", "nomination__person__work_email", "starts_at"
            )
        ),
        "scores": sorted(
            Score.objects.values_list(
                "assignment__nomination__person__work_email",
                "panelist__username",
                "criterion__name",
                "score",
                "notes",
            )
        ),
        "endorsements": sorted(
            Endorsement.objects.values_list(
                "nomination__person__work_email", "order", "endorser__username", "decision"
            )
        ),
    }


class _Undo(Exception):
    pass


def test_seeding_is_deterministic():
    try:
        with transaction.atomic():  # a savepoint: rolling it back empties the tables again
            demo_data.seed(today=TODAY)
            first = snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not Person.objects.exists()
    demo_data.seed(today=TODAY)
    assert snapshot() == first


def test_the_consortium_has_twelve_agencies_and_forty_full_profiles(seeded_demo):
    program = Program.objects.get(name=demo_data.CONSORTIUM_PROGRAM)
    orgs = list(program.participating_organizations.all())
    people = Person.objects.filter(organization__in=orgs).prefetch_related("skills")

    assert len(orgs) == 12
    assert {o.kind for o in orgs} == {Kind.CITY, Kind.COUNTY, Kind.SPECIAL_DISTRICT}
    assert program.administering_organization.parent.kind == Kind.COUNTY
    assert (program.min_assignment_months, program.max_assignment_months) == (3, 3)
    assert (program.reciprocity, program.tolerance_for_engine) == (Reciprocity.BALANCED, 1)
    assert people.count() == 43
    for person in people:
        assert person.position_title and person.classification, person
        assert person.education and person.languages and person.career_goals, person
        assert len(person.assignments_i_would_take) == 3, person
        assert person.years_of_service > 0, person
        kinds = [s.kind for s in person.skills.all()]
        assert kinds.count("skill") >= 4 and kinds.count("competency") >= 2, person
    assert people.filter(supervisor__isnull=False).count() >= 15
    assert MobilityRecord.objects.filter(person__in=people).count() >= 20
    titles = set(people.values_list("position_title", flat=True))
    assert {
        "Recreation Supervisor",
        "Police Sergeant",
        "Project Engineer",
        "Deputy Fire Chief",
    } <= titles


def test_the_ministry_program_has_six_ministries_and_twelve_executives(seeded_demo):
    program = Program.objects.get(name=demo_data.ALBERTA_PROGRAM)
    ministries = program.participating_organizations.all()

    assert ministries.count() == 6
    assert set(ministries.values_list("kind", flat=True)) == {Kind.MINISTRY}
    assert (program.min_assignment_months, program.max_assignment_months) == (12, 18)
    assert program.tolerance_for_engine is None
    assert Person.objects.filter(organization__in=ministries).count() == 12


def test_cycles_are_in_progress_with_their_history_recorded(seeded_demo):
    current = Cycle.objects.get(name=demo_data.CURRENT_CONSORTIUM_CYCLE)
    admin = User.objects.get(username="admin")

    assert current.state == "preferences"
    assert list(current.transitions.values_list("to_state", flat=True)) == [
        "nominations",
        "opportunities",
        "preferences",
    ]
    assert set(current.transitions.values_list("actor", flat=True)) == {admin.pk}
    preferences = current.phases.get(phase="preferences")
    assert preferences.opens_on <= TODAY <= preferences.closes_on
    assert Cycle.objects.get(name="2026 Spring Exchange").state == "closed"
    assert Cycle.objects.get(name="2027 Intake").state == "nominations"
    assert CycleTransition.objects.count() == 3 + 7 + 1


def test_a_cycle_moved_on_by_a_tester_is_left_where_it_is(seeded_demo):
    cycle = Cycle.objects.get(name="2027 Intake")

    move_cycle(cycle, "opportunities", actor=User.objects.get(username="alberta"))
    demo_data.seed(today=TODAY)
    cycle.refresh_from_db()
    assert cycle.state == "opportunities"


EXPECTED_GRANTS = {
    "admin": (Role.PROGRAM_ADMIN, "program", demo_data.CONSORTIUM_PROGRAM),
    "alberta": (Role.PROGRAM_ADMIN, "program", demo_data.ALBERTA_PROGRAM),
    "coordinator": (Role.COORDINATOR, "organization", "City of Mariposa Bay"),
    "coordinator2": (Role.COORDINATOR, "organization", "City of Cedar Hollow"),
    "supervisor": (Role.SUPERVISOR, "organization", "City of Mariposa Bay"),
    "participant": (Role.PARTICIPANT, None, None),
    "panelist": (Role.PANELIST, "cycle", demo_data.CURRENT_CONSORTIUM_CYCLE),
    "board": (Role.BOARD_REVIEWER, "program", demo_data.ALBERTA_PROGRAM),
    "auditor": (Role.AUDITOR, None, None),
}


def test_every_demo_role_has_its_own_account_and_grant(seeded_demo):
    assert set(EXPECTED_GRANTS) == PERSONA_USERNAMES
    for username, (role, scope, scope_name) in EXPECTED_GRANTS.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name and not user.is_superuser
        grants = list(RoleGrant.objects.for_user(user))
        assert [g.role for g in grants] == [role], username
        if scope:
            assert getattr(grants[0], scope).name == scope_name
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="auditor").is_staff


def test_supervisor_and_participant_are_people_in_the_same_city(seeded_demo):
    supervisor = Person.objects.get(user__username="supervisor")
    participant = Person.objects.get(user__username="participant")

    assert participant.supervisor == supervisor
    assert supervisor.reports.count() >= 2
    assert supervisor.organization.name == participant.organization.name == "City of Mariposa Bay"
    assert roles_of(participant.user).is_participant


def test_coordinators_see_only_their_own_city(seeded_demo):
    first = Person.objects.visible_to(User.objects.get(username="coordinator"))
    second = Person.objects.visible_to(User.objects.get(username="coordinator2"))

    assert set(first.values_list("organization__name", flat=True)) == {"City of Mariposa Bay"}
    assert set(second.values_list("organization__name", flat=True)) == {"City of Cedar Hollow"}


def test_the_command_prints_the_demo_logins(seeded_demo):
    """Run again on a later day, as a tester does: the logins are printed every time."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in PERSONA_USERNAMES:
        assert f"  {username} " in text


def test_the_command_refuses_to_run_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


# -- the current exchange cycle, ready to match ---------------------------------------------------

SEED_003_PAIRS = [
    ("Recreation Supervisor", "Assistant to the City Manager"),
    ("Public Communications Manager", "Management Assistant to Finance Director"),
    ("Senior Financial Analyst", "Planning Specialist"),
    ("Youth Activity Supervisor", "Senior Financial Analyst"),
    ("Management Analyst", "Recreation Supervisor"),
    ("Project Engineer", "Project Manager"),
    ("Police Sergeant", "Assistant to the City Manager"),
    ("Planning Administrator", "Economic Vitality Coordinator"),
    ("Administrative Assistant", "Human Resources Representative"),
    ("Inspector", "Human Resources Coordinator"),
    ("Deputy Fire Chief", "Budget Analyst"),
]


@pytest.fixture
def current(seeded_demo):
    return Cycle.objects.get(name=demo_data.CURRENT_CONSORTIUM_CYCLE)


def test_the_current_cycle_has_about_fifteen_approved_assignments(current):
    opportunities = (
        Opportunity.objects.filter(cycle=current)
        .select_related("coach", "host_organization")
        .prefetch_related("skills_required", "skills_developed")
    )
    assert 15 <= len(opportunities) <= 18
    assert {o.status for o in opportunities} == {"approved"}
    participating = set(current.program.participating_organizations.values_list("pk", flat=True))
    hosts = {o.host_organization_id for o in opportunities}
    assert hosts == participating  # every one of the twelve agencies hosts
    for opportunity in opportunities:
        opportunity.full_clean()  # the model's own rules: duration, coach of the host, window
        assert opportunity.coach.organization_id == opportunity.host_organization_id
        assert 1 <= opportunity.capacity <= 2
        assert opportunity.duration_months == 3
        assert date(2027, 1, 1) <= opportunity.start_earliest <= opportunity.start_latest
        assert opportunity.start_latest <= date(2027, 4, 1)
        for skill in [*opportunity.skills_required.all(), *opportunity.skills_developed.all()]:
            assert skill.is_vocabulary, skill
        assert opportunity.skills_required.exists() and opportunity.skills_developed.exists()
        assert list(opportunity.transitions.values_list("to_status", flat=True)) == [
            "submitted",
            "approved",
        ]


@pytest.mark.parametrize(("home", "assignment"), SEED_003_PAIRS)
def test_every_pair_of_seed_003_is_there_and_ranked_first(current, home, assignment):
    opportunity = Opportunity.objects.get(cycle=current, title=assignment)
    firsts = ParticipantRanking.objects.filter(opportunity=opportunity, rank=1).select_related(
        "nomination__person"
    )
    nominees = [
        r.nomination.person
        for r in firsts
        if r.nomination.person.position_title == home
        or (home == "Inspector" and r.nomination.person.position_title.endswith("Inspector"))
    ]
    assert nominees, f"no {home} ranks {assignment} first"
    for person in nominees:
        assert person.organization_id != opportunity.host_organization_id


def test_nominations_are_endorsed_through_the_programs_chain(current):
    steps = list(current.program.endorsement_steps.order_by("order").values_list("order", "title"))
    assert steps == [(1, "Supervisor"), (2, "Department head"), (3, "City manager")]
    nominations = Nomination.objects.filter(cycle=current).prefetch_related("endorsements")
    assert 15 <= len(nominations) <= 20
    for nomination in nominations:
        assert nomination.status == "endorsed"
        endorsements = list(nomination.endorsements.order_by("order"))
        assert [(e.order, e.title) for e in endorsements] == steps
        assert {e.decision for e in endorsements} == {"endorsed"}
        assert all(e.decided_at for e in endorsements)
        assert len({e.endorser_id for e in endorsements}) == 3
    supervisor = User.objects.get(username="supervisor")
    signed = Endorsement.objects.filter(endorser=supervisor, order=1)
    assert signed.count() >= 2  # the demo supervisor endorsed his reports
    assert ConflictOfInterest.objects.filter(nomination__cycle=current).count() >= 2


def test_every_nominee_ranks_three_to_six_and_the_participant_is_one_of_them(current):
    nominations = Nomination.objects.filter(cycle=current)
    for nomination in nominations:
        ranking = list(nomination.rankings.order_by("rank"))
        assert 3 <= len(ranking) <= 6, nomination
        assert [r.rank for r in ranking] == list(range(1, len(ranking) + 1))
        assert all(
            r.opportunity.host_organization_id != nomination.home_organization_id for r in ranking
        )
    participant = Person.objects.get(user__username="participant")
    assert nominations.get(person=participant).rankings.count() >= 3
    ranked_by_hosts = (
        Opportunity.objects.filter(cycle=current, host_rankings__isnull=False).distinct().count()
    )
    assert ranked_by_hosts >= 12


def test_interviews_panels_and_scores(current):
    assert current.program.rubric.count() == 4
    panels = list(Panel.objects.filter(cycle=current).prefetch_related("members"))
    assert len(panels) == 2
    panelist = User.objects.get(username="panelist")
    assert [panelist in p.members.all() for p in panels].count(True) == 1
    assignments = PanelAssignment.objects.filter(panel__cycle=current)
    nominations = Nomination.objects.filter(cycle=current)
    assert sorted(assignments.values_list("nomination_id", flat=True)) == sorted(
        nominations.values_list("pk", flat=True)
    )
    assert not assignments.filter(starts_at__isnull=True).exists()
    # panelists score only their own panel's candidates
    for score in Score.objects.filter(assignment__panel__cycle=current).select_related(
        "assignment__panel"
    ):
        assert score.assignment.panel.members.filter(pk=score.panelist_id).exists()
    scored = interview_scores(current)
    assert len(scored) >= len(nominations) - 3
    assert all(0 <= value <= 100 for value in scored.values())


def test_the_exchange_was_built_as_the_product_allows(current):
    """Issue 9, item 8: the demo is seeded through the services, as the right people: each
    assignment submitted by a coordinator of its host and approved by the administrator, every
    panel member a panelist of the cycle, every score by a member of the candidate's panel,
    every interview announced, and every grant but the bootstrap ones given by someone who
    answers for its scope, with a reason."""
    from talent_exchange.accounts.rules import may_grant_role
    from talent_exchange.interviews.services import eligible_panelists
    from talent_exchange.notifications.models import Notification
    from talent_exchange.opportunities.models import OpportunityTransition

    admin = User.objects.get(username="admin")
    moves = OpportunityTransition.objects.filter(opportunity__cycle=current).select_related(
        "opportunity", "actor"
    )
    assert moves.count() == 2 * Opportunity.objects.filter(cycle=current).count()
    for move in moves:
        if move.to_status == "submitted":
            host = move.opportunity.host_organization_id
            assert host in roles_of(move.actor).coordinator_org_ids, move.opportunity
        else:
            assert move.actor == admin
    assert set(Opportunity.objects.filter(cycle=current).values_list("posted_by", flat=True)) == {
        m.actor_id for m in moves if m.to_status == "submitted"
    }
    panelists = set(eligible_panelists(current))
    for panel in Panel.objects.filter(cycle=current).prefetch_related("members"):
        assert set(panel.members.all()) <= panelists, panel
    for score in Score.objects.filter(assignment__panel__cycle=current).select_related(
        "assignment__panel", "panelist"
    ):
        assert score.assignment.panel.members.filter(pk=score.panelist_id).exists()
    # one invitation per interview (a second language's copy is keyed "<key>#<language>")
    invited = Notification.objects.filter(template="interviews/invitation").exclude(
        key__contains="#"
    )
    assert invited.count() == PanelAssignment.objects.filter(panel__cycle=current).count()
    for grant in RoleGrant.objects.select_related("granted_by", "cycle"):
        if grant.role in demo_data.BOOTSTRAP_GRANTS:
            continue
        assert grant.granted_by is not None and grant.reason, grant
        probe = RoleGrant(
            role=grant.role,
            program=grant.program,
            organization=grant.organization,
            cycle=grant.cycle,
        )
        assert may_grant_role(grant.granted_by, probe), grant


@pytest.mark.parametrize("mode", ["stable", "optimal"])
def test_the_engine_matches_the_demo_cycle(current, mode):
    market = build_market(current)
    result = solve(market, mode)
    assert result["status"] == mode, result["problems"]
    assert len(result["assignments"]) >= 12
    assert result["metrics"]["unmatched"] <= 6


def test_the_placements_demo_is_seeded_when_that_app_has_one(seeded_demo):
    out = StringIO()
    demo_data.seed(out, today=TODAY)
    if importlib.util.find_spec("talent_exchange.placements.demo") is None:
        pytest.skip("no placements demo yet")
    assert "Demo placements" in out.getvalue()


def test_the_administrator_can_run_compare_and_publish_at_once(current):
    """What `make demo` promises: runs through the real services (the task runs inline in
    tests), both modes succeed with the program's reciprocity rule, and publishing one
    creates an offer for every pair."""
    admin = User.objects.get(username="admin")
    tolerance = default_tolerance(current)
    move_cycle(current, "interviews", actor=admin)
    current = move_cycle(current, "matching", actor=admin)  # runs start in the matching phase
    runs = [
        start_run(current, actor=admin, mode=mode, balance_tolerance=tolerance)
        for mode in ("stable", "optimal")
    ]
    for run in runs:
        run.refresh_from_db()
        assert run.status == "succeeded", run.error
        assert len(run.result["assignments"]) >= 12
    publish_run(runs[0], actor=admin)  # the task (run at once in tests) makes the offers
    offers = list(runs[0].offers.select_related("nomination__person"))
    assert len(offers) == len(runs[0].result["assignments"])
    # the demo participant has an offer to answer (the cycle is set up so they are matched)
    participant = Person.objects.get(user__username="participant")
    assert [o.nomination.person for o in offers].count(participant) == 1
