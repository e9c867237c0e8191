"""The scale dataset: a deployment the size the design promises, for benchmarks and evaluation.

``talent-exchange seed_scale --people 100000 --organizations 500 --participants 10000`` builds,
into a database that holds no scale data yet, one consortium program of ``organizations``
agencies with ``people`` talent profiles (skills, mobility history), and one cycle in the
interviews phase with ``participants`` endorsed nominations (three-step endorsement chains),
about as many places in approved opportunities, about twenty participant rankings per
nominee and host rankings of the candidates who ranked each opportunity — plus one account
for each role, so every page can be measured as its users see it.

Rows are written in bulk (``bulk_create``, with history rows for the personnel models through
simple-history's ``bulk_create_with_history``; on PostgreSQL the millions of rankings and
skill links, and the rankings' history rows, through ``COPY``), so 100,000 people take
minutes, not hours.
Everything is drawn from ``random.Random(seed)``: the same arguments give the same dataset.
Names are invented (``Faker`` with the same seed).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from io import TextIOBase
from itertools import accumulate
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.nominations.models import (
    Endorsement,
    EndorsementDecision,
    EndorsementStep,
    Nomination,
    NominationStatus,
)
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.organizations.models import Kind, Organization, Sector, SizeBand
from talent_exchange.people.models import AssignmentType, MobilityRecord, Person, Skill, SkillKind
from talent_exchange.people.search import refresh_search_vectors
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.programs.models import (
    PHASE_ORDER,
    Cycle,
    CyclePhase,
    Phase,
    Program,
    ProgramShape,
    Reciprocity,
)

PROGRAM_NAME = "Scale Consortium Exchange"
SCALE_PASSWORD = "scale-password-2026"
BATCH = 5_000

# Accounts for measuring pages as each role sees them: user name → role.
SCALE_ACCOUNTS = {
    "scale-admin": Role.PROGRAM_ADMIN,
    "scale-coordinator": Role.COORDINATOR,
    "scale-supervisor": Role.SUPERVISOR,
    "scale-panelist": Role.PANELIST,
    "scale-board": Role.BOARD_REVIEWER,
    "scale-auditor": Role.AUDITOR,
    "scale-participant": Role.PARTICIPANT,
}

_KINDS = [Kind.CITY, Kind.COUNTY, Kind.SPECIAL_DISTRICT, Kind.AGENCY, Kind.MINISTRY]
_SIZES = [SizeBand.SMALL, SizeBand.MEDIUM, SizeBand.LARGE, SizeBand.VERY_LARGE]
_FUNCTIONS = [
    "Finance",
    "Human Resources",
    "Public Works",
    "Planning",
    "Information Technology",
    "Parks and Recreation",
    "Public Safety",
    "Community Development",
    "Procurement",
    "Communications",
    "Policy",
    "Housing",
    "Transportation",
    "Water Resources",
    "Health Services",
]
_LEVELS = ["Analyst", "Senior Analyst", "Manager", "Senior Manager", "Director", "Deputy Director"]
_SKILLS = [
    "Budgeting",
    "Contract management",
    "Data analysis",
    "Facilitation",
    "Grant writing",
    "Labour relations",
    "Negotiation",
    "Performance management",
    "Project management",
    "Public engagement",
    "Regulatory drafting",
    "Risk management",
    "Service design",
    "Strategic planning",
    "Team leadership",
    "Change management",
    "Emergency management",
    "GIS",
    "Policy analysis",
    "Procurement",
    "Capital planning",
    "Customer service",
    "Diversity and inclusion",
    "Evaluation",
    "Financial forecasting",
    "Intergovernmental relations",
    "Legislative analysis",
    "Media relations",
    "Program design",
    "Records management",
]

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class ScaleSize:
    people: int = 100_000
    organizations: int = 500
    participants: int = 10_000
    rankings_per_participant: int = 20
    seed: int = 2026


@dataclass
class ScaleSummary:
    organizations: int
    people: int
    opportunities: int
    places: int
    nominations: int
    participant_rankings: int
    host_rankings: int


class ScaleDataExists(Exception):
    """The database already holds the scale program."""


def _bulk(model: type[M], rows: Sequence[M], history: bool = False) -> list[M]:
    if history:
        created: list[M] = bulk_create_with_history(list(rows), model, batch_size=BATCH)
        return created
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


def _insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    history: bool = False,
) -> None:
    """Insert plain rows of ``columns`` (and, with ``history``, their "created" history rows,
    as ``bulk_create_with_history`` writes them): PostgreSQL's COPY for the millions of
    rankings (no model object per row; a tenth of the time), ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        _bulk(model, objects, history=history)
        return
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # The ids, taken from the table's sequence at once (the dataset is written by this
        # transaction alone: its tables are locked against other writers).
        cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN EXCLUSIVE MODE")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, len(rows)],
        )
        first = cursor.fetchone()[0] - len(rows) + 1
        _copy(cursor, table, ["id", *columns], ((first + i, *row) for i, row in enumerate(rows)))
        if not history:
            return
        record = model.history.model  # type: ignore[attr-defined]
        now = timezone.now()
        extra = {
            "history_date": now,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": None,
        }
        names = [f.attname for f in record._meta.concrete_fields if f.attname != "history_id"]
        if set(names) != {"id", *columns, *extra}:  # a history model with other fields
            raise RuntimeError(f"unexpected history columns for {table}: {names}")

        def history_row(i: int, row: tuple[Any, ...]) -> tuple[Any, ...]:
            values = {"id": first + i, **dict(zip(columns, row, strict=True)), **extra}
            return tuple(values[name] for name in names)

        _copy(
            cursor,
            record._meta.db_table,
            names,
            (history_row(i, row) for i, row in enumerate(rows)),
        )


