"""Nominations of employees into a cycle, the endorsement chain, and declared conflicts."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow


class EndorserKind(models.TextChoices):
    """Who may sign a step of the chain (the rule is in ``endorsers.py``). Every endorser
    has a profile in the nominee's organisation; the kind says which of its people."""

    SUPERVISOR = "supervisor", _("The nominee’s supervisor")
    MANAGER = "manager", _("A manager above the nominee’s supervisor (e.g. a department head)")
    ORGANIZATION = (
        "organization",
        _("Someone of the nominee’s organisation (e.g. the chief executive)"),
    )


class EndorsementStepQuerySet(models.QuerySet):
    def visible_to(self, user) -> EndorsementStepQuerySet:
        from talent_exchange.programs.models import Program

        return self.filter(program__in=Program.objects.visible_to(user))


class EndorsementStep(models.Model):
    """One step of a program's endorsement chain, e.g. 1 Supervisor, 2 Department head,
    3 Chief executive. The program decides which steps and in what order."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="endorsement_steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(
        _("who signs"),
        max_length=16,
        choices=EndorserKind.choices,
        default=EndorserKind.ORGANIZATION,
        help_text=_(
            "The supervisor and the managers above them are read from the supervisors "
            "recorded on the people’s profiles."
        ),
    )
    history = HistoricalRecords()

    objects = EndorsementStepQuerySet.as_manager()

    class Meta:
        ordering = ["program", "order"]
        verbose_name = _("endorsement step")
        verbose_name_plural = _("endorsement steps")
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="unique_endorsement_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class NominationStatus(models.TextChoices):
    AWAITING_ENDORSEMENT = "awaiting_endorsement", _("Awaiting endorsement")
    ENDORSED = "endorsed", _("Endorsed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        # The ways in, each an indexed look-up, united: an OR across LEFT JOINs of panels
        # and endorsements would scan every nomination, and an OR of sub-queries hides from
        # the planner how few rows a coordinator sees (issue 17).
        everyone = self.model._default_manager.order_by().values("pk")
        ways = [
            everyone.filter(panel_assignments__panel__members=user),
            everyone.filter(endorsements__endorser=user),
        ]
        if roles.admin_program_ids:
            ways.append(everyone.filter(cycle__program_id__in=roles.admin_program_ids))
        if roles.coordinator_org_ids:
            ways.append(everyone.filter(home_organization_id__in=roles.coordinator_org_ids))
        if roles.person_id:
            ways.append(everyone.filter(person_id=roles.person_id))
            ways.append(everyone.filter(person__supervisor_id=roles.person_id))
        return self.filter(pk__in=ways[0].union(*ways[1:]))

    def in_cycle(self, cycle) -> NominationQuerySet:
        return self.filter(cycle=cycle)

    def awaiting_endorsement(self) -> NominationQuerySet:
        return self.filter(status=NominationStatus.AWAITING_ENDORSEMENT)

    def endorsed(self) -> NominationQuerySet:
        return self.filter(status=NominationStatus.ENDORSED)

    def live(self) -> NominationQuerySet:
        """Nominations that still count: not declined or withdrawn."""
        return self.filter(
            status__in=[NominationStatus.AWAITING_ENDORSEMENT, NominationStatus.ENDORSED]
        )

    def from_organizations(self, organization_ids) -> NominationQuerySet:
        return self.filter(home_organization_id__in=organization_ids)

    def in_programs(self, program_ids) -> NominationQuerySet:
        return self.filter(cycle__program_id__in=program_ids)

    def for_rows(self) -> NominationQuerySet:
        """What a row of a cycle's nominations shows but the endorsement chain
        (``presenters.endorsement_chains``)."""
        return self.select_related("person", "home_organization")

    def with_card(self) -> NominationQuerySet:
        return self.select_related("person", "home_organization", "cycle__program")


class Nomination(models.Model):
    cycle = models.ForeignKey(
        "programs.Cycle",
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("cycle"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("nominee"),
    )
    home_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("home organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=NominationStatus.choices,
        default=NominationStatus.AWAITING_ENDORSEMENT,
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rationale = models.TextField(_("why this person"), blank=True)
    backfill_plan = models.TextField(
        _("backfill plan"),
        blank=True,
        help_text=_(
            "Who covers the nominee's post while they are away (often itself a "
            "developmental opportunity)."
        ),
    )
    profile_confirmed_at = models.DateTimeField(_("profile confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "person__last_name"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="one_nomination_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.cycle}"

    @property
    def organization_id(self) -> int:
        return self.home_organization_id

    @property
    def program_id(self) -> int:
        return self.cycle.program_id

    @property
    def is_endorsed(self) -> bool:
        return self.status == NominationStatus.ENDORSED


class NominationTransition(TransitionRecord):
    """One move of a nomination: endorsed at the end of the chain, declined by a step, or
    withdrawn by the home coordinator. Rows are only ever added."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=24, choices=NominationStatus.choices)
    to_state = models.CharField(max_length=24, choices=NominationStatus.choices)
    note = models.TextField(blank=True)

    subject_field = "nomination"

    class Meta(TransitionRecord.Meta):
        verbose_name = _("nomination transition")
        verbose_name_plural = _("nomination transitions")

    def __str__(self) -> str:
        return f"{self.nomination}: {self.from_state} → {self.to_state}"


