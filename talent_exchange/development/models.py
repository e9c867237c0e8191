"""Year-round executive development: competency frameworks (versioned data), development
plans and their progress, mobility rules and exceptions, board reviews, saved talent
searches and succession plans."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow
from talent_exchange.people.models import AssignmentType, Person

# ---------------------------------------------------------------------------------------------
# Competency frameworks: data loaded from files (frameworks.py), never code
# ---------------------------------------------------------------------------------------------


class FrameworkVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> FrameworkVersionQuerySet:
        return self if roles_of(user).any_role else self.none()


class FrameworkVersion(models.Model):
    """One version of a competency framework (the US ECQs of 2006, of 2025, …)."""

    framework = models.CharField(_("framework"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=40)
    effective_from = models.DateField(_("in effect from"), null=True, blank=True)
    source = models.CharField(_("loaded from"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-effective_from", "version"]
        verbose_name = _("competency framework version")
        verbose_name_plural = _("competency framework versions")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version"], name="framework_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class CompetencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> CompetencyQuerySet:
        return self if roles_of(user).any_role else self.none()


class Competency(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="competencies"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="competency_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# ---------------------------------------------------------------------------------------------
# Mobility rules and exceptions
# ---------------------------------------------------------------------------------------------


def default_counted_types() -> list[str]:
    return [
        AssignmentType.DETAIL,
        AssignmentType.ROTATION,
        AssignmentType.SECONDMENT,
        AssignmentType.IPA,
        AssignmentType.INTERAGENCY_PROJECT,
        AssignmentType.EXCHANGE,
    ]


class MobilityRuleQuerySet(models.QuerySet):
    def visible_to(self, user) -> MobilityRuleQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(program_id__in=roles.admin_program_ids | roles.board_program_ids)


class MobilityRule(models.Model):
    """A program's mobility standard (compliance.py reads it as a ``Rule``)."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="mobility_rule"
    )
    interval_years = models.PositiveSmallIntegerField(
        _("a developmental assignment every (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    min_days = models.PositiveSmallIntegerField(
        _("shortest assignment that counts (days)"),
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    counted_types = models.JSONField(
        _("assignment types that count"), default=default_counted_types
    )
    due_within_months = models.PositiveSmallIntegerField(
        _("shown as due this many months ahead"),
        default=6,
        validators=[MaxValueValidator(60)],
    )
    min_moves = models.PositiveSmallIntegerField(
        _("minimum moves"),
        null=True,
        blank=True,
        help_text=_(
            "Assignments that count, in a career or in the period below. Fewer, and the "
            "executive is at least due."
        ),
    )
    max_moves = models.PositiveSmallIntegerField(
        _("maximum moves"),
        null=True,
        blank=True,
        help_text=_(
            "Once an executive has made this many moves that count, no further move is due."
        ),
    )
    moves_period_years = models.PositiveSmallIntegerField(
        _("count the moves over the last (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Leave empty to count the moves of the whole career."),
    )
    goal_share = models.DecimalField(
        _("yearly goal: share of executives rotated (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    framework = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competency framework in use"),
    )
    history = HistoricalRecords()

    objects = MobilityRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("mobility rule")
        verbose_name_plural = _("mobility rules")

    def __str__(self) -> str:
        return str(self.program)

    def clean(self) -> None:
        if (
            self.min_moves is not None
            and self.max_moves is not None
            and self.min_moves > self.max_moves
        ):
            raise ValidationError(
                {
                    "max_moves": _("The maximum (%(max)s) cannot be below the minimum (%(min)s).")
                    % {"max": self.max_moves, "min": self.min_moves}
                }
            )


class ExceptionReason(models.TextChoices):
    SMALL_AGENCY = "small_agency", _("Small agency")
    SPECIALISED_POSITION = "specialised_position", _("Specialised position")
    OTHER = "other", _("Other reason")


class ExceptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class MobilityExceptionQuerySet(models.QuerySet):
    def visible_to(self, user) -> MobilityExceptionQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def approved(self) -> MobilityExceptionQuerySet:
        return self.filter(status=ExceptionStatus.APPROVED)

    def pending(self) -> MobilityExceptionQuerySet:
        return self.filter(status=ExceptionStatus.REQUESTED)


class MobilityException(models.Model):
    """A person excused from the program's mobility standard until ``ends_on``."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="mobility_exceptions"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mobility_exceptions")
    reason = models.CharField(_("reason"), max_length=32, choices=ExceptionReason.choices)
    explanation = models.TextField(_("explanation"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExceptionStatus.choices,
        default=ExceptionStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MobilityExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("mobility exception")
        verbose_name_plural = _("mobility exceptions")
        constraints = [
            models.CheckConstraint(
                name="mobility_exception_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_reason_display()} · {self.ends_on}"


# ---------------------------------------------------------------------------------------------
# Development plans
# ---------------------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")


class DevelopmentPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> DevelopmentPlanQuerySet:
        """The person, their supervisor, the board of the plan's program and the program's
        administrators (auditors read everything). Nobody else: not a coordinator."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(program_id__in=roles.admin_program_ids | roles.board_program_ids)
        if roles.person_id:
            allowed |= Q(person_id=roles.person_id) | Q(person__supervisor_id=roles.person_id)
        return self.filter(allowed)

    def for_program(self, program) -> DevelopmentPlanQuerySet:
        return self.filter(program=program)


class DevelopmentPlan(models.Model):
    """An Executive Development Plan for one person and one appraisal year."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="development_plans")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="development_plans"
    )
    year = models.PositiveSmallIntegerField(
        _("appraisal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    framework = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("competency framework"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    goals = models.TextField(_("short- and long-term goals"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried forward from"),
    )
    board_notes = models.TextField(_("the board's notes"), blank=True)
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = DevelopmentPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "person"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program", "year"], name="one_plan_per_person_program_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.year}"

    @property
    def organization_id(self) -> int:
        return self.person.organization_id


class PlanTransition(TransitionRecord):
    subject_field = "plan"
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=24, choices=PlanStatus.choices)
    to_state = models.CharField(max_length=24, choices=PlanStatus.choices)
    note = models.TextField(blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_state} → {self.to_state}"


_S = PlanStatus
PLAN_WORKFLOW = Workflow(
    states=PlanStatus,
    record=PlanTransition,
    noun=_("A development plan"),
    actions=[
        Action(
            "submit",
            [_S.DRAFT, _S.REVISION_REQUESTED],
            _S.SUBMITTED,
            permission="development.submit_plan",
            refusal=_("Only the person whose plan it is can submit it."),
            label=_("Submit for approval"),
        ),
        Action(
            "approve",
            [_S.SUBMITTED],
            _S.APPROVED,
            permission="development.approve_plan",
            refusal=_("Only the person's supervisor or the program's board can approve a plan."),
            label=_("Approve"),
        ),
        Action(
            "request_revision",
            [_S.SUBMITTED, _S.APPROVED],
            _S.REVISION_REQUESTED,
            permission="development.approve_plan",
            refusal=_(
                "Only the person's supervisor or the program's board can ask for a revision."
            ),
            label=_("Ask for a revision"),
            note_required=_("Say what should be revised."),
        ),
        Action(
            "edit",
            [_S.DRAFT, _S.REVISION_REQUESTED],
            None,
            permission="development.change_developmentplan",
            refusal=_("Only the person or their supervisor can change the plan."),
            state_refusal=_("A plan that is “%(state)s” cannot be changed."),
        ),
    ],
)


class ActivityType(models.TextChoices):
    COURSE = "course", _("Course")
    DETAIL = "detail", _("Detail")
    ROTATION = "rotation", _("Rotation")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    FEEDBACK_360 = "feedback_360", _("360 feedback")
    SABBATICAL = "sabbatical", _("Sabbatical")
    INTERAGENCY_PROJECT = "interagency_project", _("Interagency project")
    FELLOWSHIP = "fellowship", _("Fellowship")


# Activities that are developmental assignments: they may be linked to a placement.
ASSIGNMENT_ACTIVITIES = frozenset(
    {
        ActivityType.DETAIL,
        ActivityType.ROTATION,
        ActivityType.SABBATICAL,
        ActivityType.INTERAGENCY_PROJECT,
        ActivityType.FELLOWSHIP,
    }
)


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PlanItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanItemQuerySet:
        return self.filter(plan__in=DevelopmentPlan.objects.visible_to(user))


class PlanItem(models.Model):
    """One activity of a plan, tied to a competency of the plan's framework."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    activity_type = models.CharField(_("activity"), max_length=24, choices=ActivityType.choices)
    description = models.CharField(_("description"), max_length=300)
    starts_on = models.DateField(_("target start"), null=True, blank=True)
    ends_on = models.DateField(_("target end"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0))],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    success_criteria = models.TextField(_("indicators of success"), blank=True)
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("placement"),
    )
    history = HistoricalRecords()

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                name="plan_item_ends_after_start",
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return self.description


