"""Writes for match runs, pair constraints and offers: each a verb, each in a transaction.

Starting a run only records it and enqueues the background task (tasks.py); the task calls
``execute_run``, which snapshots the market, calls the engine and stores the result, moving
the run's progress as it goes. ``mark_stalled_runs`` turns a run whose worker stopped into a
failed one with that reason. Publishing and answering offers lock the rows they race on.
"""

from __future__ import annotations

import datetime
import gzip
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.matching import ArrayMarket, solve, solve_arrays
from talent_exchange.matching.arrays import is_npz
from talent_exchange.matching.engine import gc_paused
from talent_exchange.matching.jsonio import dumps, loads
from talent_exchange.nominations.models import Nomination
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.placements.services import start_placement
from talent_exchange.programs.models import Cycle

from .market import build_arrays, parse_key
from .models import (
    OFFER_WORKFLOW,
    ROWS_PER_BLOCK,
    RUN_DEFERRED,
    RUN_PAYLOAD,
    RUN_WORKFLOW,
    MatchMode,
    MatchRun,
    Offer,
    OfferStatus,
    PairConstraint,
    PublishStatus,
    ResultBlock,
    RowKind,
    RunStatus,
    pack,
    stored_rows,
    summarize_with,
)

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User

logger = logging.getLogger(__name__)

# A queued or running run whose heartbeat is older than this is taken as stalled: its worker
# died or never came. A solve of 100,000 participants takes seconds, so this is generous.
STALL_AFTER = datetime.timedelta(minutes=10)
DEFAULT_RESPONSE_DAYS = 14


# --- runs -----------------------------------------------------------------------------------

# Runs match the rankings once they are in: in the matching phase, and in the placements phase
# for a second round after declined offers.
RUN_PHASES = frozenset({"matching", "placements"})


def phase_refusal(cycle: Cycle) -> str | None:
    """Why no run can start in this cycle's phase now; None when one can."""
    if cycle.state in RUN_PHASES:
        return None
    return _(
        "This cycle is in the %(phase)s phase. Runs start in the matching phase, once "
        "nominations, rankings and interviews are done: move the cycle to Matching first."
    ) % {"phase": cycle.get_state_display()}


def start_run(
    cycle: Cycle,
    *,
    actor: User,
    mode: str,
    balance_tolerance: int | None,
    round_number: int = 1,
    source_run: MatchRun | None = None,
) -> MatchRun:
    """Record a queued run and hand it to the task worker."""
    require(actor, "matches.start_run", cycle)
    refusal = phase_refusal(cycle)
    if refusal:
        raise ActionRefused(refusal)
    if mode not in MatchMode.values:
        raise ActionRefused(_("Choose the stable or the optimal mode."))
    if (
        round_number > 1
        and source_run is None
        and not MatchRun.objects.published()
        .filter(cycle=cycle, round=round_number - 1)
        .exclude(publish_status__in=PUBLISHING)
        .exists()
    ):
        raise ActionRefused(
            _(
                "Round %(round)d matches what round %(previous)d left: publish a run of round "
                "%(previous)d first."
            )
            % {"round": round_number, "previous": round_number - 1}
        )
    with transaction.atomic():
        run = MatchRun.objects.create(
            cycle=cycle,
            round=round_number,
            mode=mode,
            balance_tolerance=balance_tolerance,
            started_by=actor,
            source_run=source_run,
            progress_note=_("Waiting for a worker"),
            heartbeat_at=timezone.now(),
        )
    _enqueue(run)
    run.refresh_from_db()
    return run


def rerun(run: MatchRun, *, actor: User) -> MatchRun:
    """A new run with exactly the same input snapshot (reproduces ``run``)."""
    require(actor, "matches.start_run", run.cycle)
    if not run.has_snapshot:
        raise ActionRefused(_("This run has no input snapshot yet, so it cannot be repeated."))
    return start_run(
        run.cycle,
        actor=actor,
        mode=run.mode,
        balance_tolerance=run.balance_tolerance,
        round_number=run.round,
        source_run=run,
    )


