"""Match runs of a cycle and their results, and the engine's market JSON of a cycle.

Runs are the administrators' working material (unpublished proposals): the program's
administrators and auditors read them. Reproducing a run from its market is done in the
matches app."""

from typing import Any

from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from talent_exchange.matches.market import build_arrays, participants_page, slots_page
from talent_exchange.matches.models import RUN_DEFERRED, MatchRun, RowKind, stored_rows
from talent_exchange.programs.models import Cycle

from .access import get_visible, require
from .pagination import Pages
from .schemas import MatchRunDetailOut, MatchRunOut, Problem

router = Router()


def _runs_refusal() -> str:
    return _("Match runs and markets are for the program's administrators and auditors.")


def _visible_runs(user):
    return MatchRun.objects.filter(cycle__in=Cycle.objects.visible_to(user))


@router.get(
    "/cycles/{cycle_id}/match-runs",
    response={200: list[MatchRunOut], 403: Problem, 404: Problem},
    summary="Match runs of a cycle, newest first",
)
@paginate(Pages)
def list_match_runs(request, cycle_id: int):
    cycle = get_visible(Cycle.objects, request.user, cycle_id, "cycle")
    require(request.user, "matches.list_runs", cycle, reason=_runs_refusal())
    return MatchRun.objects.filter(cycle=cycle).defer(*RUN_DEFERRED).order_by("-created_at", "-pk")


@router.get(
    "/match-runs/{run_id}",
    response={200: MatchRunDetailOut, 403: Problem, 404: Problem},
    summary="One match run: assignments with the engine's reasons, the unmatched and why, "
    "and the metrics",
)
def get_match_run(request, run_id: int):
    return _readable_run(request.user, run_id)


def _readable_run(user, run_id: int) -> MatchRun:
    """The run with its summary (never its snapshot or result), if the user may read it."""
    run = (
        _visible_runs(user)
        .select_related("cycle")
        .defer("market_data", "result_data")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise Http404(_("There is no match run %(pk)s that you may see.") % {"pk": run_id})
    require(user, "matches.view_matchrun", run, reason=_runs_refusal())
    return run


class RowsPage(Schema):
    items: list[dict[str, Any]]
    count: int = Field(description="How many rows of this kind the result has.")


@router.get(
    "/match-runs/{run_id}/assignments",
    response={200: RowsPage, 403: Problem, 404: Problem},
    summary="A run's assignments with the engine's reasons, a page at a time",
)
def match_run_assignments(request, run_id: int, page: Query[Pages.Input]):
    """The result's assignments in the engine's order, ``limit`` at a time from ``offset``
    (the whole result downloads from the run's page)."""
    rows = stored_rows(_readable_run(request.user, run_id), RowKind.ASSIGNMENTS)
    return {"items": rows[page.offset : page.offset + page.limit], "count": len(rows)}


@router.get(
    "/match-runs/{run_id}/unmatched",
    response={200: RowsPage, 403: Problem, 404: Problem},
    summary="A run's unmatched participants and why, a page at a time",
)
def match_run_unmatched(request, run_id: int, page: Query[Pages.Input]):
    rows = stored_rows(_readable_run(request.user, run_id), RowKind.UNMATCHED)
    return {"items": rows[page.offset : page.offset + page.limit], "count": len(rows)}


@router.get(
    "/cycles/{cycle_id}/market",
    response={200: dict, 403: Problem, 404: Problem},
    summary="The engine's whole market JSON of a cycle, streamed as a download (docs/matching.md)",
)
def get_market(request, cycle_id: int):
    """The input the matching engine would receive for this cycle now: participants,
    slots, rankings, weights, forbidden and locked pairs, and the reciprocity rule. Feed it
    to ``talent-exchange-match`` (or the matches app) to reproduce a run. Tens of megabytes
    for a national cycle: it is sent in chunks as it is encoded; to browse, page through
    ``market/participants`` and ``market/slots``."""
    cycle = get_visible(Cycle.objects, request.user, cycle_id, "cycle")
    require(request.user, "matches.export_market", cycle, reason=_runs_refusal())
    response = StreamingHttpResponse(
        build_arrays(cycle).json_chunks(), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="market-cycle-{cycle.pk}.json"'
    return response


class MarketPage(Schema):
    items: list[dict]
    count: int = Field(description="How many rows the whole market has.")


@router.get(
    "/cycles/{cycle_id}/market/participants",
    response={200: MarketPage, 403: Problem, 404: Problem},
    summary="The market's participants with their rankings, a page at a time",
)
def market_participants(request, cycle_id: int, page: Query[Pages.Input]):
    """The ``participants`` of the cycle's market (first round), ordered as in the whole
    market, ``limit`` at a time from ``offset``."""
    cycle = get_visible(Cycle.objects, request.user, cycle_id, "cycle")
    require(request.user, "matches.export_market", cycle, reason=_runs_refusal())
    items, count = participants_page(cycle, page.offset, page.limit)
    return {"items": items, "count": count}


@router.get(
    "/cycles/{cycle_id}/market/slots",
    response={200: MarketPage, 403: Problem, 404: Problem},
    summary="The market's slots with the hosts' rankings, a page at a time",
)
def market_slots(request, cycle_id: int, page: Query[Pages.Input]):
    """The ``slots`` of the cycle's market (first round), ordered as in the whole market,
    ``limit`` at a time from ``offset``."""
    cycle = get_visible(Cycle.objects, request.user, cycle_id, "cycle")
    require(request.user, "matches.export_market", cycle, reason=_runs_refusal())
    items, count = slots_page(cycle, page.offset, page.limit)
    return {"items": items, "count": count}
