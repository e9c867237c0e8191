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

So a program administrator can start, compare and publish a match at once.

It is built as people build it with the product, through the same services and in the order
their rules require: each agency's coordinator posts and submits its assignments and the
administrator approves them while the cycle takes opportunities (``opportunities.services``);
the cycle then moves on to preferences (``programs.services.move_cycle``); nominees and hosts
rank (``preferences.services``); the administrator makes the panel members panelists of the
cycle (``accounts.services.grant_role``), forms the panels, assigns and schedules the
candidates, and each panelist records their scores (``interviews.services``). What has no
service of its own is written directly: the rubric (kept in the back office), the
nominations and their endorsements (see ``nominate``).

Everything is keyed on natural keys and written only when missing; assignments, rankings,
panel places and scores a tester has changed are left as they are. Choices come from
generators seeded per person, so the output is the same on every machine.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.utils import timezone

from talent_exchange.accounts.models import Role, User
from talent_exchange.interviews import services as interviewing
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
from talent_exchange.opportunities import services as postings
from talent_exchange.opportunities.models import Opportunity, Workplace
from talent_exchange.people.models import AssignmentType
from talent_exchange.preferences import services as rankings
from talent_exchange.preferences.models import HostRanking, ParticipantRanking

from .data import as_spec, load

if TYPE_CHECKING:
    from .demo_data import _Seeder


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
    # French versions (core/bilingual.py), blank when the demo has none
    title_fr: str = ""
    description_fr: str = ""


class NomineeSpec(NamedTuple):
    person: str  # person key
    first_choice: str | None  # title of seed 003's assignment idea for the person's position
    rationale: str


class PanelSpec(NamedTuple):
    name: str
    location: str
    members: tuple[str, ...]  # usernames: the demo panelist, or extra panel members
    days_from_today: int  # when the interviews were held