def _enqueue(run: MatchRun) -> None:
    from .tasks import run_match  # the task module imports this one

    # The task row is written on the same connection as the run, so a database worker sees
    # both when the surrounding transaction (if any) commits, never one without the other.
    result = run_match.enqueue(run.pk)
    MatchRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])


def _step(run_id: int, progress: int, note: str, **fields: Any) -> int:
    """Record progress as its own committed write, so the run page sees it at once. Only a
    run still marked running moves (a run declared stalled stays failed)."""
    return MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        progress=progress, progress_note=note, heartbeat_at=timezone.now(), **fields
    )


def execute_run(run_id: int) -> str:
    """The body of the background task: snapshot, solve, store. A run the engine answers
    ``infeasible`` or ``invalid`` is failed with the engine's reasons; an exception marks the
    run failed with the error and is raised again, so the task queue records the failure
    (and the worker logs the traceback) too.

    A new run reads the cycle into arrays (``build_arrays``: flat queries, no dict per pair),
    stores them as its input snapshot (a compressed ``.npz``) and solves them; a run again
    reads its source's snapshot. The result is stored as compressed canonical JSON and in
    blocks of rows, with a summary for the run page."""
    now = timezone.now()
    # The worker's moves follow RUN_WORKFLOW ("claim", then "finish" or "fail") as plain
    # updates: each step commits on its own so the run page sees it at once (ADR 0009).
    claim = RUN_WORKFLOW.by_name["claim"]
    claimed = MatchRun.objects.filter(pk=run_id, status__in=claim.sources).update(
        status=claim.target,
        started_at=now,
        heartbeat_at=now,
        progress=1,
        progress_note=_("Started"),
    )
    if not claimed:
        return "skipped"  # already run, or declared stalled meanwhile
    run = MatchRun.objects.select_related("cycle__program").defer(*RUN_DEFERRED).get(pk=run_id)
    try:
        result, home_of, host_of = _solve(run)
        _step(run_id, 80, _("Storing the result"))
        with gc_paused():
            raw = dumps(result)
            summary = summarize_with(result, home_of, host_of)
        with transaction.atomic():  # the rows in blocks and the result commit together
            ResultBlock.objects.replace(run_id, result)
            _step(
                run_id,
                90,
                _("Explanations stored"),
                result_data=pack(raw),
                result_bytes=len(raw),
                summary=summary,
            )
        if result["status"] in ("stable", "optimal"):
            status, error = RunStatus.SUCCEEDED, ""
        else:
            status, error = RunStatus.FAILED, _problems_text(result)
        _step(
            run_id,
            100,
            _("Done") if status == RunStatus.SUCCEEDED else _("Stopped"),
            status=status,
            error=error,
            finished_at=timezone.now(),
        )
        return status
    except Exception as failure:  # the run must never stay "running"
        logger.exception("Match run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            error=_("The run failed: %(error)s")
            % {"error": f"{type(failure).__name__}: {failure}"},
            progress_note=_("Failed"),
            finished_at=timezone.now(),
        )
        raise


Lookup = Callable[[str], str | None]


def _solve(run: MatchRun) -> tuple[dict[str, Any], Lookup, Lookup]:
    """Snapshot (or read the source's snapshot) and solve; the result, and the organisation
    of each participant id and slot id (for the summary's flows)."""
    # A run's own snapshot if it has one, else its source's (run again), else the cycle now.
    source = run.pk if run.market_bytes else run.source_run_id
    stored = source and (
        MatchRun.objects.filter(pk=source, market_data__isnull=False)
        .values_list("market_data", "market_bytes")
        .first()
    )
    if stored:
        blob, size = bytes(stored[0]), stored[1]
        _step(run.pk, 10, _("Using the stored snapshot"), market_data=blob, market_bytes=size)
        if is_npz(blob):
            return _solve_arrays(run, ArrayMarket.from_npz(blob))
        # A snapshot stored as JSON (runs from before the arrays were stored).
        market = loads(gzip.decompress(blob))
        _step(run.pk, 30, _("Solving for %(n)d participants") % {"n": len(market["participants"])})
        result = solve(market, run.mode)
        home = {p["id"]: p["organization"] for p in market["participants"]}
        host = {s["id"]: s["organization"] for s in market["slots"]}
        return result, home.get, host.get
    tolerance = run.balance_tolerance
    arrays = build_arrays(run.cycle, round_number=run.round, balance_tolerance=tolerance)
    _step(run.pk, 10, _("Market built"))
    # The snapshot is the arrays themselves (a compressed .npz); its JSON is written only
    # when somebody downloads it (``snapshot_chunks``).
    blob = arrays.to_npz()
    _step(run.pk, 20, _("Snapshot stored"), market_data=blob, market_bytes=len(blob))
    del blob
    return _solve_arrays(run, arrays)


