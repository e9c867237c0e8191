"""The opportunities app's part of the dashboard and the cycle page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.core.hooks import Section

from .models import Opportunity


def dashboard_sections(user, roles, today) -> list[Section]:
    sections = []
    if roles.admin_program_ids:
        waiting = list(
            Opportunity.objects.awaiting_approval()
            .in_programs(roles.admin_program_ids)
            .select_related("host_organization", "cycle__program")
            .order_by("created_at", "pk")[:20]
        )
        sections.append(
            Section(
                title=_("Opportunities awaiting your approval"),
                template="opportunities/dashboard_queue.html",
                context={"opportunities": waiting},
                order=20,
            )
        )
    if roles.coordinator_org_ids:
        to_do = list(
            Opportunity.objects.needing_changes()
            .hosted_by(roles.coordinator_org_ids)
            .select_related("host_organization", "cycle__program")
            .order_by("-status", "title", "pk")[:20]
        )
        sections.append(
            Section(
                title=_("Your opportunities to finish"),
                template="opportunities/dashboard_host.html",
                context={"opportunities": to_do},
                order=25,
            )
        )
    return sections


def cycle_links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("opportunities.list_opportunities"):
        return []
    return [(_("Opportunities"), reverse("opportunities:list", args=[cycle.pk]))]
