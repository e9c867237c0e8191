"""Interviews: panels, their candidates, schedules and rubric scores."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of


class RubricQuerySet(models.QuerySet):
    def visible_to(self, user):
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(program_id__in=roles.admin_program_ids)


class PanelQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see their programs' panels; a panelist sees the panels they sit on."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(cycle__program_id__in=roles.admin_program_ids) | Q(members=user)
        return self.filter(pk__in=self.filter(allowed).values("pk"))


class PanelAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A panelist sees only their own panels' candidates; a nominee sees their own
        interviews (to download the invitation); administrators their programs'."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(panel__cycle__program_id__in=roles.admin_program_ids) | Q(panel__members=user)
        if roles.person_id:
            allowed |= Q(nomination__person_id=roles.person_id)
        return self.filter(pk__in=self.filter(allowed).values("pk"))

    def for_cycle(self, cycle):
        return self.filter(panel__cycle=cycle)


class ScoreQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Scores are read by the program's administrators and auditors, and each panelist
        reads their own. Coordinators read no scores at all."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(
            Q(assignment__panel__cycle__program_id__in=roles.admin_program_ids) | Q(panelist=user)
        )


class RubricCriterion(models.Model):
    """One line of a program's interview rubric, e.g. "Leadership potential", weight 2."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="rubric")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("criterion"), max_length=120)
    description = models.TextField(_("what good looks like"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    history = HistoricalRecords()

    objects = RubricQuerySet.as_manager()

    class Meta:
        ordering = ["program", "order"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric")

    def __str__(self) -> str:
        return self.name


class Panel(models.Model):
    """Managers and HR from several organisations who interview a set of candidates."""

    cycle = models.ForeignKey("programs.Cycle", on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="panels", verbose_name=_("panelists")
    )
    location = models.CharField(_("where"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = PanelQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "name"]
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="unique_panel_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def program_id(self) -> int:
        return self.cycle.program_id


class PanelAssignment(models.Model):
    """A candidate interviewed by a panel, and when."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="assignments")
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="panel_assignments"
    )
    starts_at = models.DateTimeField(_("interview starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("interview ends"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PanelAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "starts_at"]
        verbose_name = _("panel candidate")
        verbose_name_plural = _("panel candidates")
        constraints = [
            models.UniqueConstraint(fields=["panel", "nomination"], name="unique_panel_candidate"),
            models.CheckConstraint(
                name="interview_ends_after_start",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel}: {self.nomination.person}"

    @property
    def program_id(self) -> int:
        return self.panel.program_id


class Score(models.Model):
    """One panelist's score of one candidate on one rubric criterion, with notes."""

    assignment = models.ForeignKey(PanelAssignment, on_delete=models.CASCADE, related_name="scores")
    panelist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "panelist", "criterion"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"

    @property
    def program_id(self) -> int:
        return self.assignment.program_id