class ProgressStage(models.TextChoices):
    MIDYEAR = "midyear", _("Six-month review")
    YEAR_END = "year_end", _("Year-end review")


class ProgressAuthor(models.TextChoices):
    PERSON = "person", _("The executive")
    SUPERVISOR = "supervisor", _("The supervisor")


class ProgressEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgressEntryQuerySet:
        return self.filter(plan__in=DevelopmentPlan.objects.visible_to(user))


class ProgressEntry(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="progress")
    stage = models.CharField(_("review"), max_length=16, choices=ProgressStage.choices)
    author_role = models.CharField(_("written by"), max_length=16, choices=ProgressAuthor.choices)
    text = models.TextField(_("progress"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ProgressEntryQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "author_role"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "stage", "author_role"], name="one_progress_entry_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.stage} · {self.author_role}"


# ---------------------------------------------------------------------------------------------
# Mobility agreements signed at entry
# ---------------------------------------------------------------------------------------------


class MobilityAgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> MobilityAgreementQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class MobilityAgreement(models.Model):
    """The mobility agreement an executive signs on entry; the text signed is kept as it was."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="mobility_agreements"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mobility_agreements")
    text = models.TextField(_("agreement text"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MobilityAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("mobility agreement")
        verbose_name_plural = _("mobility agreements")
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_mobility_agreement")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.program}"


# ---------------------------------------------------------------------------------------------
# Boards and their annual review
# ---------------------------------------------------------------------------------------------


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user) -> BoardQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(program_id__in=roles.admin_program_ids | roles.board_program_ids)


class Board(models.Model):
    """An Executive Resources Board. Its members are the program's board reviewers (role
    grants); the board adds its name and chair."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="board"
    )
    name = models.CharField(_("name"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.name


class ReviewSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewSessionQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(board__program_id__in=roles.admin_program_ids | roles.board_program_ids)


class ReviewSession(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="sessions")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    held_on = models.DateField(_("held on"))

    objects = ReviewSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("review session")
        verbose_name_plural = _("review sessions")
        constraints = [
            models.UniqueConstraint(fields=["board", "year"], name="one_session_per_board_year")
        ]

    def __str__(self) -> str:
        return f"{self.board} · {self.year}"

    @property
    def program_id(self) -> int:
        return self.board.program_id


class Decision(models.TextChoices):
    APPROVED = "approved", _("Plan approved")
    REVISE = "revise", _("Revise the plan")
    RECOMMEND_ASSIGNMENT = "recommend_assignment", _("Recommend a developmental assignment")
    EXCEPTION_GRANTED = "exception_granted", _("Exception granted")


class ReviewDecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewDecisionQuerySet:
        """The board and administrators of the program, and the person decided about."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(session__in=ReviewSession.objects.visible_to(user))
        if roles.person_id:
            allowed |= Q(person_id=roles.person_id)
        return self.filter(allowed)


class ReviewDecision(models.Model):
    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="decisions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="board_decisions")
    decision = models.CharField(_("decision"), max_length=24, choices=Decision.choices)
    notes = models.TextField(_("notes"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ReviewDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("board decision")
        verbose_name_plural = _("board decisions")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_decision_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session.year} · {self.decision}"


# ---------------------------------------------------------------------------------------------
# Talent search and succession
# ---------------------------------------------------------------------------------------------


class SavedSearchQuerySet(models.QuerySet):
    def visible_to(self, user) -> SavedSearchQuerySet:
        return self.filter(owner_id=getattr(user, "pk", None))


class SavedSearch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_talent_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Readiness(models.TextChoices):
    """Stable codes: the labels may change, the codes never do."""

    READY_NOW = "ready_now", _("Ready now")
    ONE_TWO_YEARS = "1_2_years", _("Ready in 1–2 years")
    THREE_PLUS_YEARS = "3_plus_years", _("Ready in 3 years or more")
    EMERGENCY = "emergency", _("Emergency replacement")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class SuccessionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> SuccessionPlanQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(
            Q(program_id__in=roles.admin_program_ids | roles.board_program_ids)
            | Q(organization_id__in=roles.coordinator_org_ids)
        )


class SuccessionPlan(models.Model):
    """Who could fill a key position, and how ready they are."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="succession_plans"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="succession_plans"
    )
    position_title = models.CharField(_("key position"), max_length=200)
    incumbent = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incumbent"),
    )
    incumbent_risk_of_loss = models.CharField(
        _("risk of losing the incumbent"), max_length=8, choices=Risk.choices, default=Risk.LOW
    )
    history = HistoricalRecords()

    objects = SuccessionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "position_title"]
        verbose_name = _("succession plan")
        verbose_name_plural = _("succession plans")

    def __str__(self) -> str:
        return self.position_title


