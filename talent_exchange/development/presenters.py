"""Labels and next-step texts of executive development, decided here, not in templates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .compliance import Status

STATUS_LABELS = {
    Status.COMPLIANT: _("Compliant"),
    Status.DUE: _("Due soon"),
    Status.OVERDUE: _("Overdue"),
    Status.EXEMPT: _("Exempt"),
}

STATUS_TAGS = {
    Status.COMPLIANT: "te-tag--ok",
    Status.DUE: "te-tag--warning",
    Status.OVERDUE: "te-tag--alert",
    Status.EXEMPT: "te-tag--neutral",
}


def verdict_display(verdict) -> dict:
    return {
        "label": STATUS_LABELS[verdict.status],
        "tag": STATUS_TAGS[verdict.status],
        "reason": verdict.reason,
        "due_on": verdict.due_on,
        "code": str(verdict.status),
    }
