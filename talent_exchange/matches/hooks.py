"""What match runs and offers add to the dashboard and to a cycle's page (core/hooks.py).

Each section costs one query, whatever the number of runs or offers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.core.hooks import Section

from .models import MatchRun, Offer

DASHBOARD_LIMIT = 20


def cycle_links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("matches.list_runs", cycle):
        return []
    return [(_("Match runs"), reverse("matches:runs", args=[cycle.pk]))]


def dashboard_sections(user, roles, today) -> list[Section]:
    sections = []
    if roles.admin_program_ids:
        sections.append(_latest_runs(roles))
    if roles.person_id:
        own = list(
            Offer.objects.filter(nomination__person_id=roles.person_id)
            .select_related("opportunity__host_organization", "run__cycle__program")
            .order_by("-run__created_at", "pk")[:DASHBOARD_LIMIT]
        )
        if own:
            sections.append(
                Section(
                    title=_("Your offer"),
                    template="matches/dashboard/participant.html",
                    context={"offers": own, "today": today},
                    order=20,
                )
            )
    if roles.coordinator_org_ids:
        hosted = list(
            Offer.objects.filter(opportunity__host_organization_id__in=roles.coordinator_org_ids)
            .select_related(
                "opportunity__host_organization", "nomination__person", "run__cycle__program"
            )
            .order_by("-run__created_at", "opportunity__title", "pk")[:DASHBOARD_LIMIT]
        )
        if hosted:
            sections.append(
                Section(
                    title=_("Offers for your opportunities"),
                    template="matches/dashboard/coordinator.html",
                    context={"offers": hosted, "today": today},
                    order=40,
                )
            )
    return sections


def _latest_runs(roles) -> Section:
    runs = (
        MatchRun.objects.filter(cycle__program_id__in=roles.admin_program_ids)
        .exclude(cycle__state="closed")
        .select_related("cycle__program")
        .defer("market", "result")
        .order_by("cycle_id", "-created_at")
    )
    latest: dict[int, MatchRun] = {}
    for run in runs:
        latest.setdefault(run.cycle_id, run)
    return Section(
        title=_("Match runs"),
        template="matches/dashboard/admin.html",
        context={"runs": sorted(latest.values(), key=lambda r: -r.pk)},
        order=30,
    )
