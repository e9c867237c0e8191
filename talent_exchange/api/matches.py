"""Match runs of a cycle and their results, and the engine's market JSON of a cycle.

Runs are the administrators' working material (unpublished proposals): the program's
administrators and auditors read them. Reproducing a run from its market is done in the
matches app."""

from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from talent_exchange.matches import reports as downloads
from talent_exchange.matches.market import default_tolerance, participants_page, slots_page
from talent_exchange.matches.models import RUN_DEFERRED, MatchRun, RowKind, stored_rows
from talent_exchange.programs.models import Cycle
from talent_exchange.reports import files
from talent_exchange.reports.models import Export
from talent_exchange.reports.services import prepare_download, ready_download

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


class MarketPreparation(Schema):
    detail: str = Field(description="What is happening, for a person to read.")
    status: str = Field(
        description="queued, running, ready (GET the address to download it), failed, or "
        "not_prepared (POST the address to prepare it)."
    )
    progress: int = Field(description="Percent of the file written.")
    poll: str = Field(description="The address to GET: 202 while it is prepared, then the file.")


# The API's words for an export's status (reports.ExportStatus).
_STATUS = {"queued": "queued", "running": "running", "done": "ready", "failed": "failed"}


def _whole_market(request, cycle_id: int):
    """The cycle (the user may export its market) and what names its first-round market."""
    cycle = get_visible(Cycle.objects.select_related("program"), request.user, cycle_id, "cycle")
    require(request.user, "matches.export_market", cycle, reason=_runs_refusal())
    return cycle, downloads.market_filters(cycle, 1, default_tolerance(cycle))


def _preparation(response, export: Export | None, detail: str, poll: str) -> MarketPreparation:
    response["Retry-After"] = "5"
    response["Location"] = poll
    status = _STATUS.get(export.status, "not_prepared") if export else "not_prepared"
    return MarketPreparation(
        detail=detail, status=status, progress=export.progress if export else 0, poll=poll
    )


@router.get(
    "/cycles/{cycle_id}/market",
    response={
        200: dict,
        202: MarketPreparation,
        403: Problem,
        404: Problem,
        409: MarketPreparation,
    },
    summary="The engine's whole market JSON of a cycle, as a download (docs/matching.md)",
)
def get_market(request, cycle_id: int, response: HttpResponse):
    """The input the matching engine would receive for this cycle now: participants,
    slots, rankings, weights, forbidden and locked pairs, and the reciprocity rule. Feed it
    to ``talent-exchange-match`` (or the matches app) to reproduce a run; to browse, page
    through ``market/participants`` and ``market/slots``.

    A small market is sent at once. A large one (tens of megabytes for a national cycle) is
    written by the task worker: ``POST`` this address to prepare it (202), then ``GET`` it
    again until the answer is the file (200; 202 with the progress meanwhile, ``Retry-After``
    in seconds). A market prepared in the last minutes is sent to anyone who may read it.
    The file is gzip-encoded for a client that accepts it."""
    cycle, filters = _whole_market(request, cycle_id)
    name = f"market-cycle-{cycle.pk}.json"
    if downloads.market_is_small(cycle):
        stream = StreamingHttpResponse(
            downloads.market_chunks(cycle, filters), content_type="application/json"
        )
        stream["Content-Disposition"] = f'attachment; filename="{name}"'
        return stream
    written = ready_download(downloads.MARKET, filters, timezone.now() - downloads.MARKET_FRESH)
    if written is not None:
        return files.serve(request, written, filename=name)
    poll = request.path
    latest = Export.objects.of_download(downloads.MARKET, **filters).first()
    if latest is not None and not latest.is_finished:
        return Status(
            202,
            _preparation(
                response, latest, _("The market is being prepared; ask again in a moment."), poll
            ),
        )
    detail = _(
        "This market is large: it is written in the background. POST to this address to "
        "prepare it, then GET it again."
    )
    failed = latest if latest is not None and latest.is_failed else None
    if failed is not None:
        detail = f"{detail} {failed.error}"
    return Status(409, _preparation(response, failed, detail, poll))


@router.post(
    "/cycles/{cycle_id}/market",
    response={202: MarketPreparation, 403: Problem, 404: Problem},
    summary="Prepare the whole market of a cycle as a file (large markets)",
)
def prepare_market(request, cycle_id: int, response: HttpResponse):
    """Start writing the cycle's market as a file, or join the preparation already under
    way (a file written in the last minutes is used as it is); then ``GET`` the ``poll``
    address until it answers with the file. A small market needs no preparation: ``GET``
    sends it at once."""
    cycle, filters = _whole_market(request, cycle_id)
    poll = request.path
    if downloads.market_is_small(cycle):
        return Status(
            202,
            MarketPreparation(
                detail=_("This market is small: GET it, it is sent at once."),
                status="ready",
                progress=100,
                poll=poll,
            ),
        )
    export = prepare_download(
        cycle.program,
        downloads.MARKET,
        filters,
        actor=request.user,
        fresh_since=timezone.now() - downloads.MARKET_FRESH,
    )
    message = _("The market is being prepared; GET the poll address.")
    return Status(202, _preparation(response, export, message, poll))


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
