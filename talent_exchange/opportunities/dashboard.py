"""The opportunities app's part of the dashboard and the cycle page (core/dashboard.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.core.dashboard import Section, cycle_links, section

from .models import Opportunity


@section("opportunities.to_approve")
def to_approve(user, roles, today) -> Section | None:
    if not roles.admin_program_ids:
        return None
    waiting = list(
        Opportunity.objects.awaiting_approval()
        .in_programs(roles.admin_program_ids)
        .select_related("host_organization", "cycle__program")
        .order_by("created_at", "pk")[:20]
    )
    return Section(
        title=_("Opportunities awaiting your approval"),
        template="opportunities/dashboard_queue.html",
        context={"opportunities": waiting},
    )


@section("opportunities.to_finish")
def to_finish(user, roles, today) -> Section | None:
    if not roles.coordinator_org_ids:
        return None
    to_do = list(
        Opportunity.objects.needing_changes()
        .hosted_by(roles.coordinator_org_ids)
        .select_related("host_organization", "cycle__program")
        .order_by("-status", "title", "pk")[:20]
    )
    return Section(
        title=_("Your opportunities to finish"),
        template="opportunities/dashboard_host.html",
        context={"opportunities": to_do},
    )


@cycle_links("opportunities")
def links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("opportunities.list_opportunities"):
        return []
    return [(_("Opportunities"), reverse("opportunities:list", args=[cycle.pk]))]
