"""The market adapter: a cycle's rows turned into the matching engine's market JSON.

- participants: the cycle's ENDORSED nominations (``"n<pk>"``), their home organisation id as
  a string, and their ranking of the approved opportunities (``"o<pk>"``), first choice first;
- slots: the cycle's APPROVED opportunities with capacity, host organisation and the host's
  ranking of candidates (only when the host ranked anybody);
- weights: the cycle's :class:`WeightFormula` (the defaults when the cycle has none) applied
  to every ranked pair — see ``pair_weight``;
- forbidden: every declared conflict of interest (the nominee × every approved opportunity of
  that organisation), every administrator's "forbid" and, from round 2, every offer the
  participant declined;
- locked: the administrator's "lock" pairs;
- rules: the home organisation is always excluded; the balance tolerance is the run's choice.

A second (or later) round matches what is left (docs/matching-in-the-app.md): participants
who accepted an offer, or still hold an open one, are left out, and each opportunity's
capacity is reduced by the places that accepted or still-open offers hold. An opportunity with
no place left is left out, and so are preferences pointing at it. Accepted pairs are thus
*removed* from the market rather than locked into it.

Everything is ordered by primary key, so the same rows give the same bytes, and the whole
market costs the same fixed number of queries whatever the size of the cycle.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from itertools import chain
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

from talent_exchange.interviews.scoring import interview_scores
from talent_exchange.matching.arrays import ArrayMarket, csr_start
from talent_exchange.nominations.models import ConflictOfInterest, Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.preferences.points import rank_points

from .models import Offer, OfferStatus, PairConstraint, PairRule, WeightFormula


def participant_key(nomination_id: int) -> str:
    return f"n{nomination_id}"


def slot_key(opportunity_id: int) -> str:
    return f"o{opportunity_id}"


def parse_key(key: str) -> int:
    """``"n12"`` or ``"o7"`` → 12 or 7."""
    return int(key[1:])


def formula_for(cycle) -> WeightFormula:
    """The cycle's weights, or the defaults (unsaved: reading a market never writes)."""
    return WeightFormula.objects.filter(cycle=cycle).first() or WeightFormula(cycle=cycle)


def pair_weight(
    formula: WeightFormula,
    participant_points: float,
    host_points: float,
    interview_score: float,
) -> float:
    """participant_rank_weight × participant's rank points + host_rank_weight × host's rank
    points + interview_weight × interview score; points and score are 0–100 (0 when the host
    did not rank the candidate or nobody interviewed them). Rounded to 2 decimals."""
    total = (
        formula.participant_rank_weight * Decimal(str(participant_points))
        + formula.host_rank_weight * Decimal(str(host_points))
        + formula.interview_weight * Decimal(str(interview_score))
    )
    return float(round(total, 2))


# ``build_market``'s default tolerance: the program's reciprocity rule.
PROGRAM_RULE = "program"

# Rows fetched per round trip when reading rankings into arrays.
FETCH = 50_000


def _rows(queryset: QuerySet, *fields: str) -> np.ndarray:
    """The queryset's ``fields`` (integers) as an (n, len(fields)) int64 array: one flat
    query read a slice at a time on the raw cursor, no model or dict per row."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and not queryset.ordered:
        packed = _packed_rows(connection, sql, params, len(fields))
        if packed is not None:
            return packed
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            flat = np.fromiter(chain.from_iterable(rows), np.int64, len(rows) * len(fields))
            chunks.append(flat.reshape(len(rows), len(fields)))
    if not chunks:
        return np.zeros((0, len(fields)), dtype=np.int64)
    return np.concatenate(chunks)


def _packed_rows(connection, sql: str, params: Any, width: int) -> np.ndarray | None:
    """PostgreSQL: the rows of ``sql`` packed by the database into one value (each integer
    as 8 big-endian bytes, ``int8send``), read with one ``frombuffer``: two million rankings
    without a Python tuple or int per value. Row order is not kept (the callers sort).
    None when a value is NULL (the row-by-row path then says where)."""
    names = ", ".join(f"c{i}" for i in range(width))
    packed = " || ".join(f"int8send(q.c{i}::int8)" for i in range(width))
    query = f"SELECT string_agg({packed}, ''::bytea), count(*) FROM ({sql}) AS q ({names})"  # noqa: S608 (column names)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        data, count = cursor.fetchone()
    data = bytes(data or b"")
    if len(data) != count * width * 8:
        return None
    return np.frombuffer(data, dtype=">i8").astype(np.int64).reshape(count, width)


def _sorted_rows(rankings: QuerySet, owner: str, target: str) -> np.ndarray:
    """Rankings as (owner, target) rows, ordered by owner, rank and id — sorted here rather
    than by the database (a sort of two million rows is cheaper in numpy)."""
    rows = _rows(rankings.order_by(), owner, "rank", "pk", target)
    order = np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))
    return rows[order][:, [0, 3]]


def _index_of(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The index of each value in the sorted unique ``keys``, -1 where it is not there."""
    if not len(keys):
        return np.full(len(values), -1, dtype=np.int64)
    where = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return np.where(keys[where] == values, where, -1)


