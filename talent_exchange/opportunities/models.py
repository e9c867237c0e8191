"""Opportunities: the assignment slots host organisations post into a cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
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


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> OpportunityQuerySet:
        """Approved opportunities are visible to everyone in the program; drafts and returned
        ones only to their host's coordinators and the program's administrators."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        from talent_exchange.programs.models import Program

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
        return f"{self.title} · {self.host_organization}"

    @property
    def organization_id(self) -> int:
        """For the shared organisation predicates: an opportunity belongs to its host."""
        return self.host_organization_id