def _copy(cursor: Any, table: str, columns: list[str], rows: Any) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def seed_scale(size: ScaleSize, stdout: TextIOBase | None = None) -> ScaleSummary:
    """Build the scale dataset in one transaction (nothing is left half-written)."""
    if Program.objects.filter(name=PROGRAM_NAME).exists():
        raise ScaleDataExists(
            f"The scale program {PROGRAM_NAME!r} already exists: seed an empty database."
        )

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")
        else:
            print(text)

    rng = random.Random(size.seed)
    fake = Faker("en_US")
    fake.seed_instance(size.seed)
    today = timezone.localdate()
    password = make_password(SCALE_PASSWORD)

    with transaction.atomic():
        skills = _skills()
        orgs = _organizations(size, rng)
        say(f"{len(orgs):,} organisations")
        people = _people(size, rng, fake, orgs, skills)
        say(f"{len(people):,} people with skills and mobility history")
        accounts = _accounts(password, orgs, people)
        program, cycle = _program(orgs, accounts, today)
        opportunities, places = _opportunities(size, rng, cycle, orgs, people, skills, accounts)
        say(f"{len(opportunities):,} approved opportunities with {places:,} places")
        nominations = _nominations(size, rng, program, cycle, people, accounts, password)
        say(f"{len(nominations):,} endorsed nominations")
        participant_rankings, host_rankings = _rankings(size, rng, nominations, opportunities)
        say(f"{participant_rankings:,} participant rankings, {host_rankings:,} host rankings")
        _grants(accounts, program, cycle, orgs)
    if connection.vendor == "postgresql":
        # The planner's statistics, as autovacuum would gather them on a live database (it may
        # be off or behind on a fresh bulk load, and the plans at 100,000 rows depend on them).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ScaleSummary(
        organizations=len(orgs),
        people=len(people),
        opportunities=len(opportunities),
        places=places,
        nominations=len(nominations),
        participant_rankings=participant_rankings,
        host_rankings=host_rankings,
    )


