"""Opportunities: the assignment slots host organisations post into a cycle."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.bilingual import FRENCH_VERSION_HELP, Localized, search_both
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow
from talent_exchange.people.models import AssignmentType


class Workplace(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Remote")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def transition_refusal(current: str, target: str) -> StrOrPromise | None:
    """Why an opportunity in ``current`` cannot move to ``target``; None when it can."""
    targets = OPPORTUNITY_WORKFLOW.targets(current)
    if target in targets:
        return None
    now = OpportunityStatus(current).label
    wanted = OpportunityStatus(target).label
    if not targets:
        return _("This opportunity was withdrawn; a withdrawn opportunity cannot change.")
    options = ", ".join(str(OpportunityStatus(t).label) for t in sorted(targets))
    return _(
        "An opportunity that is “%(now)s” cannot become “%(wanted)s”. It can become: %(options)s."
    ) % {"now": now, "wanted": wanted, "options": options}


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> OpportunityQuerySet:
        """Approved opportunities are visible to everyone in the program; drafts and returned
        ones only to their host's coordinators and the program's administrators."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        from talent_exchange.programs.models import Program

        # Kept to the programs the user sees: rules.sees_its_program relies on it.
        programs = Program.objects.visible_to(user)
        own = Q(host_organization_id__in=roles.coordinator_org_ids) | Q(
            cycle__program_id__in=roles.admin_program_ids
        )
        return self.filter(Q(cycle__program__in=programs) & (Q(status="approved") | own))

    def approved(self) -> OpportunityQuerySet:
        return self.filter(status=OpportunityStatus.APPROVED)

    def awaiting_approval(self) -> OpportunityQuerySet:
        return self.filter(status=OpportunityStatus.SUBMITTED)

    def for_cycle(self, cycle) -> OpportunityQuerySet:
        return self.filter(cycle=cycle)

    def hosted_by(self, organization_ids) -> OpportunityQuerySet:
        return self.filter(host_organization_id__in=organization_ids)

    def needing_changes(self) -> OpportunityQuerySet:
        """Drafts and returned opportunities: the host still has work to do."""
        return self.filter(status__in=[OpportunityStatus.DRAFT, OpportunityStatus.RETURNED])

    def in_programs(self, program_ids) -> OpportunityQuerySet:
        return self.filter(cycle__program_id__in=program_ids)

    def search(self, text: str) -> OpportunityQuerySet:
        q = Q()
        for word in text.split():
            q &= search_both(["title", "description"], word) | Q(location__icontains=word)
        return self.filter(q)

    def with_skill(self, skill) -> OpportunityQuerySet:
        """Opportunities that require or develop ``skill``."""
        return self.filter(
            Q(
                pk__in=self.model.skills_required.through.objects.filter(skill=skill).values(
                    "opportunity_id"
                )
            )
            | Q(
                pk__in=self.model.skills_developed.through.objects.filter(skill=skill).values(
                    "opportunity_id"
                )
            )
        )

    def for_rows(self) -> OpportunityQuerySet:
        """What a row of a cycle's opportunities shows but the skills
        (``presenters.opportunity_rows``)."""
        return self.select_related("host_organization")

    def with_card(self) -> OpportunityQuerySet:
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related("host_organization", "cycle__program", "coach").prefetch_related(
            "skills_required", "skills_developed"
        )


