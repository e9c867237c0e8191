"""Preferences: participants rank opportunities; hosts rank candidates after interviews."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of


class RankingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rankings of the programs a user administers (the auditor sees all). Nominees and
        hosts read their own lists through the ranking pages, not this QuerySet."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(nomination__cycle__program_id__in=roles.admin_program_ids)


class ParticipantRanking(models.Model):
    """Where a nominee ranks an opportunity they would accept (1 = first choice)."""

    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="rankings"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="participant_rankings"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    history = HistoricalRecords()

    objects = RankingQuerySet.as_manager()

    class Meta:
        ordering = ["nomination", "rank"]
        verbose_name = _("participant ranking")
        verbose_name_plural = _("participant rankings")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "opportunity"], name="rank_each_opportunity_once"
            ),
            models.UniqueConstraint(fields=["nomination", "rank"], name="one_opportunity_per_rank"),
            models.CheckConstraint(name="participant_rank_positive", condition=Q(rank__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.nomination.person} → {self.opportunity}: {self.rank}"

    @property
    def program_id(self) -> int:
        return self.nomination.program_id


class HostRanking(models.Model):
    """Where a host ranks a candidate for one of its opportunities (1 = first choice)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="host_rankings"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="host_rankings"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    history = HistoricalRecords()

    objects = RankingQuerySet.as_manager()

    class Meta:
        ordering = ["opportunity", "rank"]
        verbose_name = _("host ranking")
        verbose_name_plural = _("host rankings")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "nomination"], name="rank_each_candidate_once"
            ),
            models.UniqueConstraint(fields=["opportunity", "rank"], name="one_candidate_per_rank"),
            models.CheckConstraint(name="host_rank_positive", condition=Q(rank__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} → {self.nomination.person}: {self.rank}"

    @property
    def program_id(self) -> int:
        return self.nomination.program_id