# The content is in nonprod/data/exchange.json.
_data = load("exchange")
# Three-month assignments starting in February or by the beginning of March 2027 (the
# placements phase of the demo cycle opens ten weeks after the demo's reference date).
START_EARLIEST = date.fromisoformat(_data["start_earliest"])
START_LATEST = date.fromisoformat(_data["start_latest"])
OPPORTUNITIES = [as_spec(OpportunitySpec, row) for row in _data["opportunities"]]
NOMINEES = [as_spec(NomineeSpec, row) for row in _data["nominees"]]
# person key -> (organisation key, reason)
CONFLICTS: dict[str, tuple[str, str]] = {
    person: (row["organization"], row["reason"]) for person, row in _data["conflicts"].items()
}
ENDORSEMENT_STEPS: tuple[str, ...] = tuple(step["title"] for step in _data["endorsement_steps"])
# who signs each step (nominations/endorsers.py): the nominee's supervisor, then officers of
# the nominee's organisation
ENDORSER_KINDS = tuple(EndorserKind(step["kind"]) for step in _data["endorsement_steps"])
RUBRIC = [(row["name"], row["description"], Decimal(row["weight"])) for row in _data["rubric"]]
PANELS = [as_spec(PanelSpec, row) for row in _data["panels"]]
# Extra panel members: managers and HR professionals from several agencies, no sign-in.
PANEL_MEMBERS: dict[str, tuple[str, str, str]] = {
    username: (row["first_name"], row["last_name"], row["organization"])
    for username, row in _data["panel_members"].items()
}
# Candidates whose interviews are not scored yet (the panel's notes are still to come).
UNSCORED: set[str] = set(_data["unscored"])
NOTES: tuple[str, ...] = tuple(_data["notes"])
APPROVAL_NOTE: str = _data["approval_note"]


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
        self.post_opportunities()  # while the cycle takes opportunities
        self.endorsement_chain()
        self.nominate()
        self.cycle = self.s.advance(self.cycle, self.s.cycle_states[self.cycle.name])
        self.rank_opportunities()
        self.interviews()
        self.rank_candidates()

    # -- helpers -------------------------------------------------------------------------------

    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        day = self.s.today + timedelta(days=days)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def coordinator_of(self, org_key: str) -> User:
        """Who posts, nominates and ranks for an agency: its coordinator (the two demo
        coordinators, or the agency's own, who cannot sign in)."""
        return self.s.coordinators[org_key]

    # -- opportunities -------------------------------------------------------------------------

    def post_opportunities(self) -> None:
        """Each agency's coordinator posts and submits its assignments, the administrator
        approves them (``opportunities.services``), while the cycle takes opportunities. One
        already posted is left as it is (a tester may have withdrawn it)."""
        for spec in OPPORTUNITIES:
            host = self.s.orgs[spec.host]
            existing = Opportunity.objects.filter(
                cycle=self.cycle, host_organization=host, title=spec.title
            ).first()
            if existing is not None:
                self.opportunities[spec.title] = existing
                continue
            poster = self.coordinator_of(spec.host)
            draft = Opportunity(
                cycle=self.cycle,
                host_organization=host,
                title=spec.title,
                description=spec.description,
                title_fr=spec.title_fr,
                description_fr=spec.description_fr,
                assignment_type=AssignmentType.EXCHANGE,
                duration_months=3,
                start_earliest=START_EARLIEST,
                start_latest=START_LATEST,
                location=host.name if spec.workplace != Workplace.REMOTE else "",
                workplace=spec.workplace,
                capacity=spec.capacity,
                coach=self.s.people[spec.coach],
            )
            postings.save_draft(
                draft,
                actor=poster,
                skills_required=[self.s.skills[n] for n in spec.required],
                skills_developed=[self.s.skills[n] for n in spec.developed],
            )
            # (the workflow moves this copy along, and it reads the cycle the seed moves on)
            postings.submit(draft, actor=poster)
            postings.approve(draft, actor=self.admin, comment=APPROVAL_NOTE)
            self.s.created[Opportunity._meta.verbose_name_plural] += 1
            self.opportunities[spec.title] = draft

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
        return self.s.helper_account(
            f"endorser-{org_key.lower()}-{slug}", org.short_name, title, f"{slug}@{domain}"
        )

    def nominate(self) -> None:
        """Endorsed nominations, written directly rather than through
        ``nominations.services``: the demo's endorsers beyond the supervisor are agency
        officers without a talent profile, whom the endorsement rule (``endorsers.py``, rule
        4) refuses, and the services would open an account for every nominee and mail the
        chain. Seeding them as the product would needs those officers as people of the
        data first (a change of the demo's content)."""
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
            # What the ranking page offers: not their own organisation's, nor one of an
            # organisation they declared a conflict of interest with.
            offered = set(rankings.rankable_opportunities(nomination).values_list("pk", flat=True))
            rankable = [o for o in self.opportunities.values() if o.pk in offered]
            first = self.opportunities.get(spec.first_choice) if spec.first_choice else None
            if first is not None and first.pk not in offered:
                first = None
            others = [o for o in rankable if o != first]
            rng.shuffle(others)  # the tie-break between equally fitting assignments
            others.sort(key=lambda o: -self.fit(spec.person, o))
            count = rng.choice((3, 4, 5, 6))
            choices = ([first] if first else []) + others[: count - (1 if first else 0)]
            # Ranked as on the ranking page: by the nominee, or the administrator for them.
            ranker = nomination.person.user or self.admin
            for opportunity in choices:
                rankings.change_participant_ranking(
                    nomination, "add", opportunity.pk, actor=ranker, today=self.s.today
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
            ranker = self.coordinator_of(spec.host)
            for nomination in candidates:
                rankings.change_host_ranking(
                    opportunity, "add", nomination.pk, actor=ranker, today=self.s.today
                )
            self.s.created[HostRanking._meta.verbose_name_plural] += len(candidates)

    # -- interviews ----------------------------------------------------------------------------

    def interviews(self) -> None:
        """The administrator forms the panels of the cycle's panelists, assigns the
        candidates and gives each a slot; each panelist records their scores
        (``interviews.services``). Panel places and scores already there are left as they
        are (a tester may have changed them)."""
        criteria = [
            # The rubric is kept in the back office (no service): written as the admin does.
            self.s.upsert(
                RubricCriterion,
                {"program": self.program, "name": name},
                {"order": order, "description": description, "weight": weight, "max_score": 5},
            )
            for order, (name, description, weight) in enumerate(RUBRIC, start=1)
        ]
        panel_members = {
            username: self.s.helper_account(
                username, first, last, f"{username}@bayshorecounty.example"
            )
            for username, (first, last, _org) in PANEL_MEMBERS.items()
        }
        for member in panel_members.values():  # only panelists of the cycle sit on its panels
            self.s.grant(member, Role.PANELIST, by="admin", cycle=self.cycle)
        panel_members["panelist"] = self.s.users["panelist"]
        half = (len(NOMINEES) + 1) // 2
        groups = [NOMINEES[:half], NOMINEES[half:]]
        for spec, group in zip(PANELS, groups, strict=True):
            members = [panel_members[username] for username in spec.members]
            panel = self.panel(spec, members)
            for slot, nominee in enumerate(group):
                nomination = self.nominations[nominee.person]
                if nomination.panel_assignments.filter(panel__cycle=self.cycle).exists():
                    assignment = nomination.panel_assignments.filter(panel=panel).first()
                else:
                    starts = self.at(spec.days_from_today, 9) + timedelta(minutes=50 * slot)
                    assignment = interviewing.assign_candidate(panel, nomination, actor=self.admin)
                    interviewing.schedule_interview(
                        assignment, starts, starts + timedelta(minutes=45), actor=self.admin
                    )
                    self.s.created[PanelAssignment._meta.verbose_name_plural] += 1
                if assignment is None or nominee.person in UNSCORED:
                    continue
                self.score(assignment, members, criteria, nominee.person)

    def panel(self, spec: PanelSpec, members: list[User]) -> Panel:
        """The panel, formed by the administrator; members missing from it join."""
        panel = Panel.objects.filter(cycle=self.cycle, name=spec.name).first()
        if panel is None:
            panel = Panel(cycle=self.cycle, name=spec.name, location=spec.location)
            self.s.created[Panel._meta.verbose_name_plural] += 1
        else:
            present = set(panel.members.values_list("pk", flat=True))
            if all(m.pk in present for m in members):
                return panel
            members = [*panel.members.all(), *(m for m in members if m.pk not in present)]
        return interviewing.save_panel(panel, members, actor=self.admin)

    def score(self, assignment, members, criteria, person_key: str) -> None:
        """Each member who has not scored the candidate yet scores them on every criterion."""
        email = self.s.people[person_key].work_email
        strength = random.Random(f"talent-exchange-demo:strength:{email}").choice((3, 3, 4, 4, 5))
        scored = set(
            Score.objects.filter(assignment=assignment).values_list("panelist_id", flat=True)
        )
        for member in members:
            if member.pk in scored:
                continue
            rng = random.Random(f"talent-exchange-demo:score:{email}:{member.username}")
            scores = {}
            for criterion in criteria:
                value = max(1, min(5, strength + rng.choice((-1, 0, 0, 0, 1))))
                scores[criterion.pk] = (value, rng.choice(NOTES) if criterion.order == 1 else "")
            interviewing.record_scores(assignment, scores, actor=member)
            self.s.created[Score._meta.verbose_name_plural] += len(scores)

    def interview_totals(self) -> dict[int, float]:
        from talent_exchange.interviews.scoring import interview_scores

        return interview_scores(self.cycle)
