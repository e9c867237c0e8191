"""The nominations app's part of the dashboard and the cycle page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.core.hooks import Section

from .models import Endorsement, Nomination


def dashboard_sections(user, roles, today) -> list[Section]:
    sections = []
    if roles.coordinator_org_ids:
        waiting = list(
            Nomination.objects.awaiting_endorsement()
            .from_organizations(roles.coordinator_org_ids)
            .select_related("person", "cycle__program")
            .order_by("created_at", "pk")[:20]
        )
        sections.append(
            Section(
                title=_("Nominations awaiting endorsement"),
                template="nominations/dashboard_coordinator.html",
                context={"nominations": waiting},
                order=30,
            )
        )
    endorsements = list(
        Endorsement.objects.waiting_for(user).select_related(
            "nomination__person", "nomination__cycle__program"
        )[:20]
    )
    if endorsements:
        sections.append(
            Section(
                title=_("Nominations waiting for your endorsement"),
                template="nominations/dashboard_endorser.html",
                context={"endorsements": endorsements},
                order=10,
            )
        )
    if roles.person_id:
        own = list(
            Nomination.objects.filter(person_id=roles.person_id)
            .exclude(status="withdrawn")
            .select_related("cycle__program")
            .order_by("-created_at")[:5]
        )
        if own:
            sections.append(
                Section(
                    title=_("Your nomination"),
                    template="nominations/dashboard_nominee.html",
                    context={"nominations": own},
                    order=15,
                )
            )
    return sections


def cycle_links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("nominations.list_nominations"):
        return []
    return [(_("Nominations"), reverse("nominations:list", args=[cycle.pk]))]
