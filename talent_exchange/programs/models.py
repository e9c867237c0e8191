"""Programs (a consortium exchange, a ministry mobility program, …) and their cycles."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.bilingual import FRENCH_VERSION_HELP, Localized
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow


class ProgramShape(models.TextChoices):
    CONSORTIUM_EXCHANGE = "consortium_exchange", _("Consortium talent exchange")
    MINISTRY_MOBILITY = "ministry_mobility", _("Cross-ministry mobility program")
    INTERCHANGE = "interchange", _("Interchange in and out of government")
    EXECUTIVE_DEVELOPMENT = "executive_development", _("Executive development program")


class Reciprocity(models.TextChoices):
    NONE = "none", _("No reciprocity: demand-driven")
    BALANCED = "balanced", _("Each organisation receives about as many as it sends")
    STRICT = "strict", _("Strict exchange: each organisation receives exactly as many as it sends")


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgramQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        org_ids = roles.coordinator_org_ids | roles.supervisor_org_ids
        if roles.person_organization_id:
            org_ids |= {roles.person_organization_id}
        allowed = (
            Q(pk__in=roles.admin_program_ids | roles.board_program_ids)
            | Q(participating_organizations__in=org_ids)
            | Q(cycles__in=roles.panelist_cycle_ids)
            | Q(pk__in=roles.treasurer_program_ids)
        )
        return self.filter(pk__in=self.filter(allowed).values("pk"))

    def with_setup_progress(self) -> ProgramQuerySet:
        """Counts the first-run checklist reads (``presenters.onboarding_checklist``), in
        the same query: invitations sent, organisations taking part, those with an active
        coordinator, cycles."""
        coordinated = Q(
            participating_organizations__role_grants__role="coordinator",
            participating_organizations__role_grants__revoked_at__isnull=True,
        )
        return self.annotate(
            setup_invitations=models.Count("invitations", distinct=True),
            setup_organizations=models.Count("participating_organizations", distinct=True),
            setup_coordinated=models.Count(
                "participating_organizations", filter=coordinated, distinct=True
            ),
            setup_cycles=models.Count("cycles", distinct=True),
        )

    def administered_by(self, user) -> ProgramQuerySet:
        roles = roles_of(user)
        if roles.is_superuser:
            return self
        return self.filter(pk__in=roles.admin_program_ids)


class Program(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    # Bilingual content (core/bilingual.py): the French name, shown to French readers.
    name_fr = models.CharField(
        _("name in French"), max_length=200, blank=True, help_text=FRENCH_VERSION_HELP
    )
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    shape = models.CharField(_("kind of program"), max_length=32, choices=ProgramShape.choices)
    description = models.TextField(_("description"), blank=True)
    administering_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="administered_programs",
        verbose_name=_("administering organisation"),
    )
    participating_organizations = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="programs",
        verbose_name=_("participating organisations"),
    )
    min_assignment_months = models.PositiveSmallIntegerField(
        _("shortest assignment (months)"), default=3
    )
    max_assignment_months = models.PositiveSmallIntegerField(
        _("longest assignment (months)"), default=3
    )
    reciprocity = models.CharField(
        _("reciprocity"), max_length=16, choices=Reciprocity.choices, default=Reciprocity.NONE
    )
    balance_tolerance = models.PositiveSmallIntegerField(
        _("balance tolerance"),
        default=1,
        help_text=_(
            "How far the number an organisation receives may differ from the number it "
            "sends, when reciprocity is balanced."
        ),
    )
    eligibility = models.TextField(
        _("eligibility"), blank=True, help_text=_("Who may be nominated, in plain words.")
    )
    min_years_of_service = models.PositiveSmallIntegerField(
        _("minimum years of service"), default=0
    )
    max_moves = models.PositiveSmallIntegerField(
        _("maximum earlier assignments"),
        null=True,
        blank=True,
        help_text=_(
            "A maximum mobility standard: people with this many earlier assignments or "
            "more are not eligible. Leave empty for no maximum."
        ),
    )
    refuse_overlapping_interviews = models.BooleanField(
        _("refuse nominees interviewed at the same time in another cycle"),
        default=False,
        help_text=_(
            "Unticked, the coordinator is warned when the employee is nominated in another "
            "cycle whose interviews overlap this cycle's; ticked, such a nomination is refused."
        ),
    )
    assignment_types = models.JSONField(
        _("assignment types"),
        default=list,
        blank=True,
        help_text=_("The kinds of assignment hosts may post in this program."),
    )
    phases_may_overlap = models.BooleanField(
        _("phases of a cycle may overlap"),
        default=True,
        help_text=_(
            "When on, a phase may open before the one before it closes (for example, "
            "opportunities are posted while nominations are still coming in)."
        ),
    )
    cycles_may_overlap = models.BooleanField(
        _("cycles may overlap"),
        default=True,
        help_text=_("When off, a new cycle cannot start before the program's latest cycle ends."),
    )
    reminder_days = models.JSONField(
        _("reminder schedule"),
        default=list,
        blank=True,
        help_text=_(
            "How many days before a phase closes the people it waits on are reminded, "
            "for example 7 and 2."
        ),
    )
    requires_conflict_attestation = models.BooleanField(
        _("conflict-of-interest attestation"),
        default=False,
        help_text=_(
            "When on, every participant attests in the agreement that they will declare "
            "and avoid conflicts of interest with the host."
        ),
    )
    administrators_act_for_organizations = models.BooleanField(
        _("administrators act for the organisations"),
        default=False,
        help_text=_(
            "When on (a program inside one government), the program's administrators may "
            "post and approve opportunities on behalf of any participating organisation, "
            "besides its own coordinators."
        ),
    )
    rules_reviewed_at = models.DateTimeField(
        _("rules last saved"), null=True, blank=True, editable=False
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "How many years after a placement closes its personal details are kept; then "
            "they are removed, and the counts and the audit trail's record of changes stay."
        ),
    )
    history = HistoricalRecords(m2m_fields=[participating_organizations])

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                name="program_assignment_length_range",
                condition=Q(min_assignment_months__lte=models.F("max_assignment_months")),
                violation_error_message=_(
                    "The shortest assignment cannot be longer than the longest."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.local_name

    # The name in the reader's language (the other one when it has none).
    local_name = Localized("name")

    @property
    def tolerance_for_engine(self) -> int | None:
        """The balance tolerance the matching engine should enforce, or None for none."""
        if self.reciprocity == Reciprocity.NONE:
            return None
        if self.reciprocity == Reciprocity.STRICT:
            return 0
        return self.balance_tolerance

    @staticmethod
    def organization_ids_by_program(program_ids: Iterable[int]) -> dict[int, set[int]]:
        """Participating and administering organisations of each program, in two queries."""
        result: dict[int, set[int]] = defaultdict(set)
        through = Program.participating_organizations.through
        for pid, oid in through.objects.filter(program_id__in=program_ids).values_list(
            "program_id", "organization_id"
        ):
            result[pid].add(oid)
        for pid, oid in Program.objects.filter(pk__in=program_ids).values_list(
            "pk", "administering_organization_id"
        ):
            result[pid].add(oid)
        return dict(result)


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOMINATIONS = "nominations", _("Nominations")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    PREFERENCES = "preferences", _("Preferences")
    INTERVIEWS = "interviews", _("Interviews")
    MATCHING = "matching", _("Matching")
    PLACEMENTS = "placements", _("Placements")
    CLOSED = "closed", _("Closed")


PHASE_ORDER: list[str] = [p.value for p in Phase]


def allowed_transitions(state: str) -> list[str]:
    """The phases a cycle in ``state`` may move to: the next one first, then back one to
    reopen it. A closed cycle is final; a draft has nothing before it."""
    return CYCLE_WORKFLOW.targets(state)


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user) -> CycleQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))

    def open(self) -> CycleQuerySet:
        return self.exclude(state__in=[Phase.DRAFT, Phase.CLOSED])


class Cycle(models.Model):
    """One round of a program (e.g. "2027 spring cycle"), moving through the phases."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(
        _("name in French"), max_length=200, blank=True, help_text=FRENCH_VERSION_HELP
    )
    state = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="unique_cycle_name"),
        ]

    def __str__(self) -> str:
        return f"{self.program.short_name or self.program.local_name} · {self.local_name}"

    # The name in the reader's language (the other one when it has none).
    local_name = Localized("name")

    def can_move_to(self, target: str) -> bool:
        return target in allowed_transitions(self.state)

    def transition_refusal(self, target: str) -> str | None:
        """Why this cycle cannot move to ``target``, in words a person understands.

        None when it can."""
        if target not in PHASE_ORDER:
            return _("“%(target)s” is not a phase of a cycle.") % {"target": target}
        if self.can_move_to(target):
            return None
        return _explain_refusal(self.state, target)