def _positions(owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For rows grouped by ``owner`` (ascending): the CSR start offsets, each row's 1-based
    position in its group, and its group's length."""
    start = csr_start(owner, n)
    lengths = np.diff(start)
    position = np.arange(len(owner), dtype=np.int64) - start[owner] + 1
    return start, position, lengths[owner]


def _hundredths(value: Decimal | float) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def _weights(
    formula: WeightFormula,
    participant_position: np.ndarray,
    participant_length: np.ndarray,
    host_position: np.ndarray,
    host_length: np.ndarray,
    score_hundredths: np.ndarray,
) -> np.ndarray:
    """``pair_weight`` for every pair at once, exactly: the weight in hundredths is the sum
    of rationals ``100·(wp·k/n + wh·k'/n') + wi·score/100`` (formula weights and scores in
    hundredths, ``k = n − rank + 1``), rounded half to even — the Decimal rounding of
    ``pair_weight``. A pair within a hair of a half (where ``pair_weight``'s Decimal of a
    float could round the other way) is computed by ``pair_weight`` itself."""
    wp = _hundredths(formula.participant_rank_weight)
    wh = _hundredths(formula.host_rank_weight)
    wi = _hundredths(formula.interview_weight)
    n1 = participant_length.astype(np.int64)
    k1 = n1 - participant_position + 1
    ranked = host_length > 0
    n2 = np.where(ranked, host_length, 1).astype(np.int64)
    k2 = np.where(ranked, n2 - host_position + 1, 0)
    # The weight in hundredths, 100·(wp·k/n + wh·k'/n') + wi·score/100, as one fraction.
    denominator = n1 * n2 * 100
    numerator = 10_000 * (wp * k1 * n2 + wh * k2 * n1) + wi * score_hundredths * n1 * n2
    quotient, remainder = np.divmod(numerator, denominator)
    twice = 2 * remainder
    up = (twice > denominator) | ((twice == denominator) & (quotient % 2 == 1))
    weights = (quotient + up) / 100
    # Far from a half, the float error of pair_weight (about 1e-12) cannot change the
    # rounding; near one, ask pair_weight.
    near_half = np.abs(twice - denominator) * 1_000_000 < denominator
    for i in np.flatnonzero(near_half).tolist():
        weights[i] = pair_weight(
            formula,
            rank_points(int(participant_position[i]), int(n1[i])),
            rank_points(int(host_position[i]), int(host_length[i])) if ranked[i] else 0.0,
            score_hundredths[i] / 100,
        )
    return weights


def build_arrays(
    cycle,
    *,
    round_number: int = 1,
    balance_tolerance: int | str | None = PROGRAM_RULE,
    today: date | None = None,
) -> ArrayMarket:
    """The engine's market for ``cycle`` as arrays (see the module docstring): seven flat
    queries (and the formula and interview scores), whatever the size of the cycle."""
    if balance_tolerance == PROGRAM_RULE:
        balance_tolerance = default_tolerance(cycle)
    today = today or timezone.localdate()
    formula = formula_for(cycle)

    # Places already taken or held by earlier rounds' offers.
    held = np.zeros((0, 2), dtype=np.int64)
    declined = np.zeros((0, 2), dtype=np.int64)
    if round_number > 1:
        earlier = Offer.objects.filter(run__cycle=cycle, run__round__lt=round_number)
        held = _rows(earlier.holding_a_place(today).order_by(), "nomination_id", "opportunity_id")
        declined = _rows(
            earlier.filter(status=OfferStatus.DECLINED).order_by(),
            "nomination_id",
            "opportunity_id",
        )

    opportunities = _rows(
        Opportunity.objects.filter(cycle=cycle, status=OpportunityStatus.APPROVED).order_by("pk"),
        "pk",
        "host_organization_id",
        "capacity",
    )
    places = (
        opportunities[:, 2]
        - np.bincount(
            _index_of(opportunities[:, 0], held[:, 1]) + 1, minlength=len(opportunities) + 1
        )[1:]
    )
    opportunities = opportunities[places > 0]
    places = places[places > 0]
    slot_pk = opportunities[:, 0]

    nominations = _rows(
        Nomination.objects.filter(cycle=cycle, status=NominationStatus.ENDORSED).order_by("pk"),
        "pk",
        "home_organization_id",
    )
    nominations = nominations[~np.isin(nominations[:, 0], held[:, 0])]
    nomination_pk = nominations[:, 0]
    n_p, n_s = len(nomination_pk), len(slot_pk)

    # Participants' lists, in their order, restricted to what is in the market.
    ranked = _sorted_rows(
        ParticipantRanking.objects.filter(nomination__cycle=cycle),
        "nomination_id",
        "opportunity_id",
    )
    mine_p = _index_of(nomination_pk, ranked[:, 0])
    mine_s = _index_of(slot_pk, ranked[:, 1])
    keep = (mine_p >= 0) & (mine_s >= 0)
    mine_p, mine_s = mine_p[keep], mine_s[keep]
    participant_start, position, length = _positions(mine_p, n_p)

    # Hosts' lists, likewise; a host that ranked anybody at all accepts only whom it ranked.
    hosted = _sorted_rows(
        HostRanking.objects.filter(opportunity__cycle=cycle),
        "opportunity_id",
        "nomination_id",
    )
    ranked_any = np.zeros(n_s, dtype=bool)
    ranked_slots = _index_of(slot_pk, np.unique(hosted[:, 0]))
    ranked_any[ranked_slots[ranked_slots >= 0]] = True
    theirs_s = _index_of(slot_pk, hosted[:, 0])
    theirs_p = _index_of(nomination_pk, hosted[:, 1])
    keep = (theirs_s >= 0) & (theirs_p >= 0)
    theirs_s, theirs_p = theirs_s[keep], theirs_p[keep]
    slot_start, host_position, host_length = _positions(theirs_s, n_s)

    # The host's rank of each pair a participant ranked (0: not ranked by the host).
    width = max(n_s, 1)
    pair_keys = mine_p * width + mine_s
    host_keys = theirs_p * width + theirs_s
    order = np.argsort(host_keys, kind="stable")
    at = _index_of(host_keys[order], pair_keys)
    found = at >= 0
    pair_host_position = np.zeros(len(pair_keys), dtype=np.int64)
    pair_host_length = np.zeros(len(pair_keys), dtype=np.int64)
    pair_host_position[found] = host_position[order][at[found]]
    pair_host_length[found] = host_length[order][at[found]]

    scores = interview_scores(cycle)
    score_of = np.zeros(n_p, dtype=np.int64)
    if scores:
        score_pk = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
        score_value = np.fromiter(
            (round(v * 100) for v in scores.values()), dtype=np.int64, count=len(scores)
        )
        where = _index_of(nomination_pk, score_pk)
        score_of[where[where >= 0]] = score_value[where >= 0]
    weights = _weights(
        formula, position, length, pair_host_position, pair_host_length, score_of[mine_p]
    )

    # Forbidden: conflicts of interest (the nominee × the organisation's opportunities),
    # the administrators' forbids, declined offers, and hosts left with nobody they ranked.
    forbidden = [declined]
    conflicts = _rows(
        ConflictOfInterest.objects.filter(nomination__cycle=cycle).order_by(),
        "nomination_id",
        "organization_id",
    )
    if len(conflicts) and n_s:
        by_org = np.argsort(opportunities[:, 1], kind="stable")
        orgs_sorted = opportunities[by_org, 1]
        lo = np.searchsorted(orgs_sorted, conflicts[:, 1], side="left")
        hi = np.searchsorted(orgs_sorted, conflicts[:, 1], side="right")
        counts = hi - lo
        rows = np.repeat(np.arange(len(conflicts)), counts)
        offsets = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
        forbidden.append(
            np.column_stack([conflicts[rows, 0], slot_pk[by_org[np.repeat(lo, counts) + offsets]]])
        )
    constraints = list(
        PairConstraint.objects.filter(cycle=cycle)
        .order_by()
        .values_list("nomination_id", "opportunity_id", "rule")
    )
    locks = np.array(
        [(n, o) for n, o, rule in constraints if rule == PairRule.LOCK], dtype=np.int64
    ).reshape(-1, 2)
    forbidden.append(
        np.array(
            [(n, o) for n, o, rule in constraints if rule != PairRule.LOCK], dtype=np.int64
        ).reshape(-1, 2)
    )
    nobody_left = ranked_any & (np.diff(slot_start) == 0)
    dropped = nobody_left[mine_s]
    forbidden.append(np.column_stack([nomination_pk[mine_p[dropped]], slot_pk[mine_s[dropped]]]))

    def pairs(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unique pairs in the market, sorted by (nomination, opportunity), as indices."""
        rows = np.unique(rows.reshape(-1, 2), axis=0) if len(rows) else rows.reshape(0, 2)
        p, s = _index_of(nomination_pk, rows[:, 0]), _index_of(slot_pk, rows[:, 1])
        keep = (p >= 0) & (s >= 0)
        return p[keep].astype(np.int32), s[keep].astype(np.int32)

    forbidden_p, forbidden_s = pairs(np.concatenate(forbidden))
    locked_p, locked_s = pairs(locks)
    slot_ids = [slot_key(pk) for pk in slot_pk.tolist()]
    return ArrayMarket(
        participant_ids=[participant_key(pk) for pk in nomination_pk.tolist()],
        participant_orgs=[str(org) for org in nominations[:, 1].tolist()],
        slot_ids=slot_ids,
        slot_orgs=[str(org) for org in opportunities[:, 1].tolist()],
        capacity=places.astype(np.int64),
        participant_start=participant_start,
        participant_prefs=mine_s.astype(np.int32),
        slot_start=slot_start,
        slot_prefs=theirs_p.astype(np.int32),
        weight_participant=mine_p.astype(np.int32),
        weight_slot=mine_s.astype(np.int32),
        weight_value=weights,
        forbidden_participant=forbidden_p,
        forbidden_slot=forbidden_s,
        locked_participant=locked_p,
        locked_slot=locked_s,
        exclude_home_organization=True,
        balance_tolerance=balance_tolerance if isinstance(balance_tolerance, int) else None,
    )


def build_market(
    cycle,
    *,
    round_number: int = 1,
    balance_tolerance: int | str | None = PROGRAM_RULE,
    today: date | None = None,
) -> dict:
    """The engine's market JSON for ``cycle`` (a dict; see ``build_arrays``)."""
    return build_arrays(
        cycle, round_number=round_number, balance_tolerance=balance_tolerance, today=today
    ).to_json()


def default_tolerance(cycle) -> int | None:
    """The program's reciprocity rule as the engine's balance tolerance (None: no rule)."""
    return cycle.program.tolerance_for_engine


def participants_page(cycle, offset: int, limit: int) -> tuple[list[dict], int]:
    """One page of a first-round market's ``participants`` (as ``build_market`` gives them,
    in the same order), and how many there are: a fixed number of queries for any page."""
    endorsed = Nomination.objects.filter(cycle=cycle, status=NominationStatus.ENDORSED)
    rows = list(
        endorsed.order_by("pk").values("pk", "home_organization_id")[offset : offset + limit]
    )
    ranked: dict[int, list[int]] = defaultdict(list)
    for nomination_id, opportunity_id in (
        ParticipantRanking.objects.filter(
            nomination_id__in=[row["pk"] for row in rows],
            opportunity__status=OpportunityStatus.APPROVED,
            opportunity__capacity__gt=0,
        )
        .order_by("nomination_id", "rank", "pk")
        .values_list("nomination_id", "opportunity_id")
    ):
        ranked[nomination_id].append(opportunity_id)
    items = [
        {
            "id": participant_key(row["pk"]),
            "organization": str(row["home_organization_id"]),
            "preferences": [slot_key(o) for o in ranked.get(row["pk"], [])],
        }
        for row in rows
    ]
    return items, endorsed.count()


def slots_page(cycle, offset: int, limit: int) -> tuple[list[dict], int]:
    """One page of a first-round market's ``slots`` (as ``build_market`` gives them), and
    how many there are."""
    approved = Opportunity.objects.filter(
        cycle=cycle, status=OpportunityStatus.APPROVED, capacity__gt=0
    )
    rows = list(
        approved.order_by("pk").values("pk", "host_organization_id", "capacity")[
            offset : offset + limit
        ]
    )
    ranked: dict[int, list[int]] = defaultdict(list)
    for opportunity_id, nomination_id in (
        HostRanking.objects.filter(
            opportunity_id__in=[row["pk"] for row in rows],
            nomination__status=NominationStatus.ENDORSED,
        )
        .order_by("opportunity_id", "rank", "pk")
        .values_list("opportunity_id", "nomination_id")
    ):
        ranked[opportunity_id].append(nomination_id)
    items = [
        {
            "id": slot_key(row["pk"]),
            "organization": str(row["host_organization_id"]),
            "capacity": row["capacity"],
            **(
                {"preferences": [participant_key(n) for n in ranked[row["pk"]]]}
                if ranked.get(row["pk"])
                else {}
            ),
        }
        for row in rows
    ]
    return items, approved.count()
