"""Demo data: two programs of the two shapes Talent Exchange serves, and one account per role.

1. The Bayshore Management Talent Exchange Program: twelve local agencies of a fictional
   California county (cities, the county, special districts), run by the county's Human
   Resources Department; three-month stretch assignments; each agency receives about as
   many as it sends. About forty employees with full talent profiles; a cycle in the
   preferences phase, and last year's cycle closed.
2. The Alberta Executive and Senior Manager Mobility Program: six ministries of one
   provincial government; 12 to 18 month secondments; demand-driven. Twelve executives;
   a cycle taking nominations.

Every name is invented. Everything is keyed on a natural key (a name, an e-mail address, a
username), and a row is saved only when a value differs, so seeding again creates nothing and
leaves no new history rows. The text is hand-written; choices between texts (skills, goals,
mobility history) come from a random generator seeded per person, so the output is the same
on every machine and adding a person does not change the others.

The content (names, organisations, people, programs, accounts, the current exchange) is data:
``nonprod/data/*.json``; this module and ``demo_exchange`` read it and seed it. Later features
add their content there and a ``_seed_*`` step here, called from ``seed``.

What people do with the product is seeded through its services, as the person who would do
it and in the order its rules require: the administrators give the roles of their programs
(``accounts.services.grant_role``), cycles move phase by phase (``move_cycle``), and the
exchange (``demo_exchange``) posts, ranks, interviews and scores through its apps' services.
Written directly: reference data an operator loads (vocabulary, organisations, people,
programs, cycles and their dates, the demo accounts) and the grants no demo account may give
(``BOOTSTRAP_GRANTS``).
"""

from __future__ import annotations

import importlib.util
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import TextIOBase
from typing import Any, NamedTuple, TypeVar

from django.db import models, transaction
from django.utils import timezone

from talent_exchange.accounts import services as role_service
from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.roles import forget_roles
from talent_exchange.organizations.models import Kind, Organization, Sector
from talent_exchange.people.models import (
    AssignmentType,
    Designation,
    MobilityRecord,
    Person,
    Skill,
    SkillKind,
)
from talent_exchange.programs.models import (
    PHASE_ORDER,
    Cycle,
    CyclePhase,
    Phase,
    Program,
    ProgramShape,
    Reciprocity,
)
from talent_exchange.programs.services import move_cycle

from .data import as_spec, load
from .demo_exchange import seed_exchange
from .personas import DEMO_PASSWORD, PERSONAS

M = TypeVar("M", bound=models.Model)

# ---------------------------------------------------------------------------------------------
# The demo's content: JSON files in nonprod/data/ (names, organisations, people, programs,
# accounts); this module reads them into the shapes below and seeds them.
# ---------------------------------------------------------------------------------------------


class Track(NamedTuple):
    """The line of work of a group of positions: what their profiles draw from."""

    skills: tuple[str, ...]
    competencies: tuple[str, ...]
    would_take: tuple[str, ...]
    goals: tuple[str, ...]
    education: tuple[str, ...]
    past_assignments: tuple[str, ...]
    tags: tuple[str, ...] = ()


class OrgSpec(NamedTuple):
    key: str
    name: str
    short_name: str
    kind: str
    size: str
    jurisdiction: str
    domain: str
    parent: str | None = None


class PersonSpec(NamedTuple):
    key: str
    first_name: str
    last_name: str
    org: str
    title: str
    classification: str
    years: int
    track: str
    languages: str = "English"
    supervisor: str | None = None
    designations: tuple[str, ...] = ()


class CycleSpec(NamedTuple):
    program: str
    name: str
    state: str
    # phase -> (opens, closes), in days from today
    phases: dict[str, tuple[int, int]]


class UserSpec(NamedTuple):
    username: str
    first_name: str
    last_name: str
    email: str
    is_staff: bool = False
    person: str | None = None  # key of the Person this account belongs to


def _phases(rows: dict[str, list[int]], days: int = 0) -> dict[str, tuple[int, int]]:
    return {Phase(phase): (opens + days, closes + days) for phase, (opens, closes) in rows.items()}


_vocabulary = load("vocabulary")
SKILLS: list[str] = _vocabulary["skills"]
COMPETENCIES: list[str] = _vocabulary["competencies"]
DESIGNATIONS: dict[str, str] = _vocabulary["designations"]

