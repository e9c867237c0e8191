"""Match runs of a cycle and their results, and the engine's market JSON of a cycle.

Runs are the administrators' working material (unpublished proposals): the program's
administrators and auditors read them. Reproducing a run from its market is done in the
matches app."""

from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from talent_exchange.matches.market import build_arrays, participants_page, slots_page
from talent_exchange.matches.models import RUN_DEFERRED, MatchRun
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
    run = _visible_runs(request.user).select_related("cycle").filter(pk=run_id).first()
    if run is None:
        raise Http404(_("There is no match run %(pk)s that you may see.") % {"pk": run_id})
    require(request.user, "matches.view_matchrun", run, reason=_runs_refusal())
    return run


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
