"""The writes of executive development: each checks the permission, runs in a transaction,
locks what it changes and names the actor in the history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.accounts.models import User
from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.notifications.services import absolute_url, notify
from talent_exchange.people.models import Person
from talent_exchange.placements.models import Placement, PlacementTransition
from talent_exchange.placements.models import Status as PlacementStatus
from talent_exchange.programs.models import Program

from .mobility import organization_ids
from .models import (
    ASSIGNMENT_ACTIVITIES,
    PLAN_WORKFLOW,
    ActivityType,
    AssignmentReport,
    Board,
    Competency,
    Decision,
    DevelopmentPlan,
    ExceptionStatus,
    FrameworkVersion,
    ItemStatus,
    MobilityAgreement,
    MobilityException,
    MobilityRule,
    PlanItem,
    PlanStatus,
    ProgressAuthor,
    ProgressEntry,
    ReviewDecision,
    ReviewSession,
    SavedSearch,
    SuccessionCandidate,
)

OPEN_ITEMS = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)

# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


def create_plan(
    person: Person,
    program: Program,
    year: int,
    framework: FrameworkVersion,
    *,
    actor: User,
    goals: str = "",
) -> DevelopmentPlan:
    """A new plan for ``year``; last year's plan is carried forward: its goals and the items
    not finished yet (when it used the same framework version)."""
    plan = DevelopmentPlan(person=person, program=program, year=year, framework=framework)
    require(actor, "development.add_developmentplan", plan, _("You cannot start this plan."))
    if person.organization_id not in organization_ids(program):
        raise ActionRefused(
            _("%(person)s does not work for an organisation of %(program)s.")
            % {"person": person, "program": program}
        )
    with transaction.atomic():
        if DevelopmentPlan.objects.filter(person=person, program=program, year=year).exists():
            raise ActionRefused(
                _("%(person)s already has a plan for %(year)s.") % {"person": person, "year": year}
            )
        previous = (
            DevelopmentPlan.objects.filter(person=person, program=program, year__lt=year)
            .order_by("-year")
            .first()
        )
        plan.carried_from = previous
        plan.goals = goals or (previous.goals if previous else "")
        attribute_to(plan, actor)
        plan.save()
        if previous is not None and previous.framework_id == framework.pk:
            for item in previous.items.filter(status__in=OPEN_ITEMS):
                copy = PlanItem(
                    plan=plan,
                    competency_id=item.competency_id,
                    activity_type=item.activity_type,
                    description=item.description,
                    starts_on=item.starts_on,
                    ends_on=item.ends_on,
                    cost=item.cost,
                    status=item.status,
                    success_criteria=item.success_criteria,
                    placement_id=item.placement_id,
                )
                attribute_to(copy, actor)
                copy.save()
    return plan


def add_item(
    plan: DevelopmentPlan,
    *,
    actor: User,
    competency: Competency,
    activity_type: str,
    description: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    cost: Decimal = Decimal("0.00"),
    success_criteria: str = "",
    placement: Placement | None = None,
) -> PlanItem:
    PLAN_WORKFLOW.require(plan, "edit", actor=actor)
    errors: dict[str, Any] = {}
    if competency.version_id != plan.framework_id:
        errors["competency"] = _(
            "“%(competency)s” is not in the plan's framework (%(framework)s)."
        ) % {"competency": competency, "framework": plan.framework}
    if placement is not None:
        if placement.person_id != plan.person_id:
            errors["placement"] = _(
                "This placement is %(other)s's, not %(person)s's: a plan item can only be "
                "linked to a placement of the plan's own person."
            ) % {"other": placement.person, "person": plan.person}
        elif activity_type not in ASSIGNMENT_ACTIVITIES:
            errors["placement"] = _(
                "Only a developmental assignment (a detail, rotation, sabbatical, "
                "interagency project or fellowship) is linked to a placement."
            )
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The end cannot be before the start.")
    if cost < 0:
        errors["cost"] = _("A cost cannot be negative.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
        item = PlanItem(
            plan=plan,
            competency=competency,
            activity_type=activity_type,
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            cost=cost,
            success_criteria=success_criteria,
            placement=placement,
            status=(
                ItemStatus.COMPLETED
                if placement is not None and placement.status == PlacementStatus.CLOSED
                else ItemStatus.PLANNED
            ),
        )
        attribute_to(item, actor)
        item.save()
    return item


def _plan_link(plan: DevelopmentPlan) -> str:
    return absolute_url(reverse("development:plan", args=[plan.pk]))


def submit_plan(plan: DevelopmentPlan, *, actor: User) -> DevelopmentPlan:
    def has_items(locked: DevelopmentPlan) -> None:
        if not locked.items.exists():
            raise ActionRefused(_("Add at least one activity before submitting the plan."))

    with transaction.atomic():
        locked = PLAN_WORKFLOW.perform(plan, "submit", actor=actor, check=has_items)
        supervisor = plan.person.supervisor
        if supervisor is not None and supervisor.user_id:
            notify(
                "development/plan_submitted",
                [supervisor.user],
                {"plan": locked, "link": _plan_link(locked)},
                key=f"development:plan:{locked.pk}:submitted:{locked.transitions.count()}",
            )
    return locked


def approve_plan(plan: DevelopmentPlan, *, actor: User, note: str = "") -> DevelopmentPlan:
    with transaction.atomic():
        locked = PLAN_WORKFLOW.perform(
            plan, "approve", actor=actor, note=note, reviewed_on=timezone.localdate()
        )
        _tell_person(locked, "development/plan_approved", "approved")
    return locked


def request_revision(plan: DevelopmentPlan, *, actor: User, note: str) -> DevelopmentPlan:
    with transaction.atomic():
        locked = PLAN_WORKFLOW.perform(
            plan, "request_revision", actor=actor, note=note, reviewed_on=timezone.localdate()
        )
        _tell_person(locked, "development/plan_revision", "revision", note=note)
    return locked


def _tell_person(plan: DevelopmentPlan, template: str, occasion: str, **extra: Any) -> None:
    user = plan.person.user
    if user is None:
        return
    notify(
        template,
        [user],
        {"plan": plan, "link": _plan_link(plan), **extra},
        key=f"development:plan:{plan.pk}:{occasion}:{plan.transitions.count()}",
    )


def write_progress(plan: DevelopmentPlan, *, actor: User, stage: str, text: str) -> ProgressEntry:
    """The 6-month or year-end entry of the person or of their supervisor (one each)."""
    require(
        actor,
        "development.write_progress",
        plan,
        _("Only the person and their supervisor write progress on a plan."),
    )
    if plan.status != PlanStatus.APPROVED:
        raise ActionRefused(_("Progress is written on an approved plan."))
    if not text.strip():
        raise ValidationError({"text": _("Write what progress was made.")})
    roles = roles_of(actor)
    author = (
        ProgressAuthor.PERSON if roles.person_id == plan.person_id else ProgressAuthor.SUPERVISOR
    )
    with transaction.atomic():
        entry = (
            ProgressEntry.objects.select_for_update()
            .filter(plan=plan, stage=stage, author_role=author)
            .first()
        ) or ProgressEntry(plan=plan, stage=stage, author_role=author)
        entry.text = text.strip()
        entry.written_by = actor
        attribute_to(entry, actor)
        entry.save()
    return entry


def on_placement_transition(
    sender: Any, instance: PlacementTransition, created: bool, **kw: Any
) -> None:
    """A closed placement completes the plan items linked to it (inside the close's
    transaction, attributed to whoever closed it)."""
    if not created or instance.to_state != PlacementStatus.CLOSED:
        return
    for item in PlanItem.objects.select_for_update().filter(
        placement_id=instance.placement_id, status__in=OPEN_ITEMS
    ):
        item.status = ItemStatus.COMPLETED
        attribute_to(item, instance.actor)
        item.save()


def sign_mobility_agreement(
    person: Person, program: Program, *, actor: User, text: str
) -> MobilityAgreement:
    agreement = MobilityAgreement(person=person, program=program, text=text)
    require(
        actor,
        "development.sign_mobilityagreement",
        agreement,
        _("Only the executive signs their own mobility agreement."),
    )
    with transaction.atomic():
        existing = (
            MobilityAgreement.objects.select_for_update()
            .filter(person=person, program=program)
            .first()
        )
        if existing is not None and existing.signed_at is not None:
            raise ActionRefused(_("The mobility agreement is already signed."))
        agreement = existing or agreement
        agreement.text = text
        agreement.signed_by = actor
        agreement.signed_at = timezone.now()
        attribute_to(agreement, actor)
        agreement.save()
    return agreement


# ---------------------------------------------------------------------------------------------
# Mobility rules and exceptions
# ---------------------------------------------------------------------------------------------


def save_rule(program: Program, *, actor: User, **fields: Any) -> MobilityRule:
    require(
        actor,
        "development.change_mobilityrule",
        program,
        _("Only the program's administrators set its mobility rule."),
    )
    with transaction.atomic():
        rule = MobilityRule.objects.select_for_update().filter(
            program=program
        ).first() or MobilityRule(program=program)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.full_clean()
        attribute_to(rule, actor)
        rule.save()
    return rule


def request_exception(
    person: Person,
    program: Program,
    *,
    actor: User,
    reason: str,
    explanation: str,
    starts_on: date,
    ends_on: date | None,
) -> MobilityException:
    exception = MobilityException(
        person=person,
        program=program,
        reason=reason,
        explanation=explanation.strip(),
        starts_on=starts_on,
        ends_on=ends_on,  # type: ignore[misc]  # checked below
        requested_by=actor,
    )
    require(
        actor,
        "development.request_exception",
        exception,
        _("Only the executive, their supervisor or the program's administrators ask for this."),
    )
    errors: dict[str, Any] = {}
    if not exception.explanation:
        errors["explanation"] = _("Say why the exception is needed.")
    if ends_on is None:
        errors["ends_on"] = _("An exception needs an end date: exceptions expire.")
    elif ends_on < starts_on:
        errors["ends_on"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        attribute_to(exception, actor)
        exception.save()
    return exception


def decide_exception(
    exception: MobilityException, *, actor: User, approve: bool
) -> MobilityException:
    require(
        actor,
        "development.decide_exception",
        exception,
        _("Only the program's board approves or refuses an exception."),
    )
    with transaction.atomic():
        locked: MobilityException = MobilityException.objects.select_for_update().get(
            pk=exception.pk
        )
        if locked.status != ExceptionStatus.REQUESTED:
            raise ActionRefused(
                _("This exception was already decided (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        locked.status = ExceptionStatus.APPROVED if approve else ExceptionStatus.REFUSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        attribute_to(locked, actor)
        locked.save()
    exception.status = locked.status
    return locked


# ---------------------------------------------------------------------------------------------
# Board review
# ---------------------------------------------------------------------------------------------


def board_for(program: Program) -> Board:
    board, _created = Board.objects.get_or_create(
        program=program,
        defaults={"name": _("Executive Resources Board of %(program)s") % {"program": program}},
    )
    return board


def open_session(program: Program, year: int, *, actor: User, held_on: date) -> ReviewSession:
    require(
        actor,
        "development.add_reviewsession",
        program,
        _("Only the program's board or administrators open a review session."),
    )
    with transaction.atomic():
        board = board_for(program)
        session, _created = ReviewSession.objects.get_or_create(
            board=board, year=year, defaults={"held_on": held_on}
        )
    return session


def record_decision(
    session: ReviewSession,
    person: Person,
    *,
    actor: User,
    decision: str,
    notes: str = "",
) -> ReviewDecision:
    """The board's decision on one executive for the session's year, carried into the
    person's plan of that year and sent to them."""
    require(
        actor,
        "development.decide_review",
        session,
        _("Only a member of this program's board records review decisions."),
    )
    if person.organization_id not in organization_ids(session.board.program):
        raise ActionRefused(
            _("%(person)s is not an executive of this board's program.") % {"person": person}
        )
    with transaction.atomic():
        row = (
            ReviewDecision.objects.select_for_update()
            .filter(session=session, person=person)
            .first()
        ) or ReviewDecision(session=session, person=person)
        row.decision = decision
        row.notes = notes.strip()
        row.decided_by = actor
        attribute_to(row, actor)
        row.save()
        plan = (
            DevelopmentPlan.objects.select_for_update()
            .filter(person=person, program_id=session.board.program_id, year=session.year)
            .first()
        )
        if plan is not None:
            _carry_into_plan(plan, row, actor)
        if decision == Decision.EXCEPTION_GRANTED:
            for pending in MobilityException.objects.pending().filter(
                person=person, program_id=session.board.program_id
            ):
                decide_exception(pending, actor=actor, approve=True)
        if person.user_id:
            notify(
                "development/board_decision",
                [person.user],
                {
                    "decision": row,
                    "link": absolute_url(reverse("development:plans")),
                },
                key=f"development:decision:{row.pk}:{decision}",
            )
    return row