TRACKS: dict[str, Track] = {name: as_spec(Track, row) for name, row in load("tracks").items()}

_organizations = load("organizations")
CONSORTIUM_ORGS = [as_spec(OrgSpec, row) for row in _organizations["consortium"]]
CONSORTIUM_ADMIN_ORG = as_spec(OrgSpec, _organizations["consortium_admin"])
ALBERTA_MINISTRIES = [as_spec(OrgSpec, row) for row in _organizations["alberta"]]
ALBERTA_ADMIN_ORG = as_spec(OrgSpec, _organizations["alberta_admin"])
ALL_ORGS = [*CONSORTIUM_ORGS, CONSORTIUM_ADMIN_ORG, *ALBERTA_MINISTRIES, ALBERTA_ADMIN_ORG]

_people = load("people")
CONSORTIUM_PEOPLE = [as_spec(PersonSpec, row) for row in _people["consortium"]]
ALBERTA_PEOPLE = [as_spec(PersonSpec, row) for row in _people["alberta"]]

_programs = load("programs")
CONSORTIUM_PROGRAM: str = _programs["consortium_program"]
CONSORTIUM_PROGRAM_FR: str = _programs["consortium_program_fr"]
ALBERTA_PROGRAM: str = _programs["alberta_program"]
CURRENT_CONSORTIUM_CYCLE: str = _programs["current_consortium_cycle"]
_PROGRAM_NAMES = {"consortium": CONSORTIUM_PROGRAM, "alberta": ALBERTA_PROGRAM}
# Each cycle's phases are its program's, shifted by ``days_shifted`` (last year's: -365).
CYCLES = [
    CycleSpec(
        _PROGRAM_NAMES[row["program"]],
        row["name"],
        Phase(row["state"]),
        _phases(_programs["phases"][row["phases"]], row["days_shifted"]),
    )
    for row in _programs["cycles"]
]
TRANSITION_NOTES: dict[str, str] = {
    Phase(phase): note for phase, note in _programs["transition_notes"].items()
}
# Seed 003's assignment ideas: a position at home and the stretch assignment it suits.
ASSIGNMENT_IDEAS: dict[str, str] = _programs["assignment_ideas"]
# Stretch assignments people held in another agency in earlier exchanges (local) and
# secondments to another ministry (Alberta).
EXCHANGE_TITLES: tuple[str, ...] = tuple(_programs["exchange_titles"])
SECONDMENT_TITLES: tuple[str, ...] = tuple(_programs["secondment_titles"])

USERS = [as_spec(UserSpec, row) for row in load("users")]
# The consortium agencies' coordinators besides the two demo ones (no sign-in): organisation
# key -> (first name, last name). They post their agency's assignments.
AGENCY_COORDINATORS: dict[str, tuple[str, str]] = {
    key: (row["first_name"], row["last_name"])
    for key, row in _organizations["coordinators"].items()
}
# Roles no demo account may give (``accounts.rules.may_grant``): a program's first
# administrator, and the roles held everywhere; a platform operator grants them in the back
# office, and the demo has no platform operator account (it would share the demo password).
# The participant role is not given through the roles page at all.
BOOTSTRAP_GRANTS = frozenset({Role.PROGRAM_ADMIN, Role.AUDITOR, Role.PARTICIPANT})
# The reason kept on each grant the demo gives through the service.
GRANT_REASONS: dict[str, str] = _programs["grant_reasons"]

# ---------------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    """What a seed run left in the database, and what it had to create."""

    organizations: int = 0
    programs: int = 0
    cycles: int = 0
    people: int = 0
    users: int = 0
    created: Counter = field(default_factory=Counter)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


