"""Dashboard sections and cycle links for preferences (see core/dashboard.py)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from talent_exchange.accounts.models import Role
from talent_exchange.core.compiled import CompiledQuery, instance
from talent_exchange.core.dashboard import Section, cycle_links, section
from talent_exchange.nominations.models import Nomination
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.programs.dashboard import CYCLE_NAMES, cycle_of
from talent_exchange.programs.models import CyclePhase

from .deadlines import DEADLINE_PHASE, HOST, OPEN_PHASES, PARTICIPANT, ranking_window

# A host's box shows this many of its opportunities to rank; the cycle's preferences page
# lists them all, a page at a time.
HOST_SHOWN = 10


def _deadline(kind) -> Subquery:
    """The day a row's cycle closes ranking for this kind of ranker (None without one)."""
    return Subquery(
        CyclePhase.objects.filter(cycle_id=OuterRef("cycle_id"), phase=DEADLINE_PHASE[kind]).values(
            "closes_on"
        )[:1]
    )


# A participant's endorsed nominations in cycles open for ranking, with the number ranked
# and the ranking deadline: one statement, compiled once (core/compiled.py).
_RANKABLE = CompiledQuery(
    lambda person_id: (
        Nomination.objects.endorsed()
        .filter(person_id=person_id, cycle__state__in=OPEN_PHASES)
        .annotate(
            ranked=Count("rankings"),
            closes_on=Subquery(
                CyclePhase.objects.filter(
                    cycle_id=OuterRef("cycle_id"), phase=DEADLINE_PHASE[PARTICIPANT]
                ).values("closes_on")[:1]
            ),
        )
        .values("pk", "ranked", "closes_on", *CYCLE_NAMES)
    ),
    person_id=int,
)


@section(
    "preferences.rank_opportunities",
    relevant=lambda probe: Nomination.objects.endorsed().filter(
        person_id=probe.person_id, cycle__state__in=OPEN_PHASES
    ),
)
def rank_opportunities(user, roles, today) -> list[Section] | None:
    """One box per cycle in which the participant may rank now."""
    if not roles.person_id:
        return None
    sections = []
    for row in _RANKABLE.rows(person_id=roles.person_id):
        cycle = cycle_of(row)
        window = ranking_window(
            PARTICIPANT, cycle_state=cycle.state, closes_on=row["closes_on"], today=today
        )
        if not window.is_open:
            continue
        title = _("Rank your opportunities")
        if window.closes_on:
            title = _("Rank your opportunities (closes %(date)s)") % {
                "date": format_date(window.closes_on, "j M Y")
            }
        sections.append(
            Section(
                title=title,
                template="preferences/dashboard/participant.html",
                context={"nomination": instance(Nomination, row, cycle=cycle), "window": window},
            )
        )
    return sections


# A host's first approved opportunities in cycles open for ranking (one more than shown,
# to know whether there are more), with the number ranked and the host's ranking deadline.
_TO_RANK = CompiledQuery(
    lambda org_ids: (
        Opportunity.objects.approved()
        .filter(host_organization_id__in=org_ids, cycle__state__in=OPEN_PHASES)
        .annotate(ranked=Count("host_rankings"), closes_on=_deadline(HOST))
        .order_by("cycle_id", "title", "pk")
        .values("pk", "title", "title_fr", "ranked", "closes_on", "cycle_id", *CYCLE_NAMES)[
            : HOST_SHOWN + 1
        ]
    ),
    org_ids=frozenset,
)


@section(
    "preferences.rank_candidates",
    relevant=lambda probe: Opportunity.objects.approved().filter(
        host_organization__in=probe.grants(Role.COORDINATOR).values("organization"),
        cycle__state__in=OPEN_PHASES,
    ),
)
def rank_candidates(user, roles, today) -> Section | None:
    if not roles.coordinator_org_ids:
        return None
    found = _TO_RANK.rows(org_ids=roles.coordinator_org_ids)
    if not found:
        return None
    rows = [
        {
            "opportunity": instance(Opportunity, row, cycle=cycle_of(row)),
            "window": ranking_window(
                HOST, cycle_state=row["cycle__state"], closes_on=row["closes_on"], today=today
            ),
        }
        for row in found[:HOST_SHOWN]
    ]
    return Section(
        title=_("Rank candidates"),
        template="preferences/dashboard/host.html",
        context={
            "rows": rows,
            "more_url": reverse("preferences:cycle", args=[found[0]["cycle_id"]])
            if len(found) > HOST_SHOWN
            else "",
        },
    )


@cycle_links("preferences")
def links(cycle, user) -> list[tuple[str, str]]:
    if user.has_perm("preferences.view_cycle_preferences", cycle):
        return [(_("Preferences"), reverse("preferences:cycle", args=[cycle.pk]))]
    return []