class CyclePhase(models.Model):
    """The dates of one phase of a cycle (phases may overlap) and who owns it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )

    class Meta:
        ordering = ["opens_on", "phase"]
        verbose_name = _("phase dates")
        verbose_name_plural = _("phase dates")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "phase"], name="unique_cycle_phase"),
            models.CheckConstraint(
                name="cycle_phase_closes_after_opening",
                condition=Q(closes_on__gte=models.F("opens_on")),
                violation_error_message=_("A phase cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.opens_on} – {self.closes_on}"

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A phase cannot close before it opens.")})


class CycleTransition(TransitionRecord):
    """An immutable record of one move of a cycle from one phase to another."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=Phase.choices)
    to_state = models.CharField(max_length=16, choices=Phase.choices)
    note = models.TextField(blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("cycle transition")
        verbose_name_plural = _("cycle transitions")

    subject_field = "cycle"

    def __str__(self) -> str:
        return f"{self.cycle}: {self.from_state} → {self.to_state}"


def _explain_refusal(state: str, target: str) -> str:
    wanted = Phase(target).label
    options = [str(Phase(t).label) for t in allowed_transitions(state)]
    if not options:
        return _("This cycle is closed; a closed cycle cannot move to %(wanted)s.") % {
            "wanted": wanted
        }
    return _(
        "A cycle in the %(current)s phase cannot move to %(wanted)s. It can move to: %(options)s."
    ) % {"current": Phase(state).label, "wanted": wanted, "options": ", ".join(options)}


def _cycle_actions() -> list[Action]:
    """Forward one phase, or back one to reopen it (a closed cycle is final). Forward
    actions come first, so ``allowed_transitions`` names the next phase first."""
    refusal = _("Only an administrator of this program can change its phase.")
    forward = [
        Action(
            f"open_{target}",
            [source],
            target,
            permission="programs.move_cycle",
            refusal=refusal,
            label=Phase(target).label,
        )
        for source, target in itertools.pairwise(PHASE_ORDER)
    ]
    back = [
        Action(
            f"reopen_{target}",
            [source],
            target,
            permission="programs.move_cycle",
            refusal=refusal,
            label=Phase(target).label,
            note_required=_("Say why the cycle goes back a phase: a note is required."),
        )
        for target, source in itertools.pairwise(PHASE_ORDER[:-1])
    ]
    return forward + back


CYCLE_WORKFLOW = Workflow(
    field="state",
    states=Phase,
    record=CycleTransition,
    actions=_cycle_actions(),
    noun=_("A cycle"),
    explain=lambda state, action: _explain_refusal(state, action.target) if action.target else None,
    stale_refusal=_(
        "Someone else moved this cycle to %(state)s a moment ago; nothing was changed."
    ),
)


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProgramInvitationQuerySet(models.QuerySet):
    def pending(self) -> ProgramInvitationQuerySet:
        return self.filter(state=InvitationState.PENDING)

    def visible_to(self, user) -> ProgramInvitationQuerySet:
        """The program's administrators and the invited organisation's coordinators see an
        invitation; superusers and auditors see all."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(
            Q(program_id__in=roles.admin_program_ids)
            | Q(organization_id__in=roles.coordinator_org_ids)
        )

    def awaiting_answer_from(self, user) -> ProgramInvitationQuerySet:
        """Pending invitations to the organisations ``user`` coordinates."""
        return self.pending().filter(organization_id__in=roles_of(user).coordinator_org_ids)


class ProgramInvitation(models.Model):
    """An organisation is asked to join a program. It joins only when one of its own
    coordinators accepts (or a platform operator enrols it, with a recorded reason): a
    program's administrator reads and edits the people of its organisations, so an
    organisation is never taken into a program without its consent."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("program")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="program_invitations",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=InvitationState.choices,
        default=InvitationState.PENDING,
    )
    note = models.TextField(
        _("message to the organisation"),
        blank=True,
        help_text=_("Shown to the organisation's coordinators with the invitation."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    history = HistoricalRecords()

    objects = ProgramInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation to a program")
        verbose_name_plural = _("invitations to a program")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization"],
                condition=Q(state="pending"),
                name="one_pending_invitation_per_organization",
                violation_error_message=_(
                    "This organisation already has an invitation to this program waiting "
                    "for an answer."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.program}"

    @property
    def is_pending(self) -> bool:
        return self.state == InvitationState.PENDING


class InvitationTransition(TransitionRecord):
    """An immutable record of one step of an invitation: sent, accepted, declined, withdrawn,
    or an enrolment by a platform operator (``from_state`` empty, straight to accepted)."""

    invitation = models.ForeignKey(
        ProgramInvitation, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=16, choices=InvitationState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=InvitationState.choices)
    note = models.TextField(blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("invitation step")
        verbose_name_plural = _("invitation steps")

    subject_field = "invitation"

    def __str__(self) -> str:
        return f"{self.invitation}: {self.from_state or '—'} → {self.to_state}"


# An invitation waits for one answer: the invited organisation's coordinator accepts or
# declines, the program's administrator withdraws it, or a platform operator enrols the
# organisation (with a reason). Each answer is final.
_ANSWERED = _("This invitation is no longer waiting for an answer: it is “%(state)s”.")
INVITATION_WORKFLOW = Workflow(
    field="state",
    states=InvitationState,
    record=InvitationTransition,
    actions=[
        Action(
            "accept",
            [InvitationState.PENDING],
            InvitationState.ACCEPTED,
            permission="programs.accept_programinvitation",
            refusal=_("Only a coordinator of the invited organisation can accept this invitation."),
            label=_("Accept"),
            state_refusal=_ANSWERED,
        ),
        Action(
            "decline",
            [InvitationState.PENDING],
            InvitationState.DECLINED,
            permission="programs.decline_programinvitation",
            refusal=_(
                "Only a coordinator of the invited organisation can decline this invitation."
            ),
            label=_("Decline"),
            state_refusal=_ANSWERED,
        ),
        Action(
            "withdraw",
            [InvitationState.PENDING],
            InvitationState.WITHDRAWN,
            permission="programs.withdraw_programinvitation",
            refusal=_("Only an administrator of the program can withdraw this invitation."),
            label=_("Withdraw"),
            state_refusal=_ANSWERED,
        ),
        Action(
            "enrol",
            [InvitationState.PENDING],
            InvitationState.ACCEPTED,
            permission="programs.enrol_organization",
            refusal=_(
                "Only a platform operator can enrol an organisation without its consent here."
            ),
            label=_("Enrol now"),
            state_refusal=_ANSWERED,
            note_required=_(
                "Say why the organisation is enrolled without its coordinator accepting."
            ),
        ),
    ],
    noun=_("An invitation"),
    stale_refusal=_(
        "Someone answered this invitation a moment ago (it is now “%(state)s”); nothing "
        "was changed."
    ),
)