class _Seeder:
    def __init__(self, today: date):
        self.today = today
        self.created: Counter = Counter()
        self.orgs: dict[str, Organization] = {}
        self.programs: dict[str, Program] = {}
        self.people: dict[str, Person] = {}
        self.users: dict[str, User] = {}
        self.skills: dict[str, Skill] = {}
        self.designations: dict[str, Designation] = {}
        self.current_cycle: Cycle | None = None
        self.cycle_states: dict[str, str] = {}  # cycle name -> the phase the demo shows
        self.coordinators: dict[str, User] = {}  # organisation key -> who posts for it

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        """Create the row, or update only the values that differ (so no history row is left
        when nothing changed)."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            self.created[str(model._meta.verbose_name_plural)] += 1
            return model._default_manager.create(**lookup, **values)
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
        return obj

    # -- vocabulary ----------------------------------------------------------------------------

    def vocabulary(self) -> None:
        for names, kind in ((SKILLS, SkillKind.SKILL), (COMPETENCIES, SkillKind.COMPETENCY)):
            for name in names:
                self.skills[name] = self.upsert(
                    Skill, {"name": name}, {"kind": kind, "is_vocabulary": True}
                )
        free_tags = {tag for track in TRACKS.values() for tag in track.tags}
        for tag in sorted(free_tags):
            skill = Skill.objects.filter(name=tag).first()
            if skill is None:  # a free tag: never demote one an administrator has promoted
                skill = self.upsert(Skill, {"name": tag}, {"kind": SkillKind.SKILL})
            self.skills[tag] = skill
        for name, description in DESIGNATIONS.items():
            self.designations[name] = self.upsert(
                Designation, {"name": name}, {"description": description}
            )

    # -- organisations and programs ------------------------------------------------------------

    def organizations(self) -> None:
        for spec in ALL_ORGS:
            self.orgs[spec.key] = self.upsert(
                Organization,
                {"name": spec.name},
                {
                    "short_name": spec.short_name,
                    "kind": spec.kind,
                    "sector": Sector.PUBLIC,
                    "size_band": spec.size,
                    "jurisdiction": spec.jurisdiction,
                    "parent": self.orgs[spec.parent] if spec.parent else None,
                },
            )

    def programs_(self) -> None:
        consortium = self.upsert(
            Program,
            {"name": CONSORTIUM_PROGRAM},
            {
                "name_fr": CONSORTIUM_PROGRAM_FR,
                "short_name": "Bayshore MTEP",
                "shape": ProgramShape.CONSORTIUM_EXCHANGE,
                "description": (
                    "Twelve cities, towns, special districts and the county of Bayshore "
                    "nominate high-potential employees for three-month stretch assignments in "
                    "another agency. The county's Human Resources Department runs the program "
                    "for the consortium. A panel of managers and HR professionals interviews "
                    "the nominees and matches them to assignments; an agency that sends "
                    "someone generally receives someone. Host supervisors coach the "
                    "participants; learning forums and monthly support sessions run alongside. "
                    "The agencies share the costs, with a seed grant from the county and a "
                    "corporate sponsor."
                ),
                "administering_organization": self.orgs[CONSORTIUM_ADMIN_ORG.key],
                "min_assignment_months": 3,
                "max_assignment_months": 3,
                "reciprocity": Reciprocity.BALANCED,
                "balance_tolerance": 1,
                "eligibility": (
                    "Permanent employees of a participating agency in a supervisory, "
                    "professional or mid-management position, with at least three years of "
                    "service and the support of their department head."
                ),
                "min_years_of_service": 3,
                "max_moves": None,
            },
        )
        consortium.participating_organizations.set(
            [self.orgs[spec.key] for spec in CONSORTIUM_ORGS]
        )
        alberta = self.upsert(
            Program,
            {"name": ALBERTA_PROGRAM},
            {
                "short_name": "Alberta ESMMP",
                "shape": ProgramShape.MINISTRY_MOBILITY,
                "description": (
                    "Secondments of 12 to 18 months between ministries for directors, "
                    "executive directors and assistant deputy ministers: a similar function "
                    "under different circumstances, or a completely new line of work. "
                    "Demand-driven: the number of secondments follows the need, not a target."
                ),
                "administering_organization": self.orgs[ALBERTA_ADMIN_ORG.key],
                "min_assignment_months": 12,
                "max_assignment_months": 18,
                "reciprocity": Reciprocity.NONE,
                "balance_tolerance": 0,
                "eligibility": (
                    "Directors, executive directors and assistant deputy ministers of a "
                    "participating ministry, nominated by their deputy minister."
                ),
                "min_years_of_service": 5,
                "max_moves": None,
            },
        )
        alberta.participating_organizations.set(
            [self.orgs[spec.key] for spec in ALBERTA_MINISTRIES]
        )
        self.programs = {CONSORTIUM_PROGRAM: consortium, ALBERTA_PROGRAM: alberta}

    # -- people --------------------------------------------------------------------------------

    def people_(self, specs: list[PersonSpec], program_orgs: list[OrgSpec]) -> None:
        domains = {spec.key: spec.domain for spec in ALL_ORGS}
        for spec in specs:  # supervisors come before the people they supervise
            email = _email(spec.first_name, spec.last_name, domains[spec.org])
            rng = random.Random(f"talent-exchange-demo:{email}")
            track = TRACKS[spec.track]
            person = self.upsert(
                Person,
                {"work_email": email},
                {
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "organization": self.orgs[spec.org],
                    "position_title": spec.title,
                    "classification": spec.classification,
                    "years_of_service": spec.years,
                    "supervisor": self.people[spec.supervisor] if spec.supervisor else None,
                    "education": rng.choice(track.education),
                    "languages": spec.languages,
                    **_would_take(spec.title, track, rng),
                    "career_goals": rng.choice(track.goals),
                },
            )
            self.people[spec.key] = person
            person.skills.set([self.skills[name] for name in _skill_names(track, rng)])
            person.designations.set([self.designations[name] for name in spec.designations])
            self.mobility_history(person, spec, rng, [o.key for o in program_orgs])

    def mobility_history(
        self, person: Person, spec: PersonSpec, rng: random.Random, org_keys: list[str]
    ) -> None:
        """Earlier assignments: more for longer careers, none for the newest people. Some were
        in another organisation (an exchange or a secondment), some at home (acting roles,
        task forces)."""
        provincial = spec.track.startswith("ab_")
        count = 0 if spec.years < 5 else rng.choice((0, 1, 1, 2, 2))
        if count == 0:
            return
        # Fixed years rather than ones relative to today, so the history does not drift; the
        # last assignment ended before 2026 (a secondment of 18 months starting in 2024).
        last_year = 2024 if provincial else 2025
        first_year = 2026 - spec.years + 2
        years = sorted(rng.sample(range(first_year, last_year + 1), count))
        away_titles = rng.sample(SECONDMENT_TITLES if provincial else EXCHANGE_TITLES, count)
        home_titles = rng.sample(TRACKS[spec.track].past_assignments, count)
        for year, away_title, home_title in zip(years, away_titles, home_titles, strict=True):
            started = date(year, rng.choice((1, 2, 3, 4, 9, 10)), 1)
            if rng.random() < 0.6:
                title = away_title
                hosts = [k for k in org_keys if k != spec.org]
                if "City Manager" in title:
                    hosts = [k for k in hosts if self.orgs[k].kind == Kind.CITY]
                host_key = rng.choice(hosts)
                kind = AssignmentType.SECONDMENT if provincial else AssignmentType.EXCHANGE
                months = rng.choice((12, 15, 18)) if provincial else 3
            else:
                host_key, title = spec.org, home_title
                kind, months = rng.choice(
                    (
                        (AssignmentType.ROTATION, 6),
                        (AssignmentType.DETAIL, 4),
                        (AssignmentType.INTERAGENCY_PROJECT, 9),
                    )
                )
            ended = _add_months(started, months) - timedelta(days=1)
            self.upsert(
                MobilityRecord,
                {"person": person, "started_on": started},
                {
                    "assignment_type": kind,
                    "title": title,
                    "host_organization": self.orgs[host_key],
                    "host_name": "",
                    "ended_on": ended if ended < self.today else None,
                },
            )

    # -- accounts ------------------------------------------------------------------------------

    def accounts(self) -> None:
        for spec in USERS:
            user = self.upsert(
                User,
                {"username": spec.username},
                {
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "email": spec.email,
                    "is_staff": spec.is_staff,
                    "is_superuser": False,
                    "is_active": True,
                },
            )
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            self.users[spec.username] = user
            if spec.person:
                self.upsert(Person, {"pk": self.people[spec.person].pk}, {"user": user})

    def helper_account(self, username: str, first: str, last: str, email: str) -> User:
        """An account that cannot sign in: an endorser, a panel member or an agency's
        coordinator in the story."""
        user = self.upsert(
            User,
            {"username": username},
            {"first_name": first, "last_name": last, "email": email, "is_active": True},
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def grant(self, user: User | str, role: str, *, by: str | None = None, **scope) -> None:
        """Give ``role`` in its scope, once. ``by``: the demo account that answers for the
        scope and grants it through the product's service (``accounts.services.grant_role``:
        its rules, reason, history and e-mail). Without ``by``, the bootstrap grants no demo
        account may give (see ``BOOTSTRAP_GRANTS``) are written as a platform operator would
        in the back office."""
        account = self.users[user] if isinstance(user, str) else user
        lookup = {"program": None, "organization": None, "cycle": None, **scope}
        if RoleGrant.objects.active().filter(user=account, role=role, **lookup).exists():
            return
        if by is None:
            assert role in BOOTSTRAP_GRANTS, f"{role} is granted through the service"
            RoleGrant.objects.create(user=account, role=role, **lookup)
        else:
            role_service.grant_role(
                role,
                account,
                actor=self.users[by],
                reason=GRANT_REASONS[role],
                confirmed=True,  # the demo knows who it means
                **scope,
            )
        forget_roles(account)  # this copy of the account too (the service forgets its own)
        self.created[RoleGrant._meta.verbose_name_plural] += 1

    def program_roles(self) -> None:
        consortium = self.programs[CONSORTIUM_PROGRAM]
        alberta = self.programs[ALBERTA_PROGRAM]
        self.grant("admin", Role.PROGRAM_ADMIN, program=consortium)
        self.grant("alberta", Role.PROGRAM_ADMIN, program=alberta)
        self.grant("participant", Role.PARTICIPANT)
        self.grant("auditor", Role.AUDITOR)
        # From here on, the administrators give the roles of their programs.
        self.grant("coordinator", Role.COORDINATOR, by="admin", organization=self.orgs["MB"])
        self.grant("coordinator2", Role.COORDINATOR, by="admin", organization=self.orgs["CH"])
        self.grant("supervisor", Role.SUPERVISOR, by="admin", organization=self.orgs["MB"])
        self.grant("board", Role.BOARD_REVIEWER, by="alberta", program=alberta)
        # Every other agency's coordinator (no sign-in): who posts its assignments.
        for org_key, (first, last) in AGENCY_COORDINATORS.items():
            domain = next(spec.domain for spec in ALL_ORGS if spec.key == org_key)
            account = self.helper_account(
                f"coordinator-{org_key.lower()}", first, last, _email(first, last, domain)
            )
            self.coordinators[org_key] = account
            self.grant(account, Role.COORDINATOR, by="admin", organization=self.orgs[org_key])
        self.coordinators["MB"] = self.users["coordinator"]
        self.coordinators["CH"] = self.users["coordinator2"]

    def advance(self, cycle: Cycle, state: str) -> Cycle:
        """Move the cycle through the real service, one phase at a time, up to ``state``, so
        the transitions are recorded as history. A cycle someone has already moved further
        (while trying the demo) stays there."""
        admin = self.users["admin" if cycle.program.name == CONSORTIUM_PROGRAM else "alberta"]
        while PHASE_ORDER.index(cycle.state) < PHASE_ORDER.index(state):
            target = PHASE_ORDER[PHASE_ORDER.index(cycle.state) + 1]
            # (the workflow moves this copy too: rows read with it see the new phase)
            move_cycle(cycle, target, actor=admin, note=TRANSITION_NOTES[target])
            self.created["cycle transitions"] += 1
        return cycle

    # -- cycles --------------------------------------------------------------------------------

    def cycles(self) -> None:
        admins = {CONSORTIUM_PROGRAM: self.users["admin"], ALBERTA_PROGRAM: self.users["alberta"]}
        for spec in CYCLES:
            program = self.programs[spec.program]
            admin = admins[spec.program]
            cycle = self.upsert(Cycle, {"program": program, "name": spec.name}, {})
            for phase, (opens, closes) in spec.phases.items():
                self.upsert(
                    CyclePhase,
                    {"cycle": cycle, "phase": phase},
                    {
                        "opens_on": self.today + timedelta(days=opens),
                        "closes_on": self.today + timedelta(days=closes),
                        "owner": admin,
                    },
                )
            self.cycle_states[spec.name] = spec.state
            if spec.name == CURRENT_CONSORTIUM_CYCLE:
                # The exchange moves it on as it goes: hosts post while it takes
                # opportunities, nominees rank once it takes preferences.
                cycle = self.advance(
                    cycle, min(spec.state, Phase.OPPORTUNITIES, key=PHASE_ORDER.index)
                )
            else:
                cycle = self.advance(cycle, spec.state)
        current = Cycle.objects.get(
            program=self.programs[CONSORTIUM_PROGRAM], name=CURRENT_CONSORTIUM_CYCLE
        )
        self.grant("panelist", Role.PANELIST, by="admin", cycle=current)
        self.current_cycle = current

    # -- the current exchange cycle --------------------------------------------------------------

    def exchange(self) -> None:
        seed_exchange(self, self.current_cycle)


def seed(stdout: TextIOBase | None = None, *, today: date | None = None) -> DemoSummary:
    """Load the demo data (idempotent) and return what is there. Writes the demo logins to
    ``stdout`` when given."""
    seeder = _Seeder(today or timezone.localdate())
    with transaction.atomic():
        seeder.vocabulary()
        seeder.organizations()
        seeder.programs_()
        seeder.people_(CONSORTIUM_PEOPLE, CONSORTIUM_ORGS)
        seeder.people_(ALBERTA_PEOPLE, ALBERTA_MINISTRIES)
        seeder.accounts()
        seeder.program_roles()
        seeder.cycles()
        seeder.exchange()
    _seed_apps(seeder, stdout)
    summary = DemoSummary(
        organizations=len(seeder.orgs),
        programs=len(seeder.programs),
        cycles=len(CYCLES),
        people=len(seeder.people),
        users=len(seeder.users),
        created=seeder.created,
    )
    if stdout is not None:
        stdout.write(format_summary(summary))
    return summary


# The apps that add to the demo after the exchange cycle, in this order (later ones build on
# the earlier ones' rows): each has ``<app>/demo.py`` with ``seed_<app>(stdout, today=...)``,
# idempotent, returning how many rows it made; and the word the summary counts them in.
DEMO_APPS: list[tuple[str, str]] = [
    ("placements", "placements"),
    ("development", "development"),
    ("learning", "learning sessions"),  # after the placements: their alumni are invited
    ("finance", "invoices"),
]


def _seed_apps(seeder: _Seeder, stdout: TextIOBase | None) -> None:
    for app, counted_as in DEMO_APPS:
        module = importlib.import_module(f"talent_exchange.{app}.demo")
        made = getattr(module, f"seed_{app}")(stdout, today=seeder.today) or 0
        if made:
            seeder.created[counted_as] += made


def format_summary(summary: DemoSummary) -> str:
    created = ", ".join(f"{what}: {n}" for what, n in sorted(summary.created.items()))
    lines = [
        f"Demo data: {summary.organizations} organisations, {summary.programs} programs, "
        f"{summary.cycles} cycles, {summary.people} people, {summary.users} demo accounts.",
        f"Created this run: {created or 'nothing (already seeded)'}.",
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD}):",
    ]
    width = max(len(p.username) for p in PERSONAS)
    role_width = max(len(str(p.role)) for p in PERSONAS)
    lines.append(f"  {'username'.ljust(width)}  {'role'.ljust(role_width)}  sees")
    lines.extend(
        f"  {p.username.ljust(width)}  {str(p.role).ljust(role_width)}  {p.sees}" for p in PERSONAS
    )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _email(first: str, last: str, domain: str) -> str:
    def part(name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return "".join(c for c in ascii_name.lower() if c.isalnum() or c == "-")

    return f"{part(first)}.{part(last)}@{domain}"


def _would_take(title: str, track: Track, rng: random.Random) -> dict[str, str]:
    """Three assignments the person would take; seed 003's idea for their position first."""
    idea = ASSIGNMENT_IDEAS.get(title) or (
        ASSIGNMENT_IDEAS["Inspector"] if title.endswith("Inspector") else None
    )
    others = [t for t in track.would_take if t != idea]
    picks = ([idea] if idea else []) + rng.sample(others, 3 if idea is None else 2)
    return {f"would_take_{i}": pick for i, pick in enumerate(picks, start=1)}


def _skill_names(track: Track, rng: random.Random) -> list[str]:
    names = rng.sample(track.skills, rng.choice((4, 5)))
    names += rng.sample(track.competencies, rng.choice((2, 3)))
    if track.tags and rng.random() < 0.4:
        names.append(rng.choice(track.tags))
    return names


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)