def _nomination_workflow() -> Workflow:
    """A nomination awaits its endorsement chain; the last endorsement makes it endorsed and a
    declined step ends it (both are consequences of an endorser's decision, whose permission
    is checked on their step, so no user is offered them here); the home coordinator may
    withdraw it while it is live; the nominee (or the coordinator) confirms the profile once
    it is endorsed and declares conflicts while it is live."""
    S = NominationStatus
    live = [S.AWAITING_ENDORSEMENT, S.ENDORSED]
    return Workflow(
        states=S,
        record=NominationTransition,
        noun=_("A nomination"),
        actions=[
            Action(
                "complete_endorsement",
                [S.AWAITING_ENDORSEMENT],
                S.ENDORSED,
                permission=None,
                label=_("Endorsed by every step"),
            ),
            Action(
                "decline",
                [S.AWAITING_ENDORSEMENT],
                S.DECLINED,
                permission=None,
                label=_("Declined by a step"),
            ),
            Action(
                "withdraw",
                live,
                S.WITHDRAWN,
                permission="nominations.withdraw_nomination",
                refusal=_(
                    "Only a coordinator of the nominee’s organisation can withdraw this nomination."
                ),
                label=_("Withdraw this nomination"),
                state_refusal=_("This nomination is already “%(state)s”."),
            ),
            Action(
                "confirm_profile",
                [S.ENDORSED],
                None,
                permission="nominations.confirm_profile",
                refusal=_("Only the nominee can confirm their profile."),
                label=_("My profile is complete and correct"),
                state_refusal=_(
                    "The profile is confirmed once the nomination is endorsed; it is “%(state)s”."
                ),
            ),
            Action(
                "declare_conflict",
                live,
                None,
                permission="nominations.declare_conflict",
                refusal=_(
                    "Only the nominee or their coordinator can declare conflicts of interest."
                ),
                label=_("Declare this conflict"),
                state_refusal=_(
                    "This nomination is “%(state)s”; there is nothing to declare for it."
                ),
            ),
        ],
    )


NOMINATION_WORKFLOW = _nomination_workflow()


def _token() -> str:
    return secrets.token_urlsafe(32)


class EndorsementDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ENDORSED = "endorsed", _("Endorsed")
    DECLINED = "declined", _("Declined")


class EndorsementQuerySet(models.QuerySet):
    def visible_to(self, user) -> EndorsementQuerySet:
        return self.filter(nomination__in=Nomination.objects.visible_to(user))

    def pending(self) -> EndorsementQuerySet:
        return self.filter(decision=EndorsementDecision.PENDING)

    def current(self) -> EndorsementQuerySet:
        """The endorsements whose turn it is: pending, on a live nomination, with every
        earlier step of the chain already endorsed."""
        earlier_open = Endorsement.objects.filter(
            nomination=models.OuterRef("nomination"), order__lt=models.OuterRef("order")
        ).exclude(decision=EndorsementDecision.ENDORSED)
        return (
            self.pending()
            .filter(nomination__status=NominationStatus.AWAITING_ENDORSEMENT)
            .exclude(models.Exists(earlier_open))
        )

    def waiting_for(self, user) -> EndorsementQuerySet:
        return self.current().filter(endorser=user)


class Endorsement(models.Model):
    """One signature in a nomination's endorsement chain, by e-mail link or on the site."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="endorsements"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("step"), max_length=100)
    # copied from the program's step when the nomination is made, as the title is
    kind = models.CharField(
        _("who signs"),
        max_length=16,
        choices=EndorserKind.choices,
        default=EndorserKind.ORGANIZATION,
    )
    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="endorsements",
        verbose_name=_("endorser"),
    )
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=EndorsementDecision.choices,
        default=EndorsementDecision.PENDING,
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    # The token is a secret (it signs in as the endorser): never copied into the history.
    history = HistoricalRecords(excluded_fields=["token"])

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["nomination", "order"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "order"], name="unique_endorsement_step"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_decision_display()}"

    @property
    def program_id(self) -> int:
        return self.nomination.program_id

    @property
    def is_pending(self) -> bool:
        return self.decision == EndorsementDecision.PENDING


class ConflictOfInterestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConflictOfInterestQuerySet:
        return self.filter(nomination__in=Nomination.objects.visible_to(user))

    def in_cycle(self, cycle) -> ConflictOfInterestQuerySet:
        """The declared conflicts of a cycle, as the matching engine's forbidden pairs need."""
        return self.filter(nomination__cycle=cycle)


class ConflictOfInterest(models.Model):
    """An organisation the nominee must not be placed with, and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="conflicts")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    history = HistoricalRecords()

    objects = ConflictOfInterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "organization"], name="unique_conflict"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination.person} ≠ {self.organization}"

    @property
    def program_id(self) -> int:
        return self.nomination.program_id


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    CHECKING = "checking", _("Checking the rows")
    CREATING = "creating", _("Creating the nominations")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Nothing imported: the file has problems")
    FAILED = "failed", _("Failed")


class NominationImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationImportQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(uploaded_by=user)


class NominationImport(models.Model):
    """One spreadsheet upload, run by the task worker: its progress and its report. The file
    is kept here (not on disk) so any worker can read it and the report can be shown again."""

    cycle = models.ForeignKey(
        "programs.Cycle", on_delete=models.CASCADE, related_name="nomination_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    # [[line, reason], …] for every bad row
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = NominationImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nomination import")
        verbose_name_plural = _("nomination imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def succeeded(self) -> bool:
        return self.status == ImportStatus.DONE

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.CREATING or self.is_finished:
            return 100
        return (100 * self.rows_checked // self.rows_total) if self.rows_total else 0
