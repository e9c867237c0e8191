"""The outbox: one row per e-mail the product sends (see services.notify)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unsent(self) -> NotificationQuerySet:
        return self.filter(sent_at__isnull=True)


class Notification(models.Model):
    """One message, written in the same transaction as the change it reports and delivered
    by the task worker after the commit. ``key`` names the message (for example
    ``placements:checkin:12:overdue``); its uniqueness is what makes a message go out once,
    however often ``notify`` is called for it."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    template = models.CharField(_("template"), max_length=120)
    recipients = models.TextField(_("recipients"))
    language = models.CharField(_("language"), max_length=16)
    subject = models.CharField(_("subject"), max_length=300)
    # The bodies may carry one-time links (a password to choose); they are emptied once the
    # message is delivered, the record of what was sent to whom stays.
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Delivery: a deliverer holds the row while it talks to the SMTP server (a lease, so a
    # deliverer killed mid-send does not keep it for ever); a failed attempt is counted, its
    # error kept for the operator, and the next one waits longer (services.backoff).
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="notification_unsent_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def state(self) -> str:
        """For the operator: sent, waiting, or retrying after a failure."""
        if self.sent_at:
            return str(_("sent"))
        if self.attempts:
            return str(_("retrying"))
        return str(_("waiting"))

    @property
    def recipient_list(self) -> list[str]:
        return [r for r in self.recipients.split(", ") if r]
