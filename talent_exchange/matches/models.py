"""Match runs (the engine's proposals), pair constraints, and the offers a published run
creates."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow
from talent_exchange.matching import jsonio
from talent_exchange.matching.arrays import ArrayMarket, is_npz


class WeightFormula(models.Model):
    """How a pair's weight for the optimal mode is computed, per cycle (documented in
    docs/matching-in-the-app.md): weight = participant_rank_weight × rank points of the
    participant's choice + host_rank_weight × rank points of the host's choice +
    interview_weight × the candidate's interview score (0–100)."""

    cycle = models.OneToOneField(
        "programs.Cycle", on_delete=models.CASCADE, related_name="weight_formula"
    )
    participant_rank_weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("1.00")
    )
    host_rank_weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1.00"))
    interview_weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0.50"))

    class Meta:
        verbose_name = _("weight formula")
        verbose_name_plural = _("weight formulas")

    def __str__(self) -> str:
        return f"{self.cycle}: weights"

    @property
    def program_id(self) -> int:
        return self.cycle.program_id


class MatchMode(models.TextChoices):
    STABLE = "stable", _("Stable")
    OPTIMAL = "optimal", _("Optimal")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


TERMINAL_STATUSES = (RunStatus.SUCCEEDED, RunStatus.FAILED)


class PublishStatus(models.TextChoices):
    """Publishing runs in the background (services.request_publish, then the task): the
    administrator's click reserves the round (``published_at``) and queues the offers."""

    NONE = "", _("Not published")
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Making offers")
    DONE = "done", _("Published")


class MatchRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> MatchRunQuerySet:
        """Runs are the administrators' working material: their programs' runs, and every
        run for auditors."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(cycle__program_id__in=roles.admin_program_ids)

    def for_cycle(self, cycle) -> MatchRunQuerySet:
        return self.filter(cycle=cycle)

    def in_progress(self) -> MatchRunQuerySet:
        return self.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])

    def published(self) -> MatchRunQuerySet:
        """Runs whose publication was asked for (their round is taken), done or not."""
        return self.filter(published_at__isnull=False)

    def publishing(self) -> MatchRunQuerySet:
        return self.filter(publish_status__in=[PublishStatus.QUEUED, PublishStatus.RUNNING])


# A run's input snapshot and engine result: large (a 100,000-participant snapshot is 150 MB
# as JSON: it is stored as compressed arrays, the result as compressed JSON), read only by the
# pages and tasks that use them. Every query that lists
# runs or reaches a run through an offer defers them; the summary (metrics, solver, the
# organisations' exchanges) is what the run page shows.
RUN_PAYLOAD = ("market_data", "result_data")
RUN_DEFERRED = (*RUN_PAYLOAD, "summary")


def pack(payload: bytes) -> bytes:
    """Canonical JSON bytes, gzip-compressed (the same bytes give the same blob)."""
    return gzip.compress(payload, compresslevel=GZIP_LEVEL, mtime=0)


def pack_chunks(chunks: Iterable[bytes]) -> tuple[bytes, int]:
    """``pack`` of the concatenated chunks, in bounded memory; and the uncompressed size."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: a gzip stream
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    return b"".join(parts), size


Progress = Callable[[int, int], None]


def unpack_chunks(
    blob: bytes, size: int = 1 << 20, progress: Progress | None = None
) -> Iterator[bytes]:
    """The stored JSON bytes again, a megabyte at a time (``progress(done, total)``: how much
    of the stored blob is read)."""
    raw = io.BytesIO(blob)
    with gzip.GzipFile(fileobj=raw) as stream:
        while chunk := stream.read(size):
            yield chunk
            if progress is not None:
                progress(raw.tell(), len(blob))


def snapshot_chunks(blob: bytes, progress: Progress | None = None) -> Iterator[bytes]:
    """A stored input snapshot as the engine's compact canonical JSON, a slice at a time:
    written from the arrays (``ArrayMarket.to_npz``), or the stored JSON of an older run."""
    if is_npz(blob):
        return ArrayMarket.from_npz(blob).json_chunks(indent=False, progress=progress)
    return unpack_chunks(blob, progress=progress)


GZIP_LEVEL = 1  # fast; JSON of ids and numbers compresses well even so


