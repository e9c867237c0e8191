"""What match runs and offers add to the dashboard and to a cycle's page (core/dashboard.py).

Each section costs one query, whatever the number of runs or offers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.accounts.models import Role
from talent_exchange.core.dashboard import Section, cycle_links, section

from .models import RUN_DEFERRED, MatchRun, Offer

DASHBOARD_LIMIT = 20


@cycle_links("matches")
def links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("matches.list_runs", cycle):
        return []
    return [(_("Match runs"), reverse("matches:runs", args=[cycle.pk]))]


@section(
    "matches.own_offer",
    relevant=lambda probe: Offer.objects.filter(nomination__person_id=probe.person_id),
)
def own_offer(user, roles, today) -> Section | None:
    if not roles.person_id:
        return None
    own = list(
        Offer.objects.filter(nomination__person_id=roles.person_id)
        .select_related("opportunity__host_organization", "run__cycle__program")
        .defer(*(f"run__{name}" for name in RUN_DEFERRED))
        .order_by("-run__created_at", "pk")[:DASHBOARD_LIMIT]
    )
    if not own:
        return None
    return Section(
        title=_("Your offer"),
        template="matches/dashboard/participant.html",
        context={"offers": own, "today": today},
    )


@section(
    "matches.host_offers",
    relevant=lambda probe: Offer.objects.filter(
        opportunity__host_organization__in=probe.grants(Role.COORDINATOR).values("organization")
    ),
)
def host_offers(user, roles, today) -> Section | None:
    if not roles.coordinator_org_ids:
        return None
    hosted = list(
        Offer.objects.filter(opportunity__host_organization_id__in=roles.coordinator_org_ids)
        .select_related(
            "opportunity__host_organization", "nomination__person", "run__cycle__program"
        )
        .defer(*(f"run__{name}" for name in RUN_DEFERRED))
        .order_by("-run__created_at", "opportunity__title", "pk")[:DASHBOARD_LIMIT]
    )
    if not hosted:
        return None
    return Section(
        title=_("Offers for your opportunities"),
        template="matches/dashboard/coordinator.html",
        context={"offers": hosted, "today": today},
    )


@section("matches.runs")
def latest_runs(user, roles, today) -> Section | None:
    if not roles.admin_program_ids:
        return None
    runs = (
        MatchRun.objects.filter(cycle__program_id__in=roles.admin_program_ids)
        .exclude(cycle__state="closed")
        .select_related("cycle__program")
        .defer(*RUN_DEFERRED)
        .order_by("cycle_id", "-created_at")
    )
    latest: dict[int, MatchRun] = {}
    for run in runs:
        latest.setdefault(run.cycle_id, run)
    return Section(
        title=_("Match runs"),
        template="matches/dashboard/admin.html",
        context={"runs": sorted(latest.values(), key=lambda r: -r.pk)},
    )
