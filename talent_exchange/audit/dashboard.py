"""The audit trail's part of the dashboard (core/dashboard.py): an auditor's latest changes."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from talent_exchange.core.dashboard import Section, section

from .trail import latest_changes as latest_changes_of


@section("audit.latest_changes")
def latest_changes(user, roles, today: date) -> Section | None:
    if not roles.is_auditor:
        return None
    return Section(
        _("Latest changes"),
        "audit/dashboard/latest_changes.html",
        {"changes": latest_changes_of(user, limit=10)},
        "dashboard-auditor",
    )
