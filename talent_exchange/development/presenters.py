"""Labels and next-step texts of executive development, decided here, not in templates."""

from __future__ import annotations

from django.utils.translation import gettext
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


def moves_summary(rule) -> str:
    """The rule's minimum and maximum moves in a sentence ("" when it sets neither)."""
    if rule.min_moves is None and rule.max_moves is None:
        return ""
    if rule.moves_period_years:
        scope = gettext("in the last %(years)s years") % {"years": rule.moves_period_years}
    else:
        scope = gettext("in a career")
    parts = []
    if rule.min_moves is not None:
        parts.append(gettext("at least %(n)s moves that count") % {"n": rule.min_moves})
    if rule.max_moves is not None:
        parts.append(gettext("at most %(n)s") % {"n": rule.max_moves})
    return gettext("%(limits)s %(scope)s.") % {
        "limits": ", ".join(str(p) for p in parts),
        "scope": scope,
    }
