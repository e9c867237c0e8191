"""Demo data for the current Bayshore cycle ("2027 Spring Exchange"), ready to match.

The cycle is in its preferences phase with everything the match needs:

- seventeen approved host assignments across the twelve agencies, among them every pair of
  seed 003's table (an assignment titled like the right-hand side, hosted by another agency
  than the nominee's), each with the host supervisor as coach;
- eighteen endorsed nominations, one per nominee, signed off by the program's chain
  (supervisor, department head, city manager); two declared conflicts of interest;
- every nominee's ranking of three to six assignments (seed 003's idea first), and most hosts'
  rankings of the candidates who chose them;
- a four-line interview rubric, two panels (the demo panelist sits on the first), interview
  slots held early in the preferences phase, and scores for all but two candidates.

So a program administrator can start, compare and publish a match at once. Everything is keyed
on natural keys and written only when missing or different; rankings, panel places and scores
a tester has changed are left as they are. Choices come from generators seeded per person, so
the output is the same on every machine.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.utils import timezone

from talent_exchange.accounts.models import User
from talent_exchange.interviews.models import Panel, PanelAssignment, RubricCriterion, Score
from talent_exchange.nominations.models import (
    ConflictOfInterest,
    Endorsement,
    EndorsementDecision,
    EndorsementStep,
    EndorserKind,
    Nomination,
    NominationStatus,
)
from talent_exchange.opportunities.models import (
    Opportunity,
    OpportunityStatus,
    OpportunityTransition,
    Workplace,
)
from talent_exchange.people.models import AssignmentType
from talent_exchange.preferences.models import HostRanking, ParticipantRanking

if TYPE_CHECKING:
    from .demo_data import _Seeder

# Three-month assignments starting in February or by the beginning of March 2027 (the
# placements phase of the demo cycle opens ten weeks after the demo's reference date).
START_EARLIEST = date(2027, 2, 1)
START_LATEST = date(2027, 3, 1)


class OpportunitySpec(NamedTuple):
    host: str  # organisation key
    title: str
    coach: str  # person key, of the host
    description: str
    required: tuple[str, ...]
    developed: tuple[str, ...]
    capacity: int = 1
    workplace: str = Workplace.ON_SITE
    host_ranks: bool = True  # has the host ranked its candidates yet?


OPPORTUNITIES = [
    # -- seed 003's assignment ideas ------------------------------------------------------------
    OpportunitySpec(
        "PC",
        "Assistant to the City Manager",
        "vance",
        "Three months in the City Manager's Office: staff two council meetings, lead the "
        "review of the city's boards and commissions, and draft the annual community report.",
        ("Council, board and cabinet briefings", "Policy analysis"),
        ("Intergovernmental relations", "Performance measurement", "Public engagement"),
        capacity=2,
    ),
    OpportunitySpec(
        "PC",
        "Management Assistant to Finance Director",
        "pham",
        "Support the Finance Director through the mid-year budget: department meetings, the "
        "revenue update to council, and a plain-language guide to the budget for residents.",
        ("Data analysis", "Public engagement"),
        ("Budget development", "Financial forecasting"),
    ),
    OpportunitySpec(
        "SL",
        "Planning Specialist",
        "petrova",
        "Join the housing element team: analyse the sites inventory, model the financial "
        "feasibility of affordable housing on city land, and present options to the planning "
        "commission.",
        ("Data analysis", "Financial forecasting"),
        ("Land use planning", "GIS and mapping", "Public engagement"),
        workplace=Workplace.HYBRID,
    ),
    OpportunitySpec(
        "BC",
        "Senior Financial Analyst",
        "siddiqui",
        "Analyse the county's risk and insurance costs by department, build the allocation "
        "model for next year's budget, and brief the department heads.",
        ("Data analysis", "Performance measurement"),
        ("Budget development", "Financial forecasting", "Regulatory compliance"),
    ),
    OpportunitySpec(
        "PD",
        "Recreation Supervisor",
        "fitzgerald",
        "Run the district's spring youth sports season: staff schedules, field allocation "
        "with the school district, the volunteer coaches' training, and the season budget.",
        ("Performance measurement", "Process improvement (Lean)"),
        ("Community outreach", "Program evaluation", "Asset management"),
    ),
    OpportunitySpec(
        "WD",
        "Project Manager",
        "nguyen",
        "Manage the district's meter replacement program: the contractor, the schedule, the "
        "customer notices and the monthly report to the board.",
        ("Capital project delivery", "Contract negotiation"),
        ("Project management", "Public engagement", "Asset management"),
    ),
    OpportunitySpec(
        "MB",
        "Economic Vitality Coordinator",
        "whitfield",
        "Work with the downtown business association on the storefront vacancy program: "
        "interviews with property owners, a small grants round, and a report to council.",
        ("Land use planning", "Public engagement"),
        ("Grant writing and administration", "Community outreach", "Policy analysis"),
    ),
    OpportunitySpec(
        "AS",
        "Human Resources Representative",
        "villanueva",
        "Run two recruitments from job analysis to offer, update the onboarding program, and "
        "sit in on labor-management meetings.",
        ("Process improvement (Lean)", "Data analysis"),
        ("Recruitment and selection", "Labor relations"),
    ),
    OpportunitySpec(
        "BC",
        "Human Resources Coordinator",
        "adeyemi",
        "Coordinate the county's safety training and return-to-work program across "
        "departments, and lead the review of the injury and illness prevention program.",
        ("Regulatory compliance", "Performance measurement"),
        ("Recruitment and selection", "Labor relations", "Policy analysis"),
    ),
    OpportunitySpec(
        "OM",
        "Budget Analyst",
        "sandoval",
        "Prepare the town's capital budget with the departments, update the five-year "
        "forecast, and present the capital plan at the council study session.",
        ("Emergency management", "Performance measurement"),
        ("Budget development", "Financial forecasting", "Capital project delivery"),
    ),
    # -- further assignments --------------------------------------------------------------------
    OpportunitySpec(
        "MB",
        "Management Analyst, City Manager's Office",
        "whitfield",
        "Lead the city's performance dashboard refresh: choose the measures with the "
        "departments, publish the dashboard, and write the council report.",
        ("Data analysis", "Performance measurement"),
        ("Council, board and cabinet briefings", "Policy analysis"),
    ),
    OpportunitySpec(
        "CH",
        "Capital Improvement Program Manager",
        "ortiz",
        "Coordinate the five-year capital improvement program: project scoring, funding "
        "sources, and the program's presentation to the planning commission and council.",
        ("Project management", "Budget development"),
        ("Capital project delivery", "Grant writing and administration"),
    ),
    OpportunitySpec(
        "CH",
        "Management Analyst, Public Works",
        "ortiz",
        "Review the department's fleet and facilities maintenance contracts and recommend "
        "which to bring in-house.",
        ("Data analysis", "Procurement and contracting"),
        ("Contract negotiation", "Asset management"),
        workplace=Workplace.HYBRID,
    ),
    OpportunitySpec(
        "FD",
        "Emergency Preparedness Coordinator",
        "osei",
        "Update the district's wildfire evacuation plan with the cities it serves, run a "
        "tabletop exercise, and lead the community preparedness workshops.",
        ("Public engagement", "Community outreach"),
        ("Emergency management", "Intergovernmental relations"),
    ),
    OpportunitySpec(
        "TD",
        "Procurement and Contracts Analyst",
        "kim",
        "Run the procurement of the district's new scheduling software, from requirements to "
        "contract award.",
        ("Project management", "Regulatory compliance"),
        ("Procurement and contracting", "Contract negotiation"),
        workplace=Workplace.REMOTE,
        host_ranks=False,
    ),
    OpportunitySpec(
        "HD",
        "Harbor Operations Analyst",
        "chen",
        "Analyse berth occupancy and fees against neighbouring harbors and propose the fee "
        "schedule for the next two years.",
        ("Data analysis", "Financial forecasting"),
        ("Asset management", "Council, board and cabinet briefings"),
        host_ranks=False,
    ),
    OpportunitySpec(
        "SL",
        "Digital Services Analyst",
        "yamamoto",
        "Move three of the city's most used paper forms online with the departments that own "
        "them, and measure the result.",
        ("Process improvement (Lean)", "Community outreach"),
        ("Project management", "Data analysis"),
        workplace=Workplace.REMOTE,
    ),
]


class NomineeSpec(NamedTuple):
    person: str  # person key
    first_choice: str | None  # title of seed 003's assignment idea for the person's position
    rationale: str


NOMINEES = [
    NomineeSpec(
        "delgado",
        "Assistant to the City Manager",
        "Runs our largest recreation division with a balanced budget and a strong record with "
        "the community; ready for citywide work.",
    ),
    NomineeSpec(
        "nakamura",
        "Senior Financial Analyst",
        "Built the youth program's grant tracking from scratch; wants to learn public finance.",
    ),
    NomineeSpec(
        "lindqvist",
        "Human Resources Representative",
        "The department's go-to person for recruitments and onboarding; ready for an HR career.",
    ),
    NomineeSpec(
        "johnson",
        "Management Assistant to Finance Director",
        "An excellent communicator who wants to understand the numbers behind the city's story.",
    ),
    NomineeSpec(
        "brooks",
        "Project Manager",
        "A strong engineer ready to manage a program: contracts, schedules and the public.",
    ),
    NomineeSpec(
        "benedetti",
        "Human Resources Coordinator",
        "Trusted by contractors and staff alike; leads the division's safety program.",
    ),
    NomineeSpec(
        "cho",
        "Recreation Supervisor",
        "A careful analyst who wants to run a front-line operation before moving up.",
    ),
    NomineeSpec(
        "haddad",
        None,
        "Has grown the city's business outreach program; ready for a regional view.",
    ),
    NomineeSpec(
        "marquez",
        "Economic Vitality Coordinator",
        "Leads long-range planning; wants to connect it with the economy of downtown.",
    ),
    NomineeSpec(
        "kowalski",
        None,
        "Our most promising budget analyst; needs experience outside the finance department.",
    ),
    NomineeSpec(
        "alvarez",
        "Budget Analyst",
        "Preparing for a fire chief role, which needs a strong grounding in municipal budgets.",
    ),
    NomineeSpec(
        "oconnell",
        None,
        "Writes the town's best staff reports; ready for a larger organisation.",
    ),
    NomineeSpec(
        "fuentes",
        None,
        "Led the county's operations center through the winter storms; a future manager.",
    ),
    NomineeSpec(
        "cabrera",
        None,
        "Delivered the reservoir project on time; wants to broaden beyond engineering.",
    ),
    NomineeSpec(
        "moreno",
        None,
        "Runs the district's busiest operations shift; ready for management analysis work.",
    ),
    NomineeSpec(
        "brown",
        "Assistant to the City Manager",
        "A natural leader of the district's seasonal staff; wants to see city administration.",
    ),
    NomineeSpec(
        "brennan",
        "Assistant to the City Manager",
        "Leads the department's community policing unit; preparing for a command role.",
    ),
    NomineeSpec(
        "rao",
        "Planning Specialist",
        "Our financial analyst for the harbor's capital plan; curious about land use.",
    ),
]

CONFLICTS = {
    "marquez": (
        "SL",
        "Her spouse works in the Santa Lucia Heights Community Development Department.",
    ),
    "fuentes": (
        "FD",
        "Sat on the district's fire chief selection panel this year.",
    ),
}

ENDORSEMENT_STEPS = ("Supervisor", "Department head", "City manager")
# who signs each step (nominations/endorsers.py): the nominee's supervisor, then officers of
# the nominee's organisation
ENDORSER_KINDS = (EndorserKind.SUPERVISOR, EndorserKind.ORGANIZATION, EndorserKind.ORGANIZATION)

RUBRIC = [
    (
        "Leadership potential",
        "Leads people and change; owns results; learns from setbacks.",
        Decimal("2.00"),
    ),
    (
        "Learning agility",
        "Picks up a new field quickly and asks the questions that matter.",
        Decimal("1.50"),
    ),
    (
        "Fit with the assignments ranked",
        "Brings skills the host needs and would grow the skills the assignment develops.",
        Decimal("1.50"),
    ),
    (
        "Communication",
        "Writes and speaks clearly to councils, boards, staff and residents.",
        Decimal("1.00"),
    ),
]


class PanelSpec(NamedTuple):
    name: str
    location: str
    members: tuple[str, ...]  # usernames: the demo panelist, or extra panel members
    days_from_today: int  # when the interviews were held


PANELS = [
    PanelSpec(
        "Panel A: general government",
        "Bayshore County Center, Room 201",
        ("panelist", "panel-hr-bayshore"),
        -6,
    ),
    PanelSpec(
        "Panel B: operations and public safety",
        "Bayshore Water District board room",
        ("panel-ops-transit", "panel-hr-cedarhollow"),
        -5,
    ),
]

# Extra panel members: managers and HR professionals from several agencies, no sign-in.
PANEL_MEMBERS = {
    "panel-hr-bayshore": ("Joanne", "Whitcombe", "Bayshore County HR"),
    "panel-ops-transit": ("Anthony", "Reyes", "Bayshore Transit"),
    "panel-hr-cedarhollow": ("Priscilla", "Nguyen-Hart", "Cedar Hollow HR"),
}

# Candidates whose interviews are not scored yet (the panel's notes are still to come).
UNSCORED = {"moreno", "oconnell"}

NOTES = (
    "Clear examples of leading a team through change.",
    "Thoughtful answers about the host's priorities; asked good questions.",
    "Strong on data; could say more about working with councils.",
    "Warm, direct communicator; would settle in quickly.",
    "Knows the subject; less experience supervising.",
    "",
    "",
)


def seed_exchange(seeder: _Seeder, cycle) -> None:
    """Opportunities, nominations, rankings and interviews of the current Bayshore cycle."""
    _Exchange(seeder, cycle).run()


class _Exchange:
    def __init__(self, seeder: _Seeder, cycle):
        self.s = seeder
        self.cycle = cycle
        self.program = cycle.program
        self.admin = seeder.users["admin"]
        self.opportunities: dict[str, Opportunity] = {}
        self.nominations: dict[str, Nomination] = {}
        self.skills_of: dict = {}

    def run(self) -> None:
        self.post_opportunities()
        self.endorsement_chain()
        self.nominate()
        self.rank_opportunities()
        self.interviews()
        self.rank_candidates()

    # -- helpers -------------------------------------------------------------------------------

    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        day = self.s.today + timedelta(days=days)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def coordinator_of(self, org_key: str) -> User:
        """Who posts and nominates for an agency: its demo coordinator, or the administrator
        on its behalf."""
        return {"MB": self.s.users["coordinator"], "CH": self.s.users["coordinator2"]}.get(
            org_key, self.admin
        )

    def helper_account(self, username: str, first: str, last: str, email: str) -> User:
        """An account that cannot sign in: an endorser or panel member in the story."""
        user = self.s.upsert(
            User,
            {"username": username},
            {"first_name": first, "last_name": last, "email": email, "is_active": True},
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    # -- opportunities -------------------------------------------------------------------------

    def post_opportunities(self) -> None:
        for spec in OPPORTUNITIES:
            host = self.s.orgs[spec.host]
            poster = self.coordinator_of(spec.host)
            opportunity = self.s.upsert(
                Opportunity,
                {"cycle": self.cycle, "host_organization": host, "title": spec.title},
                {
                    "description": spec.description,
                    "assignment_type": AssignmentType.EXCHANGE,
                    "duration_months": 3,
                    "start_earliest": START_EARLIEST,
                    "start_latest": START_LATEST,
                    "location": host.name if spec.workplace != Workplace.REMOTE else "",
                    "workplace": spec.workplace,
                    "capacity": spec.capacity,
                    "coach": self.s.people[spec.coach],
                    "status": OpportunityStatus.APPROVED,
                    "posted_by": poster,
                },
            )
            opportunity.skills_required.set([self.s.skills[n] for n in spec.required])
            opportunity.skills_developed.set([self.s.skills[n] for n in spec.developed])
            if not opportunity.transitions.exists():
                for source, target, actor, comment in (
                    (OpportunityStatus.DRAFT, OpportunityStatus.SUBMITTED, poster, ""),
                    (
                        OpportunityStatus.SUBMITTED,
                        OpportunityStatus.APPROVED,
                        self.admin,
                        "Approved for the 2027 spring exchange.",
                    ),
                ):
                    OpportunityTransition.objects.create(
                        opportunity=opportunity,
                        from_status=source,
                        to_status=target,
                        actor=actor,
                        comment=comment,
                    )
                    self.s.created[OpportunityTransition._meta.verbose_name_plural] += 1
            self.opportunities[spec.title] = opportunity

    # -- nominations and endorsements ------------------------------------------------------------

    def endorsement_chain(self) -> None:
        for order, title in enumerate(ENDORSEMENT_STEPS, start=1):
            self.s.upsert(
                EndorsementStep,
                {"program": self.program, "order": order},
                {"title": title, "kind": ENDORSER_KINDS[order - 1]},
            )

    def endorser(self, org_key: str, order: int, nominee_key: str) -> User:
        """The supervisor's own account when they have one (the demo supervisor signs for
        his reports); otherwise the agency's officer for that step, who cannot sign in."""
        supervisor_id = self.s.people[nominee_key].supervisor_id
        if order == 1 and supervisor_id:
            # read afresh: the account may have been linked after the person was loaded
            account = User.objects.filter(person__pk=supervisor_id).first()
            if account is not None:
                return account
        from .demo_data import ALL_ORGS

        org = self.s.orgs[org_key]
        title = ENDORSEMENT_STEPS[order - 1]
        slug = title.lower().replace(" ", "-")
        domain = next(spec.domain for spec in ALL_ORGS if spec.key == org_key)
        return self.helper_account(
            f"endorser-{org_key.lower()}-{slug}", org.short_name, title, f"{slug}@{domain}"
        )

    def nominate(self) -> None:
        nominations_close = self.s.today + timedelta(days=-36)
        for index, spec in enumerate(NOMINEES):
            person = self.s.people[spec.person]
            org_key = next(k for k, org in self.s.orgs.items() if org.pk == person.organization_id)
            nominated_on = nominations_close - timedelta(days=20 - index % 10)
            nomination = self.s.upsert(
                Nomination,
                {"cycle": self.cycle, "person": person},
                {
                    "home_organization": person.organization,
                    "status": NominationStatus.ENDORSED,
                    "nominated_by": self.coordinator_of(org_key),
                    "rationale": spec.rationale,
                    "backfill_plan": (
                        f"An acting appointment from {person.first_name}'s team covers the "
                        "post for the three months, as a development opportunity of its own."
                    ),
                    "profile_confirmed_at": self.at((nominated_on - self.s.today).days + 2, 10),
                },
            )
            self.nominations[spec.person] = nomination
            for order, title in enumerate(ENDORSEMENT_STEPS, start=1):
                self.s.upsert(
                    Endorsement,
                    {"nomination": nomination, "order": order},
                    {
                        "title": title,
                        "kind": ENDORSER_KINDS[order - 1],
                        "endorser": self.endorser(org_key, order, spec.person),
                        "decision": EndorsementDecision.ENDORSED,
                        "reason": "",
                        "decided_at": self.at((nominated_on - self.s.today).days + order, 9),
                    },
                )
            if spec.person in CONFLICTS:
                org, reason = CONFLICTS[spec.person]
                self.s.upsert(
                    ConflictOfInterest,
                    {"nomination": nomination, "organization": self.s.orgs[org]},
                    {"reason": reason},
                )

    # -- preferences ---------------------------------------------------------------------------

    def fit(self, person_key: str, opportunity: Opportunity) -> int:
        """How many of the assignment's skills the person already has."""
        if person_key not in self.skills_of:
            person = self.s.people[person_key]
            self.skills_of[person_key] = set(person.skills.values_list("pk", flat=True))
        if opportunity.pk not in self.skills_of:
            self.skills_of[opportunity.pk] = set(
                opportunity.skills_required.values_list("pk", flat=True)
            ) | set(opportunity.skills_developed.values_list("pk", flat=True))
        return len(self.skills_of[person_key] & self.skills_of[opportunity.pk])

    def rank_opportunities(self) -> None:
        for spec in NOMINEES:
            nomination = self.nominations[spec.person]
            if nomination.rankings.exists():
                continue  # a tester has ranked (or cleared) this list: leave it
            rng = random.Random(f"talent-exchange-demo:ranking:{nomination.person.work_email}")
            rankable = [
                o
                for o in self.opportunities.values()
                if o.host_organization_id != nomination.home_organization_id
            ]
            first = self.opportunities.get(spec.first_choice) if spec.first_choice else None
            others = [o for o in rankable if o != first]
            rng.shuffle(others)  # the tie-break between equally fitting assignments
            others.sort(key=lambda o: -self.fit(spec.person, o))
            count = rng.choice((3, 4, 5, 6))
            choices = ([first] if first else []) + others[: count - (1 if first else 0)]
            for rank, opportunity in enumerate(choices, start=1):
                ParticipantRanking.objects.create(
                    nomination=nomination, opportunity=opportunity, rank=rank
                )
            self.s.created[ParticipantRanking._meta.verbose_name_plural] += len(choices)

    def rank_candidates(self) -> None:
        """Hosts rank the candidates who chose them, best interview first."""
        scores = self.interview_totals()
        for spec in OPPORTUNITIES:
            opportunity = self.opportunities[spec.title]
            if not spec.host_ranks or opportunity.host_rankings.exists():
                continue
            candidates = list(
                Nomination.objects.filter(rankings__opportunity=opportunity).order_by(
                    "person__last_name"
                )
            )
            candidates.sort(key=lambda n: -scores.get(n.pk, 0))
            for rank, nomination in enumerate(candidates, start=1):
                HostRanking.objects.create(
                    opportunity=opportunity, nomination=nomination, rank=rank
                )
            self.s.created[HostRanking._meta.verbose_name_plural] += len(candidates)

    # -- interviews ----------------------------------------------------------------------------

    def interviews(self) -> None:
        criteria = [
            self.s.upsert(
                RubricCriterion,
                {"program": self.program, "name": name},
                {"order": order, "description": description, "weight": weight, "max_score": 5},
            )
            for order, (name, description, weight) in enumerate(RUBRIC, start=1)
        ]
        panel_members = {
            username: self.helper_account(
                username, first, last, f"{username}@bayshorecounty.example"
            )
            for username, (first, last, _org) in PANEL_MEMBERS.items()
        }
        panel_members["panelist"] = self.s.users["panelist"]
        half = (len(NOMINEES) + 1) // 2
        groups = [NOMINEES[:half], NOMINEES[half:]]
        for spec, group in zip(PANELS, groups, strict=True):
            panel = self.s.upsert(
                Panel, {"cycle": self.cycle, "name": spec.name}, {"location": spec.location}
            )
            members = [panel_members[username] for username in spec.members]
            present = set(panel.members.values_list("pk", flat=True))
            missing = [m for m in members if m.pk not in present]
            if missing:  # add() records a history row even when nothing is new
                panel.members.add(*missing)
            for slot, nominee in enumerate(group):
                nomination = self.nominations[nominee.person]
                if nomination.panel_assignments.filter(panel__cycle=self.cycle).exists():
                    assignment = nomination.panel_assignments.filter(panel=panel).first()
                else:
                    starts = self.at(spec.days_from_today, 9) + timedelta(minutes=50 * slot)
                    assignment = PanelAssignment.objects.create(
                        panel=panel,
                        nomination=nomination,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=45),
                    )
                    self.s.created[PanelAssignment._meta.verbose_name_plural] += 1
                if assignment is None or nominee.person in UNSCORED:
                    continue
                self.score(assignment, members, criteria, nominee.person)

    def score(self, assignment, members, criteria, person_key: str) -> None:
        email = self.s.people[person_key].work_email
        strength = random.Random(f"talent-exchange-demo:strength:{email}").choice((3, 3, 4, 4, 5))
        existing = set(
            Score.objects.filter(assignment=assignment).values_list("panelist_id", "criterion_id")
        )
        for member in members:
            rng = random.Random(f"talent-exchange-demo:score:{email}:{member.username}")
            for criterion in criteria:
                if (member.pk, criterion.pk) in existing:
                    continue
                value = max(1, min(5, strength + rng.choice((-1, 0, 0, 0, 1))))
                Score.objects.create(
                    assignment=assignment,
                    panelist=member,
                    criterion=criterion,
                    score=value,
                    notes=rng.choice(NOTES) if criterion.order == 1 else "",
                )
                self.s.created[Score._meta.verbose_name_plural] += 1

    def interview_totals(self) -> dict[int, float]:
        from talent_exchange.interviews.scoring import interview_scores

        return interview_scores(self.cycle)
