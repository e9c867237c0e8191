"""What the match runs add to the reports app: a run's input snapshot and result, and a
cycle's market as it stands, as downloads written by the export worker (a
100,000-participant snapshot or market is 150 MB of JSON and seconds of CPU to write: never
in a web request). The pages serve the written file (views._prepared); a small run's file or
a small market is still written as it is sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from talent_exchange.nominations.models import Nomination
from talent_exchange.preferences.models import ParticipantRanking
from talent_exchange.programs.models import Cycle
from talent_exchange.reports.registry import Download, download

from .market import build_arrays
from .models import RUN_DEFERRED, MatchRun, Progress, snapshot_chunks, unpack_chunks

SNAPSHOT = "matches.run_snapshot"
RESULT = "matches.run_result"

# A run whose stored snapshot or result is at most this many bytes downloads at once,
# written as it is sent (a few hundredths of a second of CPU); a larger one is written by the
# worker first. The sizes are those stored: a snapshot's compressed arrays (about 1,800
# participants, 2.5 MB of JSON), a result's JSON (about 400 participants).
SYNC_BYTES = 256 * 1024


class Payload(NamedTuple):
    """Where a download's bytes are stored on the run and how they come out as JSON."""

    field: str
    size_field: str
    write: Callable[..., Iterator[bytes]]  # (blob, progress=...) -> the JSON, a slice at a time
    stem: str  # of the file name


PAYLOADS = {
    SNAPSHOT: Payload("market_data", "market_bytes", snapshot_chunks, "market"),
    RESULT: Payload("result_data", "result_bytes", unpack_chunks, "result"),
}


def stored_size(run: MatchRun, key: str) -> int:
    return int(getattr(run, PAYLOADS[key].size_field) or 0)


def is_small(run: MatchRun, key: str) -> bool:
    return stored_size(run, key) <= SYNC_BYTES


def chunks(run: MatchRun, key: str, progress: Progress | None = None) -> Iterator[bytes]:
    """The download's bytes: the stored payload read once (one query) and written out as the
    engine's canonical JSON, a slice at a time. Nothing stored: nothing."""
    payload = PAYLOADS[key]
    blob = MatchRun.objects.filter(pk=run.pk).values_list(payload.field, flat=True).first()
    if not blob:
        return iter(())
    return payload.write(bytes(blob), progress=progress)


TITLES = {
    SNAPSHOT: _("Input snapshot of run #%(id)s"),
    RESULT: _("Result of run #%(id)s"),
}


def title(run_id: Any, key: str) -> str:
    return TITLES[key] % {"id": run_id}


def filename(run_id: Any, key: str) -> str:
    return f"run-{run_id}-{PAYLOADS[key].stem}.json"


def _run(filters: dict) -> MatchRun:
    return MatchRun.objects.select_related("cycle").defer(*RUN_DEFERRED).get(pk=filters.get("run"))


def _download(key: str) -> Download:
    return Download(
        title=lambda filters: title(filters.get("run"), key),
        filename=lambda filters: filename(filters.get("run"), key),
        subject=_run,
        permission="matches.view_matchrun",
        chunks=lambda run, _filters, progress: chunks(run, key, progress),
    )


@download(SNAPSHOT)
def snapshot() -> Download:
    return _download(SNAPSHOT)


@download(RESULT)
def result() -> Download:
    return _download(RESULT)


# --- a cycle's market -------------------------------------------------------------------------

MARKET = "matches.cycle_market"
# A market prepared this recently is sent again rather than written anew: the market changes
# as people rank and are endorsed, but someone downloading it twice within minutes (or the
# API polling for it) wants the file they asked for. The page says when it was written.
MARKET_FRESH = timedelta(minutes=10)


def market_filters(cycle: Cycle, round_number: int, tolerance: int | None) -> dict[str, Any]:
    """What names one market file (the export's ``filters``): the tolerance already resolved
    from the program's rule, so a change of the rule is a different file."""
    return {"cycle": cycle.pk, "round": round_number, "tolerance": tolerance}


# Participants rank about twenty opportunities each (10,000 ranked 200,206 in the scale
# dataset): more participants than a small market's rankings at that rate is a large market.
RANKINGS_PER_PARTICIPANT = 20


def market_is_small(cycle: Cycle) -> bool:
    """Whether the market downloads at once: at most MARKET_EXPORT_SYNC_RANKINGS
    participants' rankings. Each count stops just past its threshold, so it costs the same
    whatever the cycle's size: a large cycle is known from its nominations alone (under a
    millisecond at 10,000 participants), and only a cycle with few nominations has its
    rankings counted."""
    limit = settings.MARKET_EXPORT_SYNC_RANKINGS
    most = limit // RANKINGS_PER_PARTICIPANT
    nominations = Nomination.objects.filter(cycle=cycle).order_by().values("pk")
    if nominations[: most + 1].count() > most:
        return False
    rankings = ParticipantRanking.objects.filter(nomination__cycle=cycle).order_by()
    return rankings.values("pk")[: limit + 1].count() <= limit


def market_chunks(cycle: Cycle, filters: dict, progress: Progress | None = None) -> Iterator[bytes]:
    """The engine's market JSON of the cycle as it stands (what ``talent-exchange-match``
    reads), a slice at a time."""
    market = build_arrays(
        cycle, round_number=filters["round"], balance_tolerance=filters["tolerance"]
    )
    return market.json_chunks(progress=progress)


def market_title(filters: dict) -> str:
    return _("Market of cycle #%(cycle)s, round %(round)s") % {
        "cycle": filters.get("cycle"),
        "round": filters.get("round"),
    }


def market_filename(filters: dict) -> str:
    return f"market-cycle-{filters.get('cycle')}-round-{filters.get('round')}.json"


@download(MARKET)
def market() -> Download:
    return Download(
        title=market_title,
        filename=market_filename,
        subject=lambda filters: Cycle.objects.select_related("program").get(
            pk=filters.get("cycle")
        ),
        permission="matches.export_market",
        chunks=market_chunks,
    )
