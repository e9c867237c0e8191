"""Demo placements: two assignments of the Bayshore program's previous (closed) cycle, as
the demo data (nonprod/demo_data.py) leaves it.

``seed_placements`` is idempotent: a placement is keyed on its accepted offer, and an
existing one is left as it is. It creates the accepted Offer, Nomination and Opportunity
rows the closed cycle needs when the offers workflow has not, and walks each placement
through the real services (signatures, start, check-ins, evaluations, return) so the
history reads as it would have happened.

1. Jordan Ellis, Police Sergeant at Mariposa Bay, three months as Assistant to the City
   Manager at Cedar Hollow; back home, promoted to Lieutenant (6-month outcome recorded);
   closed.
2. Kevin Tran, Senior Financial Analyst at Cedar Hollow, three months as Budget Manager at
   Mariposa Bay; the host reorganised and the assignment ended two weeks early; back home,
   the 6-month outcome is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import TextIOBase

from django.db import transaction
from django.utils import timezone

from talent_exchange.accounts.models import User
from talent_exchange.matches.models import MatchRun, Offer
from talent_exchange.nominations.models import Nomination
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Cycle, Phase

from . import services
from .models import Placement, PlacementTransition, Signature, add_months

PROGRAM = "Bayshore Management Talent Exchange Program"
CLOSED_CYCLE = "2026 Spring Exchange"


@dataclass(frozen=True)
class DemoPlacement:
    person: tuple[str, str]
    host: str
    coach: tuple[str, str]
    title: str
    description: str
    objectives: tuple[tuple[str, str, str, str], ...]  # objective, indicators, result, evidence
    checkin_notes: tuple[str, ...]
    lessons: str
    early_end: tuple[int, str] | None  # (days before the planned end, reason)
    outcome: dict | None
    close: bool


DEMO = (
    DemoPlacement(
        person=("Jordan", "Ellis"),
        host="City of Cedar Hollow",
        coach=("Aaliyah", "Johnson"),
        title="Assistant to the City Manager",
        description=(
            "Three months in the City Manager's Office: staff the council agenda, lead the "
            "mid-year budget review of two departments, and run the community survey."
        ),
        objectives=(
            (
                "Prepare and present two council staff reports.",
                "Both reports accepted by the City Manager without major rewrite; one "
                "presented at a council meeting.",
                "achieved",
                "Reports on the parking ordinance and the survey contract; presented the "
                "survey contract on 14 April.",
            ),
            (
                "Lead the mid-year budget review of Parks and Library.",
                "Review memo delivered by the deadline with at least three savings options.",
                "partly",
                "Memo delivered a week late with two savings options; the Library review "
                "was finished by the budget office.",
            ),
        ),
        checkin_notes=(
            "First month: settling in; agreed the council calendar and the budget review "
            "scope. Next: draft the parking report.",
            "Parking report through two drafts; survey vendor chosen. Working on pacing the "
            "budget review.",
        ),
        lessons=(
            "Brief the council liaison before drafting, not after: it saved a week on the "
            "second report. Sworn staff bring useful field knowledge to budget reviews; "
            "give them the department's data early."
        ),
        early_end=None,
        outcome={
            "promoted": True,
            "new_role": True,
            "still_with_home": True,
            "obligation_fulfilled": None,
            "position": "Police Lieutenant, Administrative Services",
            "notes": "Promoted in the autumn; now runs the department's budget.",
        },
        close=True,
    ),
    DemoPlacement(
        person=("Kevin", "Tran"),
        host="City of Mariposa Bay",
        coach=("Dana", "Whitfield"),
        title="Budget Manager",
        description=(
            "Lead the city's budget team through the spring budget: department meetings, "
            "the proposed budget book and the council study session."
        ),
        objectives=(
            (
                "Deliver the proposed budget book on time.",
                "Book published for the study session with no late corrections.",
                "achieved",
                "Published on 2 May; two minor corrections.",
            ),
        ),
        checkin_notes=(
            "Department meetings on track; agreed to pair with the finance director on the "
            "revenue forecast.",
        ),
        lessons=(
            "A three-month assignment in a budget season is intense: start it two weeks "
            "before the department meetings so the participant knows the people."
        ),
        early_end=(14, "The host reorganised its finance division; the work ended early."),
        outcome=None,
        close=False,
    ),
)


def seed_placements(stdout: TextIOBase | None = None, *, today: date | None = None) -> int:
    """Create the demo placements that are missing; returns how many were created."""
    cycle = Cycle.objects.filter(program__name=PROGRAM, name=CLOSED_CYCLE).first()
    if cycle is None:
        if stdout:
            stdout.write("Demo placements: no closed Bayshore cycle; run seed_demo first.\n")
        return 0
    admin = User.objects.get(username="admin")
    phase = cycle.phases.filter(phase=Phase.PLACEMENTS).first()
    start = _first_of_month(phase.opens_on if phase else timezone.localdate() - timedelta(365))
    created = 0
    with transaction.atomic():
        for spec in DEMO:
            if _seed_one(cycle, admin, spec, start):
                created += 1
    if stdout:
        stdout.write(f"Demo placements: {created} created.\n")
    return created


def _seed_one(cycle: Cycle, admin: User, spec: DemoPlacement, start: date) -> bool:
    person = Person.objects.get(first_name=spec.person[0], last_name=spec.person[1])
    coach = Person.objects.get(first_name=spec.coach[0], last_name=spec.coach[1])
    offer = _accepted_offer(cycle, admin, person, coach, spec, start)
    if Placement.objects.filter(offer=offer).exists():
        return False
    participant = _account(person)
    coach_user = _account(coach)
    placement = services.start_placement(offer, admin)
    services.update_terms(
        placement,
        admin,
        reimbursement=(
            "The host reimburses the home organisation quarterly for its share of salary; "
            "mileage between the two city halls is paid by the host."
        ),
        salary_home_percent=50,
        salary_host_percent=50,
    )
    services.sign_agreement(placement, participant, "participant", ip_address="192.0.2.10")
    services.sign_agreement(
        placement, _coordinator(placement.home_organization_id), "home", ip_address="192.0.2.20"
    )
    services.sign_agreement(
        placement, _coordinator(placement.host_organization_id), "host", ip_address="192.0.2.30"
    )
    objectives = [
        services.add_objective(placement, coach_user, description, indicators)
        for description, indicators, _result, _evidence in spec.objectives
    ]
    placement = services.activate_placement(placement, admin, today=placement.start_date)
    for checkin, notes in zip(placement.checkins.all(), spec.checkin_notes, strict=False):
        services.record_checkin(checkin, coach_user, checkin.due_on + timedelta(days=2), notes)
    if spec.early_end:
        days, reason = spec.early_end
        placement = services.end_placement_early(
            placement, admin, placement.end_date - timedelta(days=days), reason
        )
    for objective, (_d, _i, result, evidence) in zip(objectives, spec.objectives, strict=True):
        services.review_objective(objective, coach_user, result, evidence)
    for evaluation in placement.evaluations.all():
        answerer = {"participant": participant, "host_supervisor": coach_user}.get(
            evaluation.respondent
        )
        if answerer is None:
            continue
        services.submit_evaluation(
            evaluation,
            answerer,
            rating=4,
            comments="On track; good working relationship with the host team.",
            lessons_learned=spec.lessons if evaluation.respondent == "participant" else "",
            share_with_program=evaluation.respondent == "participant",
        )
    placement = services.record_return(
        placement,
        admin,
        placement.end_date + timedelta(days=1),
        placement.agreement.return_position,
    )
    if spec.outcome:
        outcome = placement.outcomes.get(months_after=6)
        services.record_outcome(outcome, admin, today=outcome.due_on, **spec.outcome)
    if spec.close:
        placement = services.close_placement(placement, admin, note="All done.")
    _backdate(placement)
    return True


def _accepted_offer(cycle, admin, person, coach, spec: DemoPlacement, start: date) -> Offer:
    existing = Offer.objects.filter(
        nomination__cycle=cycle, nomination__person=person, status="accepted"
    ).first()
    if existing:
        return existing
    run = MatchRun.objects.filter(cycle=cycle, published_at__isnull=False).first()
    if run is None:
        run = MatchRun.objects.create(
            cycle=cycle,
            mode="optimal",
            status="succeeded",
            progress=100,
            started_by=admin,
            published_by=admin,
            published_at=timezone.now(),
        )
    nomination, _ = Nomination.objects.get_or_create(
        cycle=cycle,
        person=person,
        defaults={
            "home_organization": person.organization,
            "status": "endorsed",
            "nominated_by": admin,
            "rationale": "Strong record; ready for a stretch assignment outside their field.",
        },
    )
    opportunity, _ = Opportunity.objects.get_or_create(
        cycle=cycle,
        host_organization=coach.organization,
        title=spec.title,
        defaults={
            "description": spec.description,
            "assignment_type": "exchange",
            "duration_months": 3,
            "start_earliest": start,
            "start_latest": start,
            "coach": coach,
            "status": "approved",
            "posted_by": admin,
        },
    )
    return Offer.objects.create(
        run=run,
        nomination=nomination,
        opportunity=opportunity,
        status="accepted",
        respond_by=start - timedelta(days=21),
        responded_at=timezone.now(),
    )


def _account(person: Person) -> User:
    """The person's account; demo people outside the personas get one that cannot sign in."""
    if person.user is not None:
        return person.user
    user, created = User.objects.get_or_create(
        username=person.work_email.split("@")[0],
        defaults={
            "email": person.work_email,
            "first_name": person.first_name,
            "last_name": person.last_name,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    person.user = user
    person.save(update_fields=["user"])
    return user


def _coordinator(org_id: int) -> User:
    from talent_exchange.accounts.models import RoleGrant

    return RoleGrant.objects.coordinators_by_organization([org_id])[org_id][0]


def _backdate(placement: Placement) -> None:
    """Signatures and transitions carry the dates they would have had (both tables refuse
    edits through ``save``; a seed may set them once, with an update)."""
    signed = _at(placement.start_date - timedelta(days=20), hour=10)
    Signature.objects.filter(agreement__placement=placement).update(signed_at=signed)
    placement.agreement.__class__.objects.filter(pk=placement.agreement.pk).update(
        frozen_at=signed + timedelta(hours=3)
    )
    moments = {
        "active": placement.start_date,
        "ended_early": placement.end_date,
        "returned": placement.returned_on,
        "closed": min(add_months(placement.returned_on, 7), timezone.localdate())
        if placement.returned_on
        else None,
    }
    for transition in PlacementTransition.objects.filter(placement=placement):
        day = moments.get(transition.to_state)
        if day:
            PlacementTransition.objects.filter(pk=transition.pk).update(at=_at(day, hour=9))


def _at(day: date, *, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _first_of_month(day: date) -> date:
    return day.replace(day=1)