class MatchRun(models.Model):
    cycle = models.ForeignKey("programs.Cycle", on_delete=models.CASCADE, related_name="match_runs")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    mode = models.CharField(_("mode"), max_length=16, choices=MatchMode.choices)
    balance_tolerance = models.PositiveSmallIntegerField(
        _("balance tolerance"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    # The input snapshot: the market's arrays as a compressed numpy archive written by the
    # worker (``ArrayMarket.to_npz``; its JSON is written for a download), or gzip canonical
    # JSON (a market given as a dict, and runs from before); the first bytes tell which.
    # The engine's result: gzip canonical JSON (matching/jsonio.py). The sizes (of the
    # stored archive, of the uncompressed JSON) say whether they are there without reading.
    market_data = models.BinaryField(_("input snapshot"), null=True, blank=True)
    market_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    result_data = models.BinaryField(_("engine result (gzip JSON)"), null=True, blank=True)
    result_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    # The result without its rows: status, seed, solver, metrics, problems, the number of
    # assignments and unmatched, and "flows" (home organisation, host organisation, count).
    summary = models.JSONField(_("result summary"), null=True, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The worker touches this at every step; a run whose heartbeat is too old is stalled.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    source_run = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        help_text=_("The run whose input snapshot this run reproduces."),
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    publish_status = models.CharField(
        _("publication"), max_length=16, choices=PublishStatus.choices, blank=True, default=""
    )
    publish_progress = models.PositiveSmallIntegerField(_("publication progress (%)"), default=0)
    publish_heartbeat_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(_("respond by"), null=True, blank=True)
    # Changes made by save() (publishing, a run failed by the scheduled command) leave a
    # history row; the snapshot and the result are large and never edited, so not copied.
    history = HistoricalRecords(excluded_fields=[*RUN_DEFERRED])

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        constraints = [
            # One published run per round of a cycle, enforced by the database.
            models.UniqueConstraint(
                fields=["cycle", "round"],
                condition=Q(published_at__isnull=False),
                name="one_published_run_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.get_mode_display()} run #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves; a result given through ``result`` also stores its rows in blocks."""
        super().save(*args, **kwargs)
        pending = self.__dict__.pop("_rows_to_store", None)
        if pending is not None:
            ResultBlock.objects.replace(self.pk, pending)

    @property
    def publishing(self) -> bool:
        """Publication asked for, offers still being made (the page follows its progress)."""
        return self.publish_status in (PublishStatus.QUEUED, PublishStatus.RUNNING)

    @property
    def publish_done(self) -> bool:
        return self.published_at is not None and not self.publishing

    @property
    def is_finished(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == RunStatus.SUCCEEDED

    @property
    def failed(self) -> bool:
        return self.status == RunStatus.FAILED

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    # --- the snapshot and the result ---------------------------------------------------------
    # ``market`` and ``result`` read and write them as dicts (small runs, tests); runs are
    # written by the worker as bytes (services.execute_run), and downloads stream them.

    @property
    def market(self) -> dict:
        if not self.market_data:
            return {}
        blob = bytes(self.market_data)
        if is_npz(blob):
            return ArrayMarket.from_npz(blob).to_json()
        return jsonio.loads(gzip.decompress(blob))

    @market.setter
    def market(self, value: dict | None) -> None:
        if not value:
            self.market_data, self.market_bytes = None, None
            return
        raw = jsonio.dumps(value, indent=False)
        self.market_data, self.market_bytes = pack(raw), len(raw)
        if self.result_data:  # the flows between organisations come from the market
            self.summary = summarize(self.result or {}, value)

    @property
    def result(self) -> dict | None:
        cached = self.__dict__.get("_result_cache")
        if cached is None and self.result_data:
            cached = jsonio.loads(gzip.decompress(self.result_data))
            self.__dict__["_result_cache"] = cached
        return cached

    @result.setter
    def result(self, value: dict | None) -> None:
        self.__dict__.pop("_result_cache", None)
        if value is None:
            self.result_data, self.result_bytes, self.summary = None, None, None
            return
        raw = jsonio.dumps(value)
        self.result_data, self.result_bytes = pack(raw), len(raw)
        self.summary = summarize(value, self.market)
        self.__dict__["_rows_to_store"] = value

    @property
    def has_snapshot(self) -> bool:
        return bool(self.market_bytes)

    @property
    def has_result(self) -> bool:
        return bool(self.result_bytes)

    @property
    def solver(self) -> dict:
        return (self.summary or {}).get("solver") or {}

    @property
    def solver_status(self) -> str:
        """How the solver qualifies its answer: ``OPTIMAL`` or ``STABLE`` (or empty)."""
        return str(self.solver.get("status", ""))

    @property
    def proven_optimal(self) -> bool:
        return self.solver_status == "OPTIMAL"

    @property
    def participant_optimal_stable(self) -> bool:
        return self.solver_status == "STABLE"

    @property
    def organization_id(self):  # runs belong to a program, not to one organisation
        return None

    @property
    def program_id(self) -> int:
        """For the programs' permission predicates (``administers_program``)."""
        return self.cycle.program_id


def summarize(result: dict[str, Any], market: dict[str, Any]) -> dict[str, Any]:
    """What the run page shows of a result without its rows: everything but the
    assignments and the unmatched, their numbers, and the exchanges between organisations
    (``flows``: home organisation, host organisation, count; from the market's ids)."""
    home = {p["id"]: p["organization"] for p in market.get("participants", [])}
    host = {s["id"]: s["organization"] for s in market.get("slots", [])}
    return summarize_with(result, home.get, host.get)


def summarize_with(result: dict[str, Any], home_of: Any, host_of: Any) -> dict[str, Any]:
    """``summarize`` with the organisation of a participant id and of a slot id given as
    functions (the worker has the market as arrays)."""
    counts: dict[tuple[str, str], int] = {}
    for pair in result.get("assignments") or []:
        key = (home_of(pair["participant"]) or "?", host_of(pair["slot"]) or "?")
        counts[key] = counts.get(key, 0) + 1
    summary = {k: v for k, v in result.items() if k not in ("assignments", "unmatched")}
    summary["assignment_count"] = len(result.get("assignments") or [])
    summary["unmatched_count"] = len(result.get("unmatched") or [])
    summary["flows"] = [[a, b, n] for (a, b), n in sorted(counts.items())]
    return summary


class PairRule(models.TextChoices):
    LOCK = "lock", _("Lock: must be matched")
    FORBID = "forbid", _("Forbid: must not be matched")


class PairConstraintQuerySet(models.QuerySet):
    def visible_to(self, user) -> PairConstraintQuerySet:
        """Locks and forbids are the program administrators' working material, as runs are."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(cycle__program_id__in=roles.admin_program_ids)


class PairConstraint(models.Model):
    """An administrator's lock or forbid on one candidate–opportunity pair."""

    cycle = models.ForeignKey(
        "programs.Cycle", on_delete=models.CASCADE, related_name="pair_constraints"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="+"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(_("rule"), max_length=8, choices=PairRule.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PairConstraintQuerySet.as_manager()

    class Meta:
        verbose_name = _("pair constraint")
        verbose_name_plural = _("pair constraints")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "opportunity"], name="one_constraint_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.nomination.person} – {self.opportunity}"

    @property
    def program_id(self) -> int:
        return self.cycle.program_id


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user) -> OfferQuerySet:
        """A participant sees their own offers; a host's coordinators and the coach see the
        offers for the host's opportunities; administrators their programs'; auditors all."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(run__cycle__program_id__in=roles.admin_program_ids) | Q(
            opportunity__host_organization_id__in=roles.coordinator_org_ids
        )
        if roles.person_id:
            allowed |= Q(nomination__person_id=roles.person_id) | Q(
                opportunity__coach_id=roles.person_id
            )
        return self.filter(allowed)

    def holding_a_place(self, today) -> OfferQuerySet:
        """Accepted offers, and offers still open for an answer: each holds a place."""
        return self.filter(
            Q(status=OfferStatus.ACCEPTED) | Q(status=OfferStatus.OFFERED, respond_by__gte=today)
        )


class Offer(models.Model):
    """A published match: an assignment offered to a participant, to accept by a deadline."""

    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="offers")
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="offers"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.PROTECT, related_name="offers"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    respond_by = models.DateField(_("respond by"))
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    history = HistoricalRecords()

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["run", "nomination"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            # A participant accepts at most one offer, whatever the round.
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(status="accepted"),
                name="one_accepted_offer_per_nomination",
            ),
            # A run offers a participant one place; a place left open afterwards may be
            # offered to them too (next_in_line.py), never the same place twice.
            models.UniqueConstraint(
                fields=["run", "nomination", "opportunity"], name="one_offer_per_run_and_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination.person} → {self.opportunity} ({self.get_status_display()})"

    @property
    def program_id(self) -> int:
        return self.run.cycle.program_id

    def is_open(self, today) -> bool:
        return self.status == OfferStatus.OFFERED and today <= self.respond_by

    @property
    def awaits_answer(self) -> bool:
        return self.status == OfferStatus.OFFERED


class OfferTransition(TransitionRecord):
    """One move of an offer: accepted, declined, or expired at its deadline (then no person
    made it: ``actor`` is empty). Rows are only ever added."""

    # Django lets a child redefine an abstract parent's field; django-stubs types the parent's.
    actor = models.ForeignKey(  # type: ignore[assignment]
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=OfferStatus.choices)
    to_state = models.CharField(max_length=16, choices=OfferStatus.choices)
    note = models.TextField(blank=True)

    subject_field = "offer"

    class Meta(TransitionRecord.Meta):
        verbose_name = _("offer transition")
        verbose_name_plural = _("offer transitions")

    def __str__(self) -> str:
        return f"{self.offer}: {self.from_state} → {self.to_state}"


def _offer_workflow() -> Workflow:
    """The participant accepts or declines an offer by its deadline; an unanswered offer
    expires after it (the scheduled command does that, nobody is offered it)."""
    S = OfferStatus
    answered = _("This offer was already answered: %(state)s.")
    return Workflow(
        states=S,
        record=OfferTransition,
        noun=_("An offer"),
        actions=[
            Action(
                "accept",
                [S.OFFERED],
                S.ACCEPTED,
                permission="matches.respond_offer",
                refusal=_("Only the participant it was made to can answer this offer."),
                label=_("Accept the offer"),
                state_refusal=answered,
            ),
            Action(
                "decline",
                [S.OFFERED],
                S.DECLINED,
                permission="matches.respond_offer",
                refusal=_("Only the participant it was made to can answer this offer."),
                label=_("Decline the offer"),
                state_refusal=answered,
            ),
            Action("expire", [S.OFFERED], S.EXPIRED, permission=None, label=_("Expire")),
        ],
    )


OFFER_WORKFLOW = _offer_workflow()


def _run_workflow() -> Workflow:
    """A run is queued, claimed by a worker, and ends finished or failed; a worker that stops
    leaves it to the scheduled command, which fails it. Those moves are the system's: the
    worker writes its progress as plain updates (each must commit on its own, ADR 0009), so
    they leave history rows, not transition records. An administrator publishes a finished
    run (publishing sets ``published_at``; the run's state stays)."""
    S = RunStatus
    return Workflow(
        states=S,
        noun=_("A run"),
        actions=[
            Action("claim", [S.QUEUED], S.RUNNING, permission=None, label=_("Start")),
            Action("finish", [S.RUNNING], S.SUCCEEDED, permission=None, label=_("Finish")),
            Action("fail", [S.QUEUED, S.RUNNING], S.FAILED, permission=None, label=_("Fail")),
            Action(
                "publish",
                [S.SUCCEEDED],
                None,
                permission="matches.publish_run",
                refusal=_("Only an administrator of this program can publish its runs."),
                label=_("Publish"),
                state_refusal=_("Only a finished run can be published."),
            ),
        ],
    )


RUN_WORKFLOW = _run_workflow()


# --- the result's rows, in blocks ------------------------------------------------------------
# A national run has 100,000 assignments: the run page and the API show a page of them. The
# rows are also stored in blocks of ROWS_PER_BLOCK (gzip JSON, one table row a block), so a
# page reads one or two blocks instead of decompressing and parsing the whole result.

ROWS_PER_BLOCK = 1000


class RowKind(models.TextChoices):
    ASSIGNMENTS = "assignments", _("assignments")
    UNMATCHED = "unmatched", _("unmatched")


class ResultBlockQuerySet(models.QuerySet):
    def replace(self, run_id: int, result: dict[str, Any]) -> None:
        """Store the result's rows for the run in blocks (replacing any there were)."""
        self.filter(run_id=run_id).delete()
        blocks = []
        for kind in RowKind:
            rows = result.get(kind.value) or []
            for index, lo in enumerate(range(0, len(rows), ROWS_PER_BLOCK)):
                data = pack(jsonio.dumps(rows[lo : lo + ROWS_PER_BLOCK], indent=False))
                blocks.append(ResultBlock(run_id=run_id, kind=kind, index=index, data=data))
        self.bulk_create(blocks, batch_size=100)


class ResultBlock(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="row_blocks")
    kind = models.CharField(max_length=16, choices=RowKind.choices)
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    objects = ResultBlockQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "kind", "index"], name="one_block_per_place")
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} {self.kind} block {self.index}"


class StoredRows:
    """A run's assignments (or unmatched) as a sequence that reads only the blocks a slice
    needs: ``len`` from the summary, ``rows[a:b]`` in one query. Django's ``Paginator``
    pages it like a list."""

    def __init__(self, run: MatchRun, kind: str, count: int) -> None:
        self.run_id, self.kind, self.count = run.pk, kind, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        if not isinstance(item, slice):
            raise TypeError("StoredRows is read by slices")
        start, stop, _step = item.indices(self.count)
        if start >= stop:
            return []
        first, last = start // ROWS_PER_BLOCK, (stop - 1) // ROWS_PER_BLOCK
        blocks = ResultBlock.objects.filter(
            run_id=self.run_id, kind=self.kind, index__gte=first, index__lte=last
        ).order_by("index")
        rows: list[dict[str, Any]] = []
        for data in blocks.values_list("data", flat=True):
            rows.extend(jsonio.loads(gzip.decompress(bytes(data))))
        offset = first * ROWS_PER_BLOCK
        return rows[start - offset : stop - offset]


def stored_rows(run: MatchRun, kind: str) -> StoredRows:
    """The run's rows of one kind, sized by its summary (no summary: none)."""
    key = "assignment_count" if kind == RowKind.ASSIGNMENTS else "unmatched_count"
    return StoredRows(run, kind, int((run.summary or {}).get(key, 0)))