def _carry_into_plan(plan: DevelopmentPlan, row: ReviewDecision, actor: User) -> None:
    label = row.get_decision_display()
    plan.board_notes = "\n".join(
        part for part in (plan.board_notes, f"{row.session.year}: {label}. {row.notes}") if part
    ).strip()
    plan.reviewed_on = timezone.localdate()
    attribute_to(plan, actor)
    plan.save(update_fields=["board_notes", "reviewed_on"])
    if row.decision == Decision.RECOMMEND_ASSIGNMENT:
        competency = (
            Competency.objects.filter(version=plan.framework, parent__isnull=True).first()
            if not plan.items.exists()
            else plan.items.first().competency  # type: ignore[union-attr]
        )
        if competency is not None:
            item = PlanItem(
                plan=plan,
                competency=competency,
                activity_type=ActivityType.DETAIL,
                description=_("Developmental assignment recommended by the board"),
                success_criteria=row.notes,
            )
            attribute_to(item, actor)
            item.save()
    if row.decision == Decision.REVISE and PLAN_WORKFLOW.allows(plan, "request_revision"):
        PLAN_WORKFLOW.perform(
            plan, "request_revision", actor=actor, note=row.notes or str(row.get_decision_display())
        )


# ---------------------------------------------------------------------------------------------
# Talent search and succession
# ---------------------------------------------------------------------------------------------