def _skills() -> list[Skill]:
    existing = {s.name: s for s in Skill.objects.filter(name__in=_SKILLS)}
    missing = [
        Skill(name=name, kind=SkillKind.COMPETENCY, is_vocabulary=True)
        for name in _SKILLS
        if name not in existing
    ]
    Skill.objects.bulk_create(missing)
    return list(Skill.objects.filter(name__in=_SKILLS).order_by("name"))


def _organizations(size: ScaleSize, rng: random.Random) -> list[Organization]:
    rows = [
        Organization(
            name=f"Scale Agency {index:04d}",
            short_name=f"SA{index:04d}",
            kind=rng.choice(_KINDS),
            sector=Sector.PUBLIC,
            jurisdiction=f"Region {index % 40 + 1}",
            size_band=rng.choice(_SIZES),
        )
        for index in range(1, size.organizations + 1)
    ]
    _bulk(Organization, rows, history=True)
    return list(Organization.objects.filter(name__startswith="Scale Agency ").order_by("name"))


def _people(
    size: ScaleSize,
    rng: random.Random,
    fake: Faker,
    orgs: list[Organization],
    skills: list[Skill],
) -> list[Person]:
    rows = []
    for index in range(size.people):
        org = orgs[index % len(orgs)]
        first, last = fake.first_name(), fake.last_name()
        function = rng.choice(_FUNCTIONS)
        rows.append(
            Person(
                first_name=first,
                last_name=last,
                work_email=f"{first.lower()}.{last.lower()}.{index}@{org.short_name.lower()}.example.org",
                organization=org,
                position_title=f"{rng.choice(_LEVELS)}, {function}",
                years_of_service=rng.randint(1, 30),
                languages="English",
                would_take_1=f"{rng.choice(_LEVELS)}, {rng.choice(_FUNCTIONS)}",
                career_goals=f"Lead {function.lower()} work across agencies.",
            )
        )
    _bulk(Person, rows, history=True)
    people = list(
        Person.objects.filter(organization__name__startswith="Scale Agency ")
        .only("id", "organization_id", "user_id", "first_name", "last_name", "work_email")
        .order_by("id")
    )
    links = [
        (person.id, skill.id)
        for person in people
        for skill in rng.sample(skills, rng.randint(6, 18))
    ]
    _insert_rows(Person.skills.through, ("person_id", "skill_id"), links)
    refresh_search_vectors()  # bulk writes send no signals
    records = []
    for person in people:
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            started = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5000))
            records.append(
                MobilityRecord(
                    person_id=person.id,
                    assignment_type=rng.choice(list(AssignmentType)),
                    title=f"{rng.choice(_LEVELS)}, {rng.choice(_FUNCTIONS)}",
                    host_organization=orgs[rng.randrange(len(orgs))],
                    started_on=started,
                    ended_on=started + timedelta(days=rng.randint(90, 540)),
                )
            )
    _bulk(MobilityRecord, records, history=True)
    return people


def _accounts(password: str, orgs: list[Organization], people: list[Person]) -> dict[str, User]:
    """One account per role, each linked to a talent profile of the first agency."""
    users = {}
    for offset, (username, _role) in enumerate(SCALE_ACCOUNTS.items()):
        person = people[offset * len(orgs)]  # all of them in the first agency
        user = User.objects.create(
            username=username,
            email=f"{username}@scale.example.org",
            first_name=person.first_name,
            last_name=person.last_name,
            password=password,
        )
        person.user = user
        person.save(update_fields=["user"])
        users[username] = user
    return users


