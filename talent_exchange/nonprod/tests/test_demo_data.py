"""The demo data: idempotent, deterministic, complete enough to try every role."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.roles import roles_of
from talent_exchange.nonprod import demo_data
from talent_exchange.nonprod.personas import DEMO_PASSWORD, PERSONA_USERNAMES
from talent_exchange.organizations.models import Kind
from talent_exchange.people.models import MobilityRecord, Person
from talent_exchange.programs.models import Cycle, CycleTransition, Program, Reciprocity

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)


def row_counts() -> dict[str, int]:
    """Rows of every model of ours, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "organizations", "people", "programs"}
    }


def test_seeding_twice_creates_nothing_new():
    first = demo_data.seed(today=TODAY)
    before = row_counts()
    second = demo_data.seed(today=TODAY)

    assert first.created_total > 0
    assert second.created_total == 0
    # No duplicates, and no history rows either: an unchanged row is not saved again.
    assert row_counts() == before


def test_seeding_is_deterministic():
    demo_data.seed(today=TODAY)
    snapshot = sorted(
        Person.objects.values_list(
            "work_email",
            "education",
            "career_goals",
            "would_take_1",
            "would_take_2",
            "would_take_3",
        )
    )
    skills = sorted(Person.skills.through.objects.values_list("person__work_email", "skill__name"))
    Person.objects.all().delete()
    demo_data.seed(today=TODAY)
    assert snapshot == sorted(
        Person.objects.values_list(
            "work_email",
            "education",
            "career_goals",
            "would_take_1",
            "would_take_2",
            "would_take_3",
        )
    )
    assert skills == sorted(
        Person.skills.through.objects.values_list("person__work_email", "skill__name")
    )


def test_the_consortium_has_twelve_agencies_and_forty_full_profiles():
    demo_data.seed(today=TODAY)
    program = Program.objects.get(name=demo_data.CONSORTIUM_PROGRAM)
    orgs = list(program.participating_organizations.all())
    people = Person.objects.filter(organization__in=orgs).prefetch_related("skills")

    assert len(orgs) == 12
    assert {o.kind for o in orgs} == {Kind.CITY, Kind.COUNTY, Kind.SPECIAL_DISTRICT}
    assert program.administering_organization.parent.kind == Kind.COUNTY
    assert (program.min_assignment_months, program.max_assignment_months) == (3, 3)
    assert (program.reciprocity, program.tolerance_for_engine) == (Reciprocity.BALANCED, 1)
    assert people.count() == 40
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


def test_the_ministry_program_has_six_ministries_and_twelve_executives():
    demo_data.seed(today=TODAY)
    program = Program.objects.get(name=demo_data.ALBERTA_PROGRAM)
    ministries = program.participating_organizations.all()

    assert ministries.count() == 6
    assert set(ministries.values_list("kind", flat=True)) == {Kind.MINISTRY}
    assert (program.min_assignment_months, program.max_assignment_months) == (12, 18)
    assert program.tolerance_for_engine is None
    assert Person.objects.filter(organization__in=ministries).count() == 12


def test_cycles_are_in_progress_with_their_history_recorded():
    demo_data.seed(today=TODAY)
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


def test_a_cycle_moved_on_by_a_tester_is_left_where_it_is():
    demo_data.seed(today=TODAY)
    cycle = Cycle.objects.get(name="2027 Intake")
    from talent_exchange.programs.services import move_cycle

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


def test_every_demo_role_has_its_own_account_and_grant():
    demo_data.seed(today=TODAY)
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


def test_supervisor_and_participant_are_people_in_the_same_city():
    demo_data.seed(today=TODAY)
    supervisor = Person.objects.get(user__username="supervisor")
    participant = Person.objects.get(user__username="participant")

    assert participant.supervisor == supervisor
    assert supervisor.reports.count() >= 2
    assert supervisor.organization.name == participant.organization.name == "City of Mariposa Bay"
    assert roles_of(participant.user).is_participant


def test_coordinators_see_only_their_own_city():
    demo_data.seed(today=TODAY)
    first = Person.objects.visible_to(User.objects.get(username="coordinator"))
    second = Person.objects.visible_to(User.objects.get(username="coordinator2"))

    assert set(first.values_list("organization__name", flat=True)) == {"City of Mariposa Bay"}
    assert set(second.values_list("organization__name", flat=True)) == {"City of Cedar Hollow"}


def test_the_command_prints_the_demo_logins():
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
