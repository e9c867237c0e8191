"""Disclosure accounting and the record of retention purges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talent_exchange.accounts.roles import roles_of


class RecordViewQuerySet(models.QuerySet):
    def visible_to(self, user) -> RecordViewQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        if roles.person_id is None:
            return self.none()
        return self.filter(person_id=roles.person_id)


class RecordView(models.Model):
    """Someone other than the person opened their talent profile: who, when, with which
    roles. Written as the page is shown (the one deliberate write on a GET, like an access
    log) and never changed; the person and auditors read the list."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="record_views"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    viewer_name = models.CharField(_("viewed by"), max_length=300)
    viewer_roles = models.CharField(_("as"), max_length=300, blank=True)
    what = models.CharField(_("what was seen"), max_length=100)
    viewed_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = RecordViewQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["person", "-viewed_at"], name="recordview_person_idx")]
        verbose_name = _("record view")
        verbose_name_plural = _("record views")

    def __str__(self) -> str:
        return f"{self.viewer_name} → {self.person_id} ({self.viewed_at:%Y-%m-%d %H:%M})"


class RetentionPurge(models.Model):
    """A placement whose personal details were removed under its program's retention period."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="retention_purge"
    )
    retention_years = models.PositiveSmallIntegerField()
    purged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("retention purge")
        verbose_name_plural = _("retention purges")

    def __str__(self) -> str:
        return f"placement {self.placement_id} ({self.purged_at:%Y-%m-%d})"