def _program(
    orgs: list[Organization], accounts: dict[str, User], today: date
) -> tuple[Program, Cycle]:
    program = Program.objects.create(
        name=PROGRAM_NAME,
        short_name="Scale",
        shape=ProgramShape.CONSORTIUM_EXCHANGE,
        description="A generated consortium program the size the design promises.",
        administering_organization=orgs[0],
        min_assignment_months=3,
        max_assignment_months=6,
        reciprocity=Reciprocity.BALANCED,
    )
    Program.participating_organizations.through.objects.bulk_create(
        [
            Program.participating_organizations.through(program_id=program.id, organization_id=o.id)
            for o in orgs
        ],
        batch_size=BATCH,
    )
    for order, title in enumerate(("Supervisor", "Department head", "Chief executive"), 1):
        EndorsementStep.objects.create(program=program, order=order, title=title)
    cycle = Cycle.objects.create(program=program, name=f"{today.year + 1} Scale Cycle")
    start = today - timedelta(days=60)
    for index, phase in enumerate(PHASE_ORDER[1:-1]):
        CyclePhase.objects.create(
            cycle=cycle,
            phase=phase,
            opens_on=start + timedelta(days=14 * index),
            closes_on=start + timedelta(days=14 * index + 27),
        )
    # Straight to interviews: the cycle's own history starts there (no phase-move records).
    Cycle.objects.filter(pk=cycle.pk).update(state=Phase.INTERVIEWS)
    cycle.refresh_from_db()
    del accounts
    return program, cycle


def _opportunities(
    size: ScaleSize,
    rng: random.Random,
    cycle: Cycle,
    orgs: list[Organization],
    people: list[Person],
    skills: list[Skill],
    accounts: dict[str, User],
) -> tuple[list[Opportunity], int]:
    """About as many places as participants, in ~0.7 opportunities per place."""
    rows = []
    places = 0
    today = timezone.localdate()
    poster = accounts["scale-coordinator"]
    while places < size.participants:
        org = orgs[rng.randrange(len(orgs))]
        capacity = rng.choice((1, 1, 1, 1, 2, 2, 3))
        capacity = min(capacity, size.participants - places)
        places += capacity
        function = rng.choice(_FUNCTIONS)
        rows.append(
            Opportunity(
                cycle=cycle,
                host_organization=org,
                title=f"{rng.choice(_LEVELS)}, {function}",
                description=f"A three-month stretch assignment in {function.lower()}.",
                duration_months=rng.choice((3, 4, 6)),
                start_earliest=today + timedelta(days=90),
                start_latest=today + timedelta(days=150),
                location=org.jurisdiction,
                capacity=capacity,
                status=OpportunityStatus.APPROVED,
                posted_by=poster,
            )
        )
    _bulk(Opportunity, rows, history=True)
    opportunities = list(
        Opportunity.objects.filter(cycle=cycle).only("id", "host_organization_id").order_by("id")
    )
    through = Opportunity.skills_required.through
    through.objects.bulk_create(
        [
            through(opportunity_id=o.id, skill_id=s.id)
            for o in opportunities
            for s in rng.sample(skills, 3)
        ],
        batch_size=BATCH * 4,
    )
    del people
    return opportunities, places