class SuccessionCandidateQuerySet(models.QuerySet):
    def visible_to(self, user) -> SuccessionCandidateQuerySet:
        return self.filter(plan__in=SuccessionPlan.objects.visible_to(user))


class SuccessionCandidate(models.Model):
    plan = models.ForeignKey(SuccessionPlan, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="succession_slots")
    readiness = models.CharField(_("readiness"), max_length=16, choices=Readiness.choices)
    risk_of_loss = models.CharField(
        _("risk of loss"), max_length=8, choices=Risk.choices, default=Risk.LOW
    )
    development_needed = models.TextField(_("development needed"), blank=True)
    history = HistoricalRecords()

    objects = SuccessionCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["readiness", "pk"]
        verbose_name = _("succession candidate")
        verbose_name_plural = _("succession candidates")
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="one_candidacy_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_readiness_display()}"


# ---------------------------------------------------------------------------------------------
# Interchange-style reporting
# ---------------------------------------------------------------------------------------------


class AssignmentReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssignmentReportQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(placement__program_id__in=roles.admin_program_ids)


class AssignmentReport(models.Model):
    """An interchange assignment reported to the central office: when its agreement is
    signed and within 30 days of any change (``occasion`` names which)."""

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="assignment_reports"
    )
    occasion = models.CharField(max_length=60)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment report")
        verbose_name_plural = _("assignment reports")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "occasion"], name="one_report_per_occasion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement} · {self.occasion}"

    @property
    def program_id(self) -> int:
        return self.placement.program_id
