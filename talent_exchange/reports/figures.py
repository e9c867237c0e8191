"""The program dashboard's numbers, in a fixed number of aggregate queries whatever the
program's size: the current cycle's funnel, the exchange flow between organisations,
reciprocity, outcomes by cohort and evaluation ratings."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talent_exchange.interviews.models import Score
from talent_exchange.matches.models import Offer, OfferStatus
from talent_exchange.nominations.models import Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.placements.models import (
    OUTCOME_MONTHS,
    Evaluation,
    Outcome,
    Placement,
    Respondent,
    Stage,
    Status,
)
from talent_exchange.preferences.models import ParticipantRanking
from talent_exchange.programs.models import Cycle, Phase

FUNNEL_STEPS = (
    ("opportunities", _("Opportunities")),
    ("nominations", _("Nominations")),
    ("endorsed", _("Endorsed")),
    ("ranked", _("Ranked")),
    ("interviewed", _("Interviewed")),
    ("matched", _("Matched")),
    ("accepted", _("Accepted")),
    ("started", _("Started")),
)
STARTED = [s for s in Status.values if s != Status.AGREEMENT]

# outcome measures shown per cohort (field, label)
COHORT_MEASURES = (
    ("promoted", _("Promoted")),
    ("new_role", _("New role")),
    ("still_with_home", _("Retained")),
)


def current_cycle(program, filters: dict) -> Cycle | None:
    """The cycle the filters name, or the program's latest open cycle, or its latest."""
    if filters.get("cycle") is not None:
        return filters["cycle"]
    cycles = Cycle.objects.filter(program=program).order_by("-created_at", "-pk")
    return cycles.exclude(state__in=[Phase.DRAFT, Phase.CLOSED]).first() or cycles.first()


def placements(program, filters: dict) -> QuerySet[Placement]:
    """The program's placements that the organisation, type and period filters keep."""
    rows = Placement.objects.filter(program=program)
    org = filters.get("organization")
    if org is not None:
        rows = rows.filter(Q(home_organization=org) | Q(host_organization=org))
    if filters.get("assignment_type"):
        rows = rows.filter(assignment_type=filters["assignment_type"])
    if filters.get("start"):
        rows = rows.filter(start_date__gte=filters["start"])
    if filters.get("end"):
        rows = rows.filter(start_date__lte=filters["end"])
    return rows


def funnel(program, filters: dict) -> dict[str, Any]:
    """The cycle's pipeline, each step counting nominations (opportunities: approved slots).
    Two queries."""
    cycle = current_cycle(program, filters)
    if cycle is None:
        return {"cycle": None, "steps": [(label, 0) for _key, label in FUNNEL_STEPS]}
    org = filters.get("organization")
    kind = filters.get("assignment_type")
    opportunities = Opportunity.objects.filter(cycle=cycle, status=OpportunityStatus.APPROVED)
    if org is not None:
        opportunities = opportunities.filter(host_organization=org)
    if kind:
        opportunities = opportunities.filter(assignment_type=kind)
    nominations = Nomination.objects.filter(cycle=cycle).exclude(status=NominationStatus.WITHDRAWN)
    if org is not None:
        nominations = nominations.filter(home_organization=org)
    offers = Offer.objects.filter(nomination=OuterRef("pk"))
    if kind:
        offers = offers.filter(opportunity__assignment_type=kind)
    totals = nominations.aggregate(
        nominations=Count("pk"),
        endorsed=Count("pk", filter=Q(status=NominationStatus.ENDORSED)),
        ranked=Count(
            "pk", filter=Q(Exists(ParticipantRanking.objects.filter(nomination=OuterRef("pk"))))
        ),
        interviewed=Count(
            "pk", filter=Q(Exists(Score.objects.filter(assignment__nomination=OuterRef("pk"))))
        ),
        matched=Count("pk", filter=Q(Exists(offers))),
        accepted=Count("pk", filter=Q(Exists(offers.filter(status=OfferStatus.ACCEPTED)))),
        started=Count(
            "pk",
            filter=Q(
                Exists(
                    Placement.objects.filter(offer__nomination=OuterRef("pk"), status__in=STARTED)
                )
            ),
        ),
    )
    totals["opportunities"] = opportunities.count()
    return {
        "cycle": cycle,
        "steps": [(label, totals[key] or 0) for key, label in FUNNEL_STEPS],
    }