def _nominations(
    size: ScaleSize,
    rng: random.Random,
    program: Program,
    cycle: Cycle,
    people: list[Person],
    accounts: dict[str, User],
    password: str,
) -> list[Nomination]:
    """Endorsed nominations of people spread over every agency, each with three signatures
    and an account (nominees get one at the last endorsement)."""
    taken = {p.id for p in people if p.user_id}
    candidates = [p for p in people if p.id not in taken]
    nominees = rng.sample(candidates, min(size.participants, len(candidates)))
    nominees.sort(key=lambda p: p.id)
    users = [
        User(
            username=f"scale-nominee-{index:06d}",
            email=person.work_email,
            first_name=person.first_name,
            last_name=person.last_name,
            password=password,
        )
        for index, person in enumerate(nominees)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    by_name = dict(
        User.objects.filter(username__startswith="scale-nominee-").values_list("username", "id")
    )
    for index, person in enumerate(nominees):
        person.user_id = by_name[f"scale-nominee-{index:06d}"]
    Person.objects.bulk_update(nominees, ["user"], batch_size=BATCH)
    coordinator = accounts["scale-coordinator"]
    confirmed = timezone.now() - timedelta(days=20)
    rows = [
        Nomination(
            cycle=cycle,
            person_id=person.id,
            home_organization_id=person.organization_id,
            status=NominationStatus.ENDORSED,
            nominated_by=coordinator,
            rationale="Ready for a stretch assignment.",
            profile_confirmed_at=confirmed,
        )
        for person in nominees
    ]
    _bulk(Nomination, rows, history=True)
    nominations = list(
        Nomination.objects.filter(cycle=cycle).only("id", "home_organization_id").order_by("id")
    )
    steps = list(EndorsementStep.objects.filter(program=program).order_by("order"))
    endorsers = [accounts["scale-supervisor"], accounts["scale-board"], accounts["scale-admin"]]
    decided = timezone.now() - timedelta(days=25)
    endorsements = [
        Endorsement(
            nomination_id=n.id,
            order=step.order,
            title=step.title,
            endorser=endorsers[step.order - 1],
            decision=EndorsementDecision.ENDORSED,
            decided_at=decided,
            token=f"scale{n.id:09d}{step.order}{rng.getrandbits(64):016x}",
        )
        for n in nominations
        for step in steps
    ]
    _bulk(Endorsement, endorsements)
    return nominations


def _rankings(
    size: ScaleSize,
    rng: random.Random,
    nominations: list[Nomination],
    opportunities: list[Opportunity],
) -> tuple[int, int]:
    """Each nominee ranks about ``rankings_per_participant`` opportunities of other agencies,
    popular ones more often; each host ranks the candidates who ranked it."""
    weights = [rng.paretovariate(1.5) for _ in opportunities]
    # The running total once: ``choices(weights=...)`` sums every weight again on each call
    # (63,000 opportunities × 100,000 nominees); the draws are the same either way.
    cum_weights = list(accumulate(weights))
    rows: list[tuple[int, int, int]] = []
    ranked_by: dict[int, list[int]] = {}
    for nomination in nominations:
        want = rng.randint(
            size.rankings_per_participant // 2, size.rankings_per_participant * 3 // 2
        )
        chosen: list[Opportunity] = []
        seen: set[int] = set()
        for opp in rng.choices(opportunities, cum_weights=cum_weights, k=want * 2):
            if opp.id in seen or opp.host_organization_id == nomination.home_organization_id:
                continue
            seen.add(opp.id)
            chosen.append(opp)
            if len(chosen) == want:
                break
        for rank, opp in enumerate(chosen, 1):
            rows.append((nomination.id, opp.id, rank))
            ranked_by.setdefault(opp.id, []).append(nomination.id)
    _insert_rows(
        ParticipantRanking, ("nomination_id", "opportunity_id", "rank"), rows, history=True
    )
    host_rows: list[tuple[int, int, int]] = []
    for opp_id, candidates in ranked_by.items():
        rng.shuffle(candidates)
        # Hosts rank most of the candidates who ranked them (popular slots rank many).
        kept = candidates[: max(1, len(candidates) * 4 // 5)]
        host_rows.extend((opp_id, nom_id, rank) for rank, nom_id in enumerate(kept, 1))
    _insert_rows(HostRanking, ("opportunity_id", "nomination_id", "rank"), host_rows, history=True)
    return len(rows), len(host_rows)


def _grants(
    accounts: dict[str, User], program: Program, cycle: Cycle, orgs: list[Organization]
) -> None:
    scope: dict[str, dict[str, Any]] = {
        Role.PROGRAM_ADMIN: {"program": program},
        Role.BOARD_REVIEWER: {"program": program},
        Role.COORDINATOR: {"organization": orgs[0]},
        Role.SUPERVISOR: {"organization": orgs[0]},
        Role.PANELIST: {"cycle": cycle},
    }
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=accounts[username], role=role, **scope.get(role, {}))
            for username, role in SCALE_ACCOUNTS.items()
        ]
    )
    grants = [
        RoleGrant(user_id=user_id, role=Role.PARTICIPANT)
        for user_id in User.objects.filter(username__startswith="scale-nominee-").values_list(
            "id", flat=True
        )
    ]
    RoleGrant.objects.bulk_create(grants, batch_size=BATCH)


