"""The nominations app's part of the dashboard and the cycle page (core/dashboard.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.core.compiled import CompiledQuery, instance
from talent_exchange.core.dashboard import Section, cycle_links, section
from talent_exchange.people.models import Person
from talent_exchange.programs.dashboard import CYCLE_NAMES, cycle_of
from talent_exchange.programs.models import Cycle

from .eligibility import NOMINATION_PHASES
from .models import Endorsement, Nomination
from .next_step import next_step, with_progress

# A coordinator's first nominations waiting for endorsement, oldest first, and the cycles
# open for nominations in their organisations' programs: compiled once (core/compiled.py).
_AWAITING = CompiledQuery(
    lambda org_ids: (
        Nomination.objects.awaiting_endorsement()
        .from_organizations(org_ids)
        .order_by("created_at", "pk")
        .values("pk", "person__first_name", "person__last_name", *CYCLE_NAMES)[:20]
    ),
    org_ids=frozenset,
)
_OPEN_CYCLES = CompiledQuery(
    lambda org_ids: (
        Cycle.objects.filter(
            state__in=NOMINATION_PHASES, program__participating_organizations__in=org_ids
        )
        .distinct()
        .order_by("-created_at", "pk")
        .values(
            "pk",
            "created_at",
            "name",
            "name_fr",
            "program__name",
            "program__name_fr",
            "program__short_name",
        )[:5]
    ),
    org_ids=frozenset,
)


@section("nominations.awaiting_endorsement")
def awaiting_endorsement(user, roles, today) -> Section | None:
    if not roles.coordinator_org_ids:
        return None
    waiting = [
        instance(Nomination, row, person=instance(Person, row, "person__"), cycle=cycle_of(row))
        for row in _AWAITING.rows(org_ids=roles.coordinator_org_ids)
    ]
    # What a coordinator does in an open cycle: nominate and post (one query).
    open_cycles = [
        cycle_of(row, prefix="") for row in _OPEN_CYCLES.rows(org_ids=roles.coordinator_org_ids)
    ]
    return Section(
        title=_("Nominations awaiting endorsement"),
        template="nominations/dashboard_coordinator.html",
        context={"nominations": waiting, "open_cycles": open_cycles},
    )


@section(
    "nominations.to_endorse",
    relevant=lambda probe: Endorsement.objects.current().filter(endorser_id=probe.user_id),
)
def to_endorse(user, roles, today) -> Section | None:
    endorsements = list(
        Endorsement.objects.waiting_for(user).select_related(
            "nomination__person", "nomination__cycle__program"
        )[:20]
    )
    if not endorsements:
        return None
    return Section(
        title=_("Nominations waiting for your endorsement"),
        template="nominations/dashboard_endorser.html",
        context={"endorsements": endorsements},
    )


# A participant's nominations, latest first, with their progress: compiled once
# (core/compiled.py); next_step reads the fields and annotations it names.
_OWN = CompiledQuery(
    lambda person_id: with_progress(
        Nomination.objects.filter(person_id=person_id)
        .exclude(status="withdrawn")
        .order_by("-created_at")
    ).values(
        "pk",
        "status",
        "profile_confirmed_at",
        "latest_offer_status",
        "placement_id",
        *CYCLE_NAMES,
    )[:5],
    person_id=int,
)


@section(
    "nominations.own",
    relevant=lambda probe: Nomination.objects.filter(person_id=probe.person_id).exclude(
        status="withdrawn"
    ),
)
def own(user, roles, today) -> Section | None:
    if not roles.person_id:
        return None
    nominations = [
        instance(Nomination, row, cycle=cycle_of(row))
        for row in _OWN.rows(person_id=roles.person_id)
    ]
    if not nominations:
        return None
    return Section(
        title=_("Your nomination"),
        template="nominations/dashboard_nominee.html",
        context={"rows": [(n, next_step(n)) for n in nominations]},
    )


@cycle_links("nominations")
def links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("nominations.list_nominations"):
        return []
    return [(_("Nominations"), reverse("nominations:list", args=[cycle.pk]))]