def flow(program, filters: dict) -> dict[str, Any]:
    """Placements from each home organisation to each host, and per organisation how many
    it sent and hosted (one query)."""
    pairs = (
        placements(program, filters)
        .order_by()
        .values(
            "home_organization_id",
            "home_organization__name",
            "host_organization_id",
            "host_organization__name",
        )
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[int, int], int] = {}
    names: dict[int, str] = {}
    sent: dict[int, int] = defaultdict(int)
    hosted: dict[int, int] = defaultdict(int)
    for row in pairs:
        home, host = row["home_organization_id"], row["host_organization_id"]
        names[home], names[host] = row["home_organization__name"], row["host_organization__name"]
        counts[(home, host)] = row["n"]
        sent[home] += row["n"]
        hosted[host] += row["n"]
    ids = sorted(names, key=lambda pk: names[pk].lower())
    organisations: list[dict[str, Any]] = [
        {
            "id": pk,
            "name": names[pk],
            "sent": sent[pk],
            "hosted": hosted[pk],
            "balance": hosted[pk] - sent[pk],
        }
        for pk in ids
    ]
    ordered = sorted(
        counts.items(), key=lambda item: (-item[1], names[item[0][0]], names[item[0][1]])
    )
    links = [{"home": names[h], "host": names[g], "n": n} for (h, g), n in ordered]
    # The page shows a bounded part (the busiest organisations and flows); the organisations
    # report holds every row.
    busiest = sorted(organisations, key=lambda o: (-(o["sent"] + o["hosted"]), o["name"].lower()))
    in_matrix = {o["id"] for o in busiest[:MATRIX_ORGS]}
    matrix_ids = [pk for pk in ids if pk in in_matrix]
    matrix_names = [names[pk] for pk in matrix_ids]
    matrix_counts: dict[tuple[int, int], int] = defaultdict(int)
    if len(ids) > len(matrix_ids):
        matrix_ids.append(OTHERS)
        matrix_names.append(str(_("Other organisations")))
    for (home, host), n in counts.items():
        matrix_counts[
            (home if home in in_matrix else OTHERS, host if host in in_matrix else OTHERS)
        ] += n
    return {
        "ids": ids,
        "counts": counts,
        "organisations": organisations,
        "organisations_shown": busiest[:ROWS_SHOWN],
        "organisations_hidden": max(0, len(busiest) - ROWS_SHOWN),
        "links": links[:ROWS_SHOWN],
        "links_hidden": max(0, len(links) - ROWS_SHOWN),
        "top_link": links[0] if links else None,
        "matrix_ids": matrix_ids,
        "matrix_names": matrix_names,
        "matrix_counts": dict(matrix_counts),
        "total": sum(counts.values()),
    }


MATRIX_ORGS = 15  # organisations drawn in the flow matrix (the rest as one "other" row)
ROWS_SHOWN = 50  # rows of a table on the page (the downloadable report has them all)
OTHERS = 0


def cohorts(program, filters: dict) -> dict[str, Any]:
    """Per cycle (a cohort), how many placements and, at 6, 12 and 24 months after return,
    the share of recorded outcomes with a promotion, a new role, still with the home
    organisation (retention). Two queries."""
    kept = placements(program, filters)
    sizes = dict(
        kept.order_by().values("cycle_id").annotate(n=Count("pk")).values_list("cycle_id", "n")
    )
    aggregates: dict[str, Any] = {"n": Count("pk")}
    for field, _label in COHORT_MEASURES:
        aggregates[field] = Count("pk", filter=Q(**{field: True}))
    grouped = (
        Outcome.objects.filter(placement__in=kept, recorded_at__isnull=False)
        .order_by()
        .values("placement__cycle_id", "months_after")
        .annotate(**aggregates)
    )
    by_cycle: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in grouped:
        by_cycle[row["placement__cycle_id"]][row["months_after"]] = row
    cycles = list(
        Cycle.objects.filter(program=program, pk__in=list(sizes))
        .order_by("created_at", "pk")
        .values("pk", "name")
    )
    table = []
    for cycle in cycles:
        milestones = []
        for months in OUTCOME_MONTHS:
            row = by_cycle[cycle["pk"]].get(months)
            recorded = row["n"] if row else 0
            milestones.append(
                {
                    "months": months,
                    "recorded": recorded,
                    "measures": [
                        (
                            label,
                            row[field] if row else 0,
                            _share(row[field] if row else 0, recorded),
                        )
                        for field, label in COHORT_MEASURES
                    ],
                }
            )
        table.append(
            {
                "name": cycle["name"],
                "placements": sizes.get(cycle["pk"], 0),
                "milestones": milestones,
            }
        )
    return {"cohorts": table, "months": OUTCOME_MONTHS, "measures": COHORT_MEASURES}


def _share(count: int, total: int) -> int | None:
    return round(100 * count / total) if total else None


def ratings(program, filters: dict) -> dict[str, Any]:
    """Average final rating (1–5) per respondent and cohort (one query)."""
    rows = (
        Evaluation.objects.filter(
            placement__in=placements(program, filters),
            stage=Stage.FINAL,
            submitted_at__isnull=False,
            rating__isnull=False,
        )
        .order_by()
        .values("placement__cycle__name", "placement__cycle__created_at", "respondent")
        .annotate(n=Count("pk"), average=Avg("rating"))
        .order_by("placement__cycle__created_at", "placement__cycle__name")
    )
    by_cycle: dict[str, dict[str, tuple[int, float]]] = {}
    for row in rows:
        by_cycle.setdefault(row["placement__cycle__name"], {})[row["respondent"]] = (
            row["n"],
            round(row["average"], 1),
        )
    table = [
        {
            "cycle": name,
            "cells": [values.get(value, (0, None)) for value, _label in Respondent.choices],
        }
        for name, values in by_cycle.items()
    ]
    return {"respondents": [label for _value, label in Respondent.choices], "rows": table}