def _solve_arrays(run: MatchRun, arrays: ArrayMarket) -> tuple[dict[str, Any], Lookup, Lookup]:
    _step(run.pk, 30, _("Solving for %(n)d participants") % {"n": arrays.n_participants})
    result = solve_arrays(arrays, run.mode)
    home = dict(zip(arrays.participant_ids, arrays.participant_orgs, strict=True))
    host = dict(zip(arrays.slot_ids, arrays.slot_orgs, strict=True))
    return result, home.get, host.get


def _problems_text(result: dict[str, Any]) -> str:
    label = (
        _("The request cannot be satisfied")
        if result["status"] == "infeasible"
        else _("The market is not valid")
    )
    problems = "; ".join(
        p.get("message", str(p)) if isinstance(p, dict) else str(p) for p in result["problems"]
    )
    return f"{label}: {problems}" if problems else label


def stalled_since(run: MatchRun, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When an unfinished run last gave a sign of life, if that is longer ago than STALL_AFTER
    (its worker probably stopped); None for a finished or live run. Reads only: the pages use
    it to warn, the scheduled command ``mark_stalled_runs`` fails the run."""
    if run.is_finished:
        return None
    last = run.heartbeat_at or run.created_at
    now = now or timezone.now()
    return last if last < now - STALL_AFTER else None


def mark_stalled_runs(now: datetime.datetime | None = None) -> int:
    """Fail every queued or running run whose worker has given no sign of life for
    STALL_AFTER, with the reason "the worker stopped". Returns how many.

    Run by the scheduled command (every five minutes), never by a page. Each run is locked and
    saved one by one, so the history records the change; a worker that was only slow finds
    its run failed and stops (``_step`` moves only running runs)."""
    now = now or timezone.now()
    limit = now - STALL_AFTER
    error = _(
        "The worker stopped: no progress since %(since)s. Start the run again; if it "
        "happens again, check that the task worker (db_worker) is running."
    ) % {"since": timezone.localtime(limit).strftime("%Y-%m-%d %H:%M")}
    with transaction.atomic():
        stalled = list(
            MatchRun.objects.select_for_update()
            .in_progress()
            .filter(Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit))
            .order_by("pk")
        )
        for run in stalled:
            run.status = RunStatus.FAILED
            run.error = error
            run.progress_note = _("The worker stopped")
            run.finished_at = now
            run._change_reason = "marked stalled by the scheduled command"
            run.save(update_fields=["status", "error", "progress_note", "finished_at"])
    return len(stalled)


# --- pair constraints -----------------------------------------------------------------------


def constrain_pair(
    cycle: Cycle,
    nomination: Nomination,
    opportunity: Opportunity,
    *,
    rule: str,
    reason: str,
    actor: User,
) -> PairConstraint:
    """Lock or forbid one candidate–opportunity pair for the next runs (replaces any earlier
    rule on the same pair)."""
    require(actor, "matches.add_pairconstraint", cycle)
    if nomination.cycle_id != cycle.pk or opportunity.cycle_id != cycle.pk:
        raise ActionRefused(_("The candidate and the opportunity must both be in this cycle."))
    if not reason.strip():
        raise ActionRefused(_("Give a reason, so that others understand the rule."))
    with transaction.atomic():
        constraint = (
            PairConstraint.objects.select_for_update()
            .filter(nomination=nomination, opportunity=opportunity)
            .first()
        ) or PairConstraint(cycle=cycle, nomination=nomination, opportunity=opportunity)
        constraint.rule = rule
        constraint.reason = reason.strip()
        constraint.created_by = actor
        attribute_to(constraint, actor)
        constraint.save()
    return constraint


def remove_constraint(constraint: PairConstraint, *, actor: User) -> None:
    require(actor, "matches.delete_pairconstraint", constraint)
    with transaction.atomic():
        attribute_to(constraint, actor)
        constraint.delete()


# --- publishing -----------------------------------------------------------------------------


OFFER_BATCH = 1_000
# Offers made per transaction by the publishing task (each batch commits with its history
# rows and the progress, so the page follows it and a stopped worker resumes where it was).
PUBLISH_BATCH = 5_000


def publish_run(run: MatchRun, *, actor: User, respond_by: datetime.date | None = None) -> MatchRun:
    """Ask for a succeeded run to be published: the round is taken at once (``published_at``)
    and the task worker makes one offer per assigned pair, to answer by ``respond_by``
    (``execute_publish``), then e-mails everyone concerned (tasks.send_offer_mail).

    One run per round of a cycle can be published. Two administrators publishing at once are
    serialised on the cycle's row; the second is told who was first — and so is a second
    click. (The partial unique constraint on the runs table is the last line of defence.)"""
    require(actor, "matches.publish_run", run)
    today = timezone.localdate()
    respond_by = respond_by or today + datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)
    if respond_by < today:
        raise ActionRefused(_("The answer date cannot be in the past."))
    from .tasks import publish_offers  # the task module imports this one

    try:
        with transaction.atomic():
            Cycle.objects.select_for_update().get(pk=run.cycle_id)
            locked: MatchRun = (
                MatchRun.objects.select_for_update().defer(*RUN_DEFERRED).get(pk=run.pk)
            )
            rival = (
                MatchRun.objects.published()
                .filter(cycle_id=locked.cycle_id, round=locked.round)
                .select_related("published_by")
                .defer(*RUN_DEFERRED)
                .first()
            )
            if rival is not None:
                raise ActionRefused(_already_published(rival))
            RUN_WORKFLOW.require(locked, "publish", actor=actor)
            _reserve_round(locked, actor, respond_by)
            # The database backend writes the task row in this transaction: the reservation
            # and the work to do commit together, or neither does.
            publish_offers.enqueue(locked.pk)
    except IntegrityError as clash:
        rival = (
            MatchRun.objects.published()
            .filter(cycle_id=run.cycle_id, round=run.round)
            .defer(*RUN_DEFERRED)
            .first()
        )
        if rival is None:
            raise
        raise ActionRefused(_already_published(rival)) from clash
    run.refresh_from_db()
    return run


def _reserve_round(run: MatchRun, actor: User, respond_by: datetime.date) -> None:
    """Mark the (locked) run as published by ``actor``, its offers to be made."""
    now = timezone.now()
    run.published_at = now
    run.published_by = actor
    run.respond_by = respond_by
    run.publish_status = PublishStatus.QUEUED
    run.publish_progress = 0
    run.publish_heartbeat_at = now
    attribute_to(run, actor)
    run.save(
        update_fields=[
            "published_at",
            "published_by",
            "respond_by",
            "publish_status",
            "publish_progress",
            "publish_heartbeat_at",
        ]
    )


def _already_published(rival: MatchRun) -> str:
    publisher = rival.published_by
    who = (publisher.get_full_name() or publisher.username) if publisher else "?"
    return _(
        "Run #%(run)s of this round was already published by %(who)s at %(when)s; only one "
        "run per round can be published."
    ) % {
        "run": rival.pk,
        "who": who,
        "when": timezone.localtime(rival.published_at).strftime("%Y-%m-%d %H:%M"),
    }


def execute_publish(run_id: int) -> int:
    """The body of the publishing task: one offer per assigned pair of the run, written in
    batches of PUBLISH_BATCH, each batch one transaction with its history rows (bulk) and
    the progress. Returns how many offers this call made.

    Idempotent: the run's row is locked for each batch, offers that exist are skipped (the
    unique constraint on run and nomination is the last line of defence), so a second task,
    a retried one or one resumed after a crash (``mark_stalled_runs``) completes the set
    without doubling it. The last step marks the run published and queues the e-mails in
    the same transaction."""
    claimed = MatchRun.objects.filter(pk=run_id, publish_status__in=PUBLISHING).update(
        publish_status=PublishStatus.RUNNING, publish_heartbeat_at=timezone.now()
    )
    if not claimed:
        return 0  # published already, or never asked
    run = MatchRun.objects.defer(*RUN_PAYLOAD).select_related("published_by").get(pk=run_id)
    assert run.published_by is not None and run.respond_by is not None  # set with the status
    stored = stored_rows(run, RowKind.ASSIGNMENTS)  # a block at a time, never the whole result
    pairs = sorted(
        (parse_key(a["participant"]), parse_key(a["slot"]))
        for lo in range(0, len(stored), ROWS_PER_BLOCK)
        for a in stored[lo : lo + ROWS_PER_BLOCK]
    )
    created = 0
    for lo in range(0, len(pairs), PUBLISH_BATCH):
        batch = pairs[lo : lo + PUBLISH_BATCH]
        with transaction.atomic():
            if not MatchRun.objects.select_for_update().filter(
                pk=run_id, publish_status=PublishStatus.RUNNING
            ):
                return created
            existing = set(
                Offer.objects.filter(
                    run_id=run_id, nomination_id__gte=batch[0][0], nomination_id__lte=batch[-1][0]
                ).values_list("nomination_id", flat=True)
            )
            new = [(n, o) for n, o in batch if n not in existing]
            _make_offers(
                run, new, respond_by=run.respond_by, reason=f"published with run #{run_id}"
            )
            created += len(new)
            MatchRun.objects.filter(pk=run_id).update(
                publish_progress=min(99, 100 * (lo + len(batch)) // len(pairs)),
                publish_heartbeat_at=timezone.now(),
            )
    from .tasks import send_offer_mail

    with transaction.atomic():
        done = MatchRun.objects.filter(pk=run_id, publish_status=PublishStatus.RUNNING).update(
            publish_status=PublishStatus.DONE,
            publish_progress=100,
            publish_heartbeat_at=timezone.now(),
        )
        if done:
            send_offer_mail.enqueue(run_id)
    return created


PUBLISHING = (PublishStatus.QUEUED, PublishStatus.RUNNING)

# The offer columns a published run writes, and its history rows' own columns: the SQL
# path below writes exactly these (it falls back to the ORM if the models say otherwise).
_OFFER_COLUMNS = (
    "id",
    "run_id",
    "nomination_id",
    "opportunity_id",
    "status",
    "respond_by",
    "responded_at",
    "decline_reason",
)
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _make_offers(
    run: MatchRun, pairs: list[tuple[int, int]], *, respond_by: datetime.date, reason: str
) -> None:
    """One offer per (nomination, opportunity) pair of the run, each with its "created"
    history row attributed to the publisher. On PostgreSQL one statement writes both (an
    ``INSERT … SELECT`` from two arrays, its ``RETURNING`` rows copied into the history
    table): no model object per offer. Elsewhere ``bulk_create_with_history``."""
    if not pairs:
        return
    offer_columns = [f.column for f in Offer._meta.concrete_fields]
    history = Offer.history.model
    history_columns = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    if (
        connection.vendor != "postgresql"
        or set(offer_columns) != set(_OFFER_COLUMNS)
        or set(history_columns) != {*_OFFER_COLUMNS, *_HISTORY_COLUMNS}
    ):
        bulk_create_with_history(
            [
                Offer(
                    run_id=run.pk,
                    nomination_id=nomination,
                    opportunity_id=opportunity,
                    respond_by=respond_by,
                )
                for nomination, opportunity in pairs
            ],
            Offer,
            batch_size=OFFER_BATCH,
            default_user=run.published_by,
            default_change_reason=reason,
        )
        return
    quote = connection.ops.quote_name
    copied = ", ".join(quote(c) for c in _OFFER_COLUMNS)
    nominations, opportunities = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH made AS ("  # noqa: S608 (table and column names from the models)
            f"INSERT INTO {quote(Offer._meta.db_table)} "
            "(run_id, nomination_id, opportunity_id, status, respond_by, responded_at, "
            "decline_reason) "
            "SELECT %s, t.n, t.o, %s, %s, NULL, '' "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS t (n, o) "
            f"RETURNING {copied}) "
            f"INSERT INTO {quote(history._meta.db_table)} "
            f"({copied}, {', '.join(_HISTORY_COLUMNS)}) "
            f"SELECT {copied}, %s, %s, '+', %s FROM made",
            [
                run.pk,
                OfferStatus.OFFERED,
                respond_by,
                list(nominations),
                list(opportunities),
                timezone.now(),
                reason,
                run.published_by_id,
            ],
        )


def resume_stalled_publishing(now: datetime.datetime | None = None) -> int:
    """Queue again every publication whose worker gave no sign of life for STALL_AFTER
    (it resumes where it stopped). Run by the scheduled command, never by a page."""
    from .tasks import publish_offers

    limit = (now or timezone.now()) - STALL_AFTER
    with transaction.atomic():
        stalled = list(
            MatchRun.objects.select_for_update()
            .filter(publish_status__in=PUBLISHING, publish_heartbeat_at__lt=limit)
            .values_list("pk", flat=True)
        )
        for run_id in stalled:
            MatchRun.objects.filter(pk=run_id).update(publish_heartbeat_at=timezone.now())
            publish_offers.enqueue(run_id)
    return len(stalled)


# --- answering an offer ---------------------------------------------------------------------


def accept_offer(offer: Offer, *, actor: User) -> Offer:
    """Accept an offer by its deadline. The opportunity's row is locked first, so two people
    accepting the last place at once are served one after the other: the first gets it, the
    second is told it is gone. Places count accepted offers of every round."""
    today = timezone.localdate()

    def place_left(locked: Offer) -> None:
        _check_open(locked, today)
        taken = Offer.objects.filter(
            opportunity_id=locked.opportunity_id, status=OfferStatus.ACCEPTED
        ).count()
        if taken >= opportunity.capacity:
            raise ActionRefused(
                _(
                    "Sorry: the last place on “%(title)s” was just accepted by someone else, "
                    "so this offer can no longer be accepted. The program administrator will "
                    "be in touch about the next round."
                )
                % {"title": opportunity.title}
            )
        if Offer.objects.filter(
            nomination_id=locked.nomination_id, status=OfferStatus.ACCEPTED
        ).exists():
            raise ActionRefused(_("You have already accepted another offer."))

    accept = OFFER_WORKFLOW.by_name["accept"]
    require(actor, accept.permission, offer, accept.refusal)
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=offer.opportunity_id)
        locked = OFFER_WORKFLOW.perform(
            offer, "accept", actor=actor, check=place_left, responded_at=timezone.now()
        )
        # An accepted offer is where the placement starts: its draft agreement is created in
        # the same transaction, so there is never an acceptance without a placement.
        start_placement(locked, actor)
    return locked


def decline_offer(offer: Offer, *, actor: User, reason: str) -> Offer:
    decline = OFFER_WORKFLOW.by_name["decline"]
    require(actor, decline.permission, offer, decline.refusal)
    if not reason.strip():
        raise ActionRefused(_("Tell us briefly why you decline; it helps the next round."))
    today = timezone.localdate()
    return OFFER_WORKFLOW.perform(
        offer,
        "decline",
        actor=actor,
        note=reason,
        check=lambda locked: _check_open(locked, today),
        decline_reason=reason.strip(),
        responded_at=timezone.now(),
    )


def _check_open(offer: Offer, today: datetime.date) -> None:
    if today > offer.respond_by:
        raise ActionRefused(
            _("The deadline to answer this offer was %(date)s; it has passed.")
            % {"date": offer.respond_by.strftime("%d %B %Y")}
        )


def expire_offers(today: datetime.date | None = None) -> int:
    """Mark unanswered offers past their deadline as expired (no person does it: the
    transition record has no actor)."""
    today = today or timezone.localdate()
    count = 0
    for offer in Offer.objects.filter(status=OfferStatus.OFFERED, respond_by__lt=today):
        OFFER_WORKFLOW.perform(offer, "expire", actor=None)
        count += 1
    return count