def save_search(owner: User, name: str, query: str) -> SavedSearch:
    require(owner, "development.search_talent", None, _("You cannot search the talent file."))
    if not name.strip():
        raise ValidationError({"name": _("Give the search a name.")})
    with transaction.atomic():
        saved, _created = SavedSearch.objects.update_or_create(
            owner=owner, name=name.strip(), defaults={"query": query[:2000]}
        )
    return saved


def plan_development_needed(
    candidate: SuccessionCandidate, plan: DevelopmentPlan, *, actor: User, competency: Competency
) -> PlanItem:
    """The development a succession candidate needs becomes an item of their plan."""
    if candidate.person_id != plan.person_id:
        raise ActionRefused(_("This plan is not the candidate's."))
    return add_item(
        plan,
        actor=actor,
        competency=competency,
        activity_type=ActivityType.COURSE,
        description=(candidate.development_needed or str(candidate.plan))[:300],
        success_criteria=_("Readiness for %(position)s") % {"position": candidate.plan},
    )


def file_assignment_report(placement: Placement, occasion: str, *, actor: User) -> AssignmentReport:
    """The central office was told of this assignment on ``occasion`` (one of
    ``interchange.reports_due``'s)."""
    from .interchange import reports_due

    require(
        actor,
        "development.file_assignment_report",
        placement,
        _("Only the program's administrators file assignment reports."),
    )
    due = {
        r.occasion
        for r in reports_due([placement.program_id], timezone.localdate())
        if r.placement.pk == placement.pk
    }
    if occasion not in due:
        raise ActionRefused(_("No report of this assignment is due for that occasion."))
    with transaction.atomic():
        report, _created = AssignmentReport.objects.get_or_create(
            placement=placement, occasion=occasion, defaults={"filed_by": actor}
        )
    return report