def scale_pages() -> list[tuple[str, str, str]]:
    """(page name, user name, URL) of every page worth measuring on the scale dataset: the
    benchmark times them (bench/web_pages.py), a test checks none lists every row."""
    program = Program.objects.get(name=PROGRAM_NAME)
    cycle = program.cycles.order_by("-id")[0]
    nomination = (
        Nomination.objects.filter(cycle=cycle).select_related("person__user").order_by("id")[0]
    )
    assert nomination.person.user is not None  # every scale nominee has an account
    nominee = nomination.person.user.username
    popular = (
        Opportunity.objects.filter(cycle=cycle)
        .annotate(n=Count("host_rankings"))
        .order_by("-n", "id")[0]
    )
    skill = Skill.objects.get(name="Budgeting")
    person = Person.objects.filter(organization=program.administering_organization).order_by("id")[
        0
    ]
    c, p = cycle.pk, program.pk
    return [
        ("dashboard: administrator", "scale-admin", "/"),
        ("dashboard: coordinator", "scale-coordinator", "/"),
        ("dashboard: board", "scale-board", "/"),
        ("dashboard: auditor", "scale-auditor", "/"),
        ("dashboard: panelist", "scale-panelist", "/"),
        ("dashboard: participant", nominee, "/"),
        ("people list", "scale-admin", "/people/"),
        ("people search by name", "scale-admin", "/people/?q=smith"),
        ("people filter by skill", "scale-admin", f"/people/?skills={skill.pk}"),
        ("person page", "scale-admin", f"/people/{person.pk}/"),
        ("organisations", "scale-admin", "/organisations/"),
        ("program page", "scale-admin", f"/programs/{p}/"),
        ("cycle page", "scale-admin", f"/programs/cycles/{c}/"),
        ("opportunities", "scale-admin", f"/opportunities/cycle/{c}/"),
        ("opportunity review queue", "scale-admin", f"/opportunities/cycle/{c}/review/"),
        ("nominations: administrator", "scale-admin", f"/nominations/cycle/{c}/"),
        ("nominations: coordinator", "scale-coordinator", f"/nominations/cycle/{c}/"),
        ("preferences overview", "scale-admin", f"/preferences/cycle/{c}/"),
        ("participant's ranking", nominee, f"/preferences/nomination/{nomination.pk}/"),
        ("host ranking, popular slot", "scale-admin", f"/preferences/opportunity/{popular.pk}/"),
        ("interviews", "scale-admin", f"/interviews/cycle/{c}/"),
        ("interview scores", "scale-admin", f"/interviews/cycle/{c}/scores/"),
        ("match runs", "scale-admin", f"/matches/cycle/{c}/runs/"),
        ("match constraints", "scale-admin", f"/matches/cycle/{c}/constraints/"),
        ("offers: administrator", "scale-admin", "/matches/offers/"),
        ("offers: coordinator", "scale-coordinator", "/matches/offers/"),
        ("placements", "scale-admin", "/placements/"),
        ("program results", "scale-board", f"/placements/programs/{p}/results/"),
        ("audit trail: people", "scale-auditor", "/audit/?kind=person"),
        ("API: nominations", "scale-admin", "/api/nominations"),
        ("API: opportunities", "scale-admin", f"/api/cycles/{c}/opportunities"),
        (
            "API: market, a page of participants",
            "scale-admin",
            f"/api/cycles/{c}/market/participants",
        ),
        ("API: market, a page of slots", "scale-admin", f"/api/cycles/{c}/market/slots"),
        ("API: market, whole download", "scale-admin", f"/api/cycles/{c}/market"),
    ]
