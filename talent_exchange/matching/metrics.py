"""Metrics of an assignment, computed from the definitions alone.

Nothing here trusts the algorithm that produced the assignment: blocking pairs, balance and
histograms are recomputed from the market and the list of assigned pairs, so the same code
checks both modes (and the tests use it to check the engine).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .market import Market


def slot_fill(market: Market, assigned: np.ndarray) -> np.ndarray:
    chosen = assigned[assigned >= 0]
    return np.bincount(market.pair_slot[chosen], minlength=market.n_slots)


def worst_assigned_rank(market: Market, assigned: np.ndarray) -> np.ndarray:
    """Per slot, the slot's rank of its least preferred assigned participant (0 if empty)."""
    chosen = assigned[assigned >= 0]
    worst = np.zeros(market.n_slots, dtype=np.int64)
    np.maximum.at(worst, market.pair_slot[chosen], market.slot_rank[chosen])
    return worst


def blocking_pairs(market: Market, assigned: np.ndarray) -> np.ndarray:
    """Pair indices (p, s) that block: both would rather be together.

    p is unmatched or ranks s above their slot, and s has a free place or ranks p above the
    least preferred participant it was given (a slot without preferences ranks by lottery).
    """
    p = market.pair_participant
    s = market.pair_slot
    mine = assigned[p]
    own_rank = np.where(
        mine >= 0, market.participant_rank[np.maximum(mine, 0)], np.iinfo(np.int32).max
    )
    participant_wants = market.participant_rank < own_rank
    fill = slot_fill(market, assigned)
    worst = worst_assigned_rank(market, assigned)
    slot_wants = (fill[s] < market.capacity[s]) | ((fill[s] > 0) & (market.slot_rank < worst[s]))
    return np.flatnonzero(participant_wants & slot_wants)


def organization_balance(market: Market, assigned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per organization: (sent, received) by the assigned pairs."""
    chosen = assigned[assigned >= 0]
    n_orgs = len(market.organization_ids)
    sent = np.bincount(market.participant_org[market.pair_participant[chosen]], minlength=n_orgs)
    received = np.bincount(market.slot_org[market.pair_slot[chosen]], minlength=n_orgs)
    return sent, received


def exact_total(weights: np.ndarray, decimals: int | None) -> float | int:
    """Sum of weights, rounded to the decimals they were given with (no 0.1 + 0.2 noise).

    ``decimals`` is None when the weights have no exact decimal form: the sum as computed.
    """
    total = math.fsum(weights.tolist())
    if decimals is None:
        return total
    if decimals == 0 and float(total).is_integer():
        return int(total)
    return round(total, decimals)


def histogram(ranks: np.ndarray) -> list[dict[str, int]]:
    counts = np.bincount(ranks) if len(ranks) else np.zeros(0, dtype=np.int64)
    return [{"rank": int(r), "count": int(c)} for r, c in enumerate(counts.tolist()) if c and r > 0]


def compute_metrics(
    market: Market, assigned: np.ndarray, weight_decimals: int | None, examples: int = 10
) -> dict[str, Any]:
    chosen = assigned[assigned >= 0]
    sent, received = organization_balance(market, assigned)
    blocking = blocking_pairs(market, assigned)
    has_prefs = market.slot_has_preferences[market.pair_slot[chosen]]
    balance = received - sent
    return {
        "participants": market.n_participants,
        "slots": market.n_slots,
        "capacity": int(market.capacity.sum()),
        "acceptable_pairs": market.n_pairs,
        "matched": len(chosen),
        "unmatched": market.n_participants - len(chosen),
        "locked": len(market.locked_pairs),
        "total_weight": exact_total(market.weight[chosen], weight_decimals),
        "participant_rank_histogram": histogram(market.participant_rank[chosen]),
        "slot_rank_histogram": histogram(market.slot_rank[chosen[has_prefs]]),
        "matched_by_lottery": int((~has_prefs).sum()),
        "blocking_pairs": len(blocking),
        "blocking_pair_examples": [
            {
                "participant": market.participant_ids[market.pair_participant[e]],
                "slot": market.slot_ids[market.pair_slot[e]],
            }
            for e in blocking[:examples].tolist()
        ],
        "balance_tolerance": market.balance_tolerance,
        "max_imbalance": int(np.abs(balance).max(initial=0)),
        "organizations": [
            {
                "organization": name,
                "sent": int(sent[o]),
                "received": int(received[o]),
                "balance": int(balance[o]),
            }
            for o, name in enumerate(market.organization_ids)
        ],
    }