class Opportunity(models.Model):
    cycle = models.ForeignKey(
        "programs.Cycle",
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("cycle"),
    )
    host_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("host organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    # Bilingual content (core/bilingual.py): the French versions, shown to French readers.
    title_fr = models.CharField(
        _("title in French"), max_length=200, blank=True, help_text=FRENCH_VERSION_HELP
    )
    description_fr = models.TextField(
        _("description in French"), blank=True, help_text=FRENCH_VERSION_HELP
    )
    assignment_type = models.CharField(
        _("type"), max_length=32, choices=AssignmentType.choices, default=AssignmentType.EXCHANGE
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    start_earliest = models.DateField(_("earliest start"))
    start_latest = models.DateField(_("latest start"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    workplace = models.CharField(
        _("workplace"), max_length=16, choices=Workplace.choices, default=Workplace.ON_SITE
    )
    skills_required = models.ManyToManyField(
        "people.Skill", blank=True, related_name="+", verbose_name=_("skills required")
    )
    skills_developed = models.ManyToManyField(
        "people.Skill", blank=True, related_name="+", verbose_name=_("skills developed")
    )
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    coach = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_opportunities",
        verbose_name=_("host supervisor and coach"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.DRAFT,
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[skills_required, skills_developed])

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["host_organization__name", "title"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                name="opportunity_capacity_positive", condition=Q(capacity__gte=1)
            ),
            models.CheckConstraint(
                name="opportunity_start_window",
                condition=Q(start_latest__gte=models.F("start_earliest")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_title} · {self.host_organization}"

    # The title and description in the reader's language (the other when it has none).
    local_title = Localized("title")
    local_description = Localized("description")

    @property
    def organization_id(self) -> int:
        """For the shared organisation predicates: an opportunity belongs to its host."""
        return self.host_organization_id

    @property
    def program_id(self) -> int:
        return self.cycle.program_id

    @property
    def is_editable(self) -> bool:
        return OPPORTUNITY_WORKFLOW.allows(self, "edit")

    @property
    def returned_comment(self) -> str:
        """The administrator's comment while the host still has to act on it."""
        return self.review_comment if self.status == OpportunityStatus.RETURNED else ""

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.start_earliest and self.start_latest and self.start_latest < self.start_earliest:
            errors["start_latest"] = _("The latest start cannot be before the earliest start.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("An opportunity needs at least one place.")
        if self.cycle_id and self.duration_months is not None:
            program = self.cycle.program
            low, high = program.min_assignment_months, program.max_assignment_months
            if not low <= self.duration_months <= high:
                errors["duration_months"] = _(
                    "%(program)s assignments last from %(low)s to %(high)s months."
                ) % {"program": program.short_name or program.name, "low": low, "high": high}
        if (
            self.coach is not None
            and self.host_organization_id
            and self.coach.organization_id != self.host_organization_id
        ):
            errors["coach"] = _("The coach must work for the host organisation.")
        if errors:
            raise ValidationError(errors)


class OpportunityTransition(TransitionRecord):
    """One move of an opportunity's workflow: who, when, from what to what, and why.
    Rows are only ever added."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=16, choices=OpportunityStatus.choices)
    to_status = models.CharField(max_length=16, choices=OpportunityStatus.choices)
    comment = models.TextField(blank=True)

    subject_field = "opportunity"
    from_field = "from_status"
    to_field = "to_status"
    note_field = "comment"

    class Meta(TransitionRecord.Meta):
        verbose_name = _("opportunity transition")
        verbose_name_plural = _("opportunity transitions")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def _opportunity_workflow() -> Workflow:
    """A host drafts, submits and withdraws (from any state but withdrawn); the program
    administrator approves or returns a submitted one; the host edits only while the
    administrator is not looking at it (a draft, or returned for changes)."""
    S = OpportunityStatus
    host_may_act = [S.DRAFT, S.RETURNED]
    return Workflow(
        states=S,
        record=OpportunityTransition,
        noun=_("An opportunity"),
        explain=lambda state, action: (
            transition_refusal(state, action.target) if action.target else None
        ),
        actions=[
            Action(
                "submit",
                host_may_act,
                S.SUBMITTED,
                permission="opportunities.submit_opportunity",
                refusal=_(
                    "Only a coordinator of the host organisation can submit this opportunity."
                ),
                label=_("Submit for approval"),
            ),
            Action(
                "approve",
                [S.SUBMITTED],
                S.APPROVED,
                permission="opportunities.review_opportunity",
                refusal=_("Only an administrator of this program can approve opportunities."),
                label=_("Approve"),
            ),
            Action(
                "return",
                [S.SUBMITTED],
                S.RETURNED,
                permission="opportunities.review_opportunity",
                refusal=_("Only an administrator of this program can return opportunities."),
                label=_("Return for changes"),
                note_required=_("Say what the host should change: a comment is required."),
            ),
            Action(
                "withdraw",
                [S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED],
                S.WITHDRAWN,
                permission="opportunities.withdraw_opportunity",
                refusal=_(
                    "Only a coordinator of the host organisation can withdraw this opportunity."
                ),
                label=_("Withdraw"),
            ),
            Action(
                "edit",
                host_may_act,
                None,
                permission="opportunities.change_opportunity",
                refusal=_(
                    "Only a coordinator of the host organisation can change this opportunity."
                ),
                label=_("Edit"),
                state_refusal=_(
                    "This opportunity is “%(state)s” and can no longer be edited. "
                    "Withdraw it and post a new one if it must change."
                ),
            ),
        ],
    )


OPPORTUNITY_WORKFLOW = _opportunity_workflow()
