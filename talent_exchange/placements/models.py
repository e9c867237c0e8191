"""Placements: the three-party agreement an accepted offer becomes, and everything that
happens during and after the assignment — objectives, coaching check-ins, evaluations, the
return home and the outcomes years later (DESIGN.md, steps 6–8)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.bilingual import Localized
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow
from talent_exchange.people.models import AssignmentType

# ---------------------------------------------------------------------------------------------
# The program's agreement template
# ---------------------------------------------------------------------------------------------

DEFAULT_TEXTS = {
    "return_rights_text": _(
        "At the end of the assignment the participant returns to the position named in this "
        "agreement, or to a position of the same classification, pay and location in the home "
        "organisation. The home organisation keeps the position open (or filled only "
        "temporarily) for the whole assignment, including any extension."
    ),
    "re_entry_text": _(
        "Four weeks before the end of the assignment, the participant and the home supervisor "
        "meet to plan the return: the work the participant takes up, how the experience gained "
        "is used, and who the participant briefs on lessons learned."
    ),
    "appraisal_text": _(
        "The host supervisor writes the participant's performance appraisal for the period of "
        "the assignment and sends it to the home organisation, which keeps it in the "
        "participant's file and rates the year as if the participant had not left."
    ),
    "awards_text": _(
        "The participant stays eligible for every award, step increase and bonus of the home "
        "organisation during the assignment; the host supervisor's appraisal counts for them, "
        "so the participant loses no award or bonus by being away."
    ),
    "conflict_text": _(
        "The participant declares that they hold no financial or personal interest in the host "
        "organisation, will not take part in any decision of the home organisation concerning "
        "the host during the assignment and for twelve months after it, and will declare any "
        "interest that arises."
    ),
}


class AgreementTemplateQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgreementTemplateQuerySet:
        """A program's template is its administrators' (and auditors') material."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(program_id__in=roles.admin_program_ids)


class AgreementTemplate(models.Model):
    """A program's standard agreement wording; without one the defaults above apply."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="agreement_template"
    )
    return_rights_text = models.TextField(_("return rights"))
    re_entry_text = models.TextField(_("re-entry plan"))
    appraisal_text = models.TextField(_("performance appraisal during the assignment"))
    awards_text = models.TextField(_("awards and bonuses during the assignment"))
    conflict_text = models.TextField(_("conflict-of-interest attestation"))
    # Their French versions (core/bilingual.py), copied into each agreement with them.
    return_rights_text_fr = models.TextField(_("return rights in French"), blank=True)
    re_entry_text_fr = models.TextField(_("re-entry plan in French"), blank=True)
    appraisal_text_fr = models.TextField(
        _("performance appraisal during the assignment in French"), blank=True
    )
    awards_text_fr = models.TextField(
        _("awards and bonuses during the assignment in French"), blank=True
    )
    conflict_text_fr = models.TextField(_("conflict-of-interest attestation in French"), blank=True)
    return_service_months = models.PositiveSmallIntegerField(
        _("return-service obligation (months)"), default=12
    )
    salary_home_percent = models.PositiveSmallIntegerField(
        _("share of salary the home organisation pays (%)"), default=100
    )
    expenses_home_percent = models.PositiveSmallIntegerField(
        _("share of expenses the home organisation pays (%)"), default=0
    )
    checkin_interval_months = models.PositiveSmallIntegerField(
        _("months between coaching check-ins"), default=1
    )
    history = HistoricalRecords()

    objects = AgreementTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        constraints = [
            models.CheckConstraint(
                name="template_salary_share_percent", condition=Q(salary_home_percent__lte=100)
            ),
            models.CheckConstraint(
                name="template_expenses_share_percent",
                condition=Q(expenses_home_percent__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: agreement template"

    @classmethod
    def for_program(cls, program) -> AgreementTemplate:
        """The program's template, or an unsaved one with the default texts."""
        found = cls.objects.filter(program=program).first()
        if found:
            return found
        return cls(program=program, **{k: str(v) for k, v in DEFAULT_TEXTS.items()})


# ---------------------------------------------------------------------------------------------
# Placements and their state machine
# ---------------------------------------------------------------------------------------------


class Status(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    ACTIVE = "active", _("Active")
    EXTENDED = "extended", _("Extended")
    ENDED_EARLY = "ended_early", _("Ended early")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")


# The participant is away: at most one running placement per person at any date. The same
# list is in the database's exclusion constraint (migration 0002).
RUNNING = (Status.ACTIVE, Status.EXTENDED)


def allowed_transitions(state: str) -> list[str]:
    return PLACEMENT_WORKFLOW.targets(state)


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlacementQuerySet:
        """Participants see their own; coordinators their organisations' (home or host);
        coaches and home supervisors the placements they support; administrators their
        programs'; auditors everything."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = (
            Q(program_id__in=roles.admin_program_ids)
            | Q(home_organization_id__in=roles.coordinator_org_ids)
            | Q(host_organization_id__in=roles.coordinator_org_ids)
        )
        if roles.person_id:
            allowed |= (
                Q(person_id=roles.person_id)
                | Q(coach_id=roles.person_id)
                | Q(home_supervisor_id=roles.person_id)
            )
        return self.filter(allowed)

    def running(self) -> PlacementQuerySet:
        return self.filter(status__in=RUNNING)

    def overlapping(self, person_id: int, start: date, end: date) -> PlacementQuerySet:
        """Running placements of a person whose dates meet [start, end]."""
        return self.running().filter(person_id=person_id, start_date__lte=end, end_date__gte=start)

    def with_parties(self) -> PlacementQuerySet:
        return self.select_related(
            "person", "home_organization", "host_organization", "coach", "program", "cycle"
        )


class Placement(models.Model):
    offer = models.OneToOneField(
        "matches.Offer", on_delete=models.PROTECT, related_name="placement"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="placements"
    )
    cycle = models.ForeignKey("programs.Cycle", on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("participant"),
    )
    home_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="placements_sent",
        verbose_name=_("home organisation"),
    )
    host_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="placements_hosted",
        verbose_name=_("host organisation"),
    )
    coach = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coached_placements",
        verbose_name=_("host supervisor and coach"),
    )
    home_supervisor = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_placements",
        verbose_name=_("home supervisor"),
    )
    title = models.CharField(_("assignment"), max_length=200)
    # The opportunity's French title, copied with the title (core/bilingual.py).
    title_fr = models.CharField(_("assignment in French"), max_length=200, blank=True)
    assignment_type = models.CharField(
        _("type"), max_length=32, choices=AssignmentType.choices, default=AssignmentType.EXCHANGE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AGREEMENT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    planned_end_date = models.DateField(_("end date first agreed"))
    end_reason = models.TextField(_("why the assignment ended early"), blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    returned_to_position = models.CharField(_("position returned to"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                name="placement_ends_after_start", condition=Q(end_date__gte=models.F("start_date"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.local_title} · {self.host_organization}"

    # The title in the reader's language (the other one when it has none).
    local_title = Localized("title")

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def duration_months(self) -> int:
        return months_between(self.start_date, self.end_date)

    @property
    def in_agreement(self) -> bool:
        """Not started yet: the parties are agreeing on the terms and signing."""
        return self.status == Status.AGREEMENT

    @property
    def is_back_home(self) -> bool:
        """The participant has returned and the placement is not closed yet."""
        return self.status == Status.RETURNED


class PartOfPlacementQuerySet(models.QuerySet):
    """For what belongs to one placement (its agreement, signatures, objectives, check-ins,
    evaluations, outcomes): seen by whoever sees the placement."""

    placement_path = "placement"

    def visible_to(self, user) -> PartOfPlacementQuerySet:
        return self.filter(**{f"{self.placement_path}__in": Placement.objects.visible_to(user)})


class SignatureQuerySet(PartOfPlacementQuerySet):
    placement_path = "agreement__placement"


class PlacementTransition(TransitionRecord):
    """An immutable record of one move of a placement from one state to another."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=Status.choices)
    to_state = models.CharField(max_length=16, choices=Status.choices)
    note = models.TextField(blank=True)

    subject_field = "placement"

    class Meta(TransitionRecord.Meta):
        verbose_name = _("placement transition")
        verbose_name_plural = _("placement transitions")

    def __str__(self) -> str:
        return f"{self.placement}: {self.from_state} → {self.to_state}"


def _explain_refusal(state: str, action) -> str:
    options = [str(Status(t).label) for t in allowed_transitions(state)]
    if not options:
        return str(_("This placement is closed; nothing more can happen to it."))
    return str(
        _(
            "A placement in the “%(current)s” state cannot become “%(wanted)s”. "
            "It can become: %(options)s."
        )
        % {
            "current": Status(state).label,
            "wanted": Status(action.target).label,
            "options": ", ".join(options),
        }
    )


def _placement_workflow() -> Workflow:
    """Agreement → active (extended, possibly again) → ended early or returned → closed.
    Objectives are written before and during the assignment, and reviewed once it started."""
    S = Status
    manage = "placements.manage_placement"
    return Workflow(
        states=S,
        record=PlacementTransition,
        noun=_("A placement"),
        explain=_explain_refusal,
        actions=[
            Action(
                "activate",
                [S.AGREEMENT],
                S.ACTIVE,
                permission=manage,
                refusal=_(
                    "Only the program's administrators and the coordinators can start a placement."
                ),
                label=_("Start the placement"),
            ),
            Action(
                "extend",
                RUNNING,
                S.EXTENDED,
                permission=manage,
                refusal=_(
                    "Only the program's administrators and the coordinators can extend a placement."
                ),
                label=_("Extend"),
            ),
            Action(
                "end_early",
                RUNNING,
                S.ENDED_EARLY,
                permission=manage,
                refusal=_(
                    "Only the program's administrators and the coordinators can end a placement."
                ),
                label=_("End early"),
            ),
            Action(
                "return",
                [*RUNNING, S.ENDED_EARLY],
                S.RETURNED,
                permission=manage,
                refusal=_(
                    "Only the program's administrators and the coordinators can record a return."
                ),
                label=_("Record the return"),
            ),
            Action(
                "close",
                [S.RETURNED],
                S.CLOSED,
                permission="placements.close_placement",
                refusal=_("Only the program's administrators can close a placement."),
                label=_("Close"),
            ),
            Action(
                "write_objective",
                [S.AGREEMENT, *RUNNING],
                None,
                permission="placements.write_objective",
                refusal=_(
                    "The participant, the coach and the administrators write the objectives."
                ),
                label=_("Add an objective"),
                state_refusal=_("Objectives are written before and during the assignment."),
            ),
            Action(
                "review_objective",
                [s for s in S.values if s != S.AGREEMENT],
                None,
                permission="placements.write_objective",
                refusal=_(
                    "The participant, the coach and the administrators review the objectives."
                ),
                label=_("Review the objective"),
                state_refusal=_("Objectives are reviewed once the assignment has started."),
            ),
        ],
    )


PLACEMENT_WORKFLOW = _placement_workflow()


# ---------------------------------------------------------------------------------------------
# The agreement and its signatures
# ---------------------------------------------------------------------------------------------


class Agreement(models.Model):
    """The terms the participant, the home and the host organisations sign. ``version``
    goes up each time the terms change; a signature counts for the version it was given
    on, so changing signed terms voids the signatures without erasing them."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="agreement")
    version = models.PositiveIntegerField(default=1)
    return_position = models.CharField(_("position returned to"), max_length=200)
    return_rights = models.TextField(_("return rights"))
    re_entry_plan = models.TextField(_("re-entry plan"))
    return_service_months = models.PositiveSmallIntegerField(
        _("return-service obligation (months)"),
        help_text=_("How long the participant commits to stay with the home organisation."),
    )
    salary_home_percent = models.PositiveSmallIntegerField(_("salary: home organisation (%)"))
    salary_host_percent = models.PositiveSmallIntegerField(_("salary: host organisation (%)"))
    expenses_home_percent = models.PositiveSmallIntegerField(_("expenses: home organisation (%)"))
    expenses_host_percent = models.PositiveSmallIntegerField(_("expenses: host organisation (%)"))
    reimbursement = models.TextField(
        _("reimbursement"),
        blank=True,
        help_text=_("Who invoices whom, how often, and for what."),
    )
    appraisal_handling = models.TextField(_("performance appraisal during the assignment"))
    awards_handling = models.TextField(_("awards and bonuses during the assignment"))
    conflict_statement = models.TextField(_("conflict-of-interest attestation"), blank=True)
    # The French versions of the texts (core/bilingual.py); ``local_*`` is the reader's.
    return_rights_fr = models.TextField(_("return rights in French"), blank=True)
    re_entry_plan_fr = models.TextField(_("re-entry plan in French"), blank=True)
    appraisal_handling_fr = models.TextField(
        _("performance appraisal during the assignment in French"), blank=True
    )
    awards_handling_fr = models.TextField(
        _("awards and bonuses during the assignment in French"), blank=True
    )
    conflict_statement_fr = models.TextField(
        _("conflict-of-interest attestation in French"), blank=True
    )
    local_return_rights = Localized("return_rights")
    local_re_entry_plan = Localized("re_entry_plan")
    local_appraisal_handling = Localized("appraisal_handling")
    local_awards_handling = Localized("awards_handling")
    local_conflict_statement = Localized("conflict_statement")
    conflict_attested = models.BooleanField(
        _("the participant attests to having no conflict of interest"), default=False
    )
    frozen_at = models.DateTimeField(_("fully signed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PartOfPlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                name="agreement_salary_shares_sum_to_100",
                condition=Q(
                    salary_home_percent__lte=100,
                    salary_host_percent=100 - models.F("salary_home_percent"),
                ),
                violation_error_message=_("The salary shares must add up to 100%."),
            ),
            models.CheckConstraint(
                name="agreement_expenses_shares_sum_to_100",
                condition=Q(
                    expenses_home_percent__lte=100,
                    expenses_host_percent=100 - models.F("expenses_home_percent"),
                ),
                violation_error_message=_("The expense shares must add up to 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement for {self.placement}"

    @property
    def program_id(self) -> int:
        return self.placement.program_id

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def needs_conflict_attestation(self) -> bool:
        return self.placement.host_organization.is_external


class Party(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    HOME = "home", _("Home organisation")
    HOST = "host", _("Host organisation")


class Signature(models.Model):
    """One party's signature on one version of the terms: who, when, and from where."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    version = models.PositiveIntegerField()
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("name"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    history = HistoricalRecords()

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["version", "signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version", "party"], name="one_signature_per_party_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.signer_name} ({self.signed_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("A signature cannot be changed."))
        super().save(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# During the assignment
# ---------------------------------------------------------------------------------------------


class Achievement(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT = "not", _("Not achieved")


class Objective(models.Model):
    """What the assignment should achieve and how success is recognised; reviewed at the
    end with evidence."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="objectives")
    description = models.TextField(_("objective"))
    indicators = models.TextField(_("indicators of success"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    achievement = models.CharField(
        _("result"), max_length=16, choices=Achievement.choices, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PartOfPlacementQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.description[:60]


class CheckInQuerySet(PartOfPlacementQuerySet):
    def overdue(self, today: date) -> CheckInQuerySet:
        return self.filter(held_on__isnull=True, due_on__lt=today, placement__status__in=RUNNING)


class CheckIn(models.Model):
    """A coaching conversation between the coach and the participant, monthly by default."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checkins")
    due_on = models.DateField(_("due on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "due_on"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"Check-in due {self.due_on}"

    def is_overdue(self, today: date) -> bool:
        return self.held_on is None and self.due_on < today


class Stage(models.TextChoices):
    MIDPOINT = "midpoint", _("Mid-point")
    FINAL = "final", _("Final")


class Respondent(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    HOST_SUPERVISOR = "host_supervisor", _("Host supervisor (coach)")
    HOME_SUPERVISOR = "home_supervisor", _("Home supervisor")


class EvaluationQuerySet(PartOfPlacementQuerySet):
    def pending(self) -> EvaluationQuerySet:
        return self.filter(submitted_at__isnull=True)

    def shared_lessons(self) -> EvaluationQuerySet:
        return self.filter(stage=Stage.FINAL, share_with_program=True).exclude(lessons_learned="")


class Evaluation(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    respondent = models.CharField(_("from"), max_length=24, choices=Respondent.choices)
    due_on = models.DateField(_("due on"))
    rating = models.PositiveSmallIntegerField(
        _("overall, how is the assignment going (1–5)"), null=True, blank=True
    )
    comments = models.TextField(_("comments"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    share_with_program = models.BooleanField(
        _("share these lessons learned with the program"), default=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "due_on", "respondent"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "stage", "respondent"], name="one_evaluation_per_respondent"
            ),
            models.CheckConstraint(
                name="evaluation_rating_1_to_5",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} evaluation · {self.get_respondent_display()}"


# ---------------------------------------------------------------------------------------------
# After the assignment
# ---------------------------------------------------------------------------------------------

OUTCOME_MONTHS = (6, 12, 24)
# An outcome opens at its due date, with this tolerance before it (a call a few days early is
# common); never on the day of return (docs/placements.md).
OUTCOME_EARLY_DAYS = 14


class Outcome(models.Model):
    """Where the participant is 6, 12 and 24 months after returning home."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="outcomes")
    months_after = models.PositiveSmallIntegerField(
        _("months after return"), choices=[(m, m) for m in OUTCOME_MONTHS]
    )
    due_on = models.DateField(_("due on"))
    promoted = models.BooleanField(_("promoted"), null=True)
    new_role = models.BooleanField(_("in a new role"), null=True)
    still_with_home = models.BooleanField(_("still with the home organisation"), null=True)
    obligation_fulfilled = models.BooleanField(_("return-service obligation met"), null=True)
    position = models.CharField(_("position now"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PartOfPlacementQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "months_after"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "months_after"], name="one_outcome_per_milestone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement.person}: {self.months_after} months after return"

    @property
    def opens_on(self) -> date:
        return self.due_on - timedelta(days=OUTCOME_EARLY_DAYS)

    def is_open(self, today: date) -> bool:
        return today >= self.opens_on

    @property
    def is_open_today(self) -> bool:
        return self.is_open(timezone.localdate())


# ---------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    import calendar

    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months an assignment from ``start`` to ``end`` (inclusive) lasts, rounded up."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) <= end:
        months += 1
    return max(months, 0)
