"""Locked pairs: the administrator's fixed placements, checked before either mode runs."""

from __future__ import annotations

from typing import Any

import numpy as np

from .market import Market


class Infeasible(Exception):
    """No assignment satisfies the request; ``problems`` name who is responsible."""

    def __init__(self, problems: list[dict[str, Any]]):
        super().__init__(f"{len(problems)} reason(s) the request is infeasible")
        self.problems = problems


def pair_names(market: Market, pairs: np.ndarray) -> list[dict[str, str]]:
    return [
        {
            "participant": market.participant_ids[market.pair_participant[e]],
            "slot": market.slot_ids[market.pair_slot[e]],
        }
        for e in pairs.tolist()
    ]


def check_locks(market: Market) -> None:
    """Raise Infeasible when locks ask for two slots for one person or overfill a slot."""
    locks = market.locked_pairs
    problems: list[dict[str, Any]] = []
    lock_participant = market.pair_participant[locks]
    counts = np.bincount(lock_participant, minlength=market.n_participants)
    for p in np.flatnonzero(counts > 1).tolist():
        pairs = locks[lock_participant == p]
        problems.append(
            {
                "message": (
                    f"participant {market.participant_ids[p]!r} is locked to {len(pairs)} "
                    "slots; a participant takes at most one"
                ),
                "organizations": [],
                "pairs": pair_names(market, pairs),
            }
        )
    lock_slot = market.pair_slot[locks]
    filled = np.bincount(lock_slot, minlength=market.n_slots)
    for s in np.flatnonzero(filled > market.capacity).tolist():
        pairs = locks[lock_slot == s]
        problems.append(
            {
                "message": (
                    f"slot {market.slot_ids[s]!r} has capacity {market.capacity[s]} "
                    f"but {len(pairs)} locked pairs"
                ),
                "organizations": [],
                "pairs": pair_names(market, pairs),
            }
        )
    if problems:
        raise Infeasible(problems)


def residual(market: Market) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """After placing the locks: pair per participant (-1 none), free capacity, locked mask."""
    assigned = np.full(market.n_participants, -1, dtype=np.int64)
    assigned[market.pair_participant[market.locked_pairs]] = market.locked_pairs
    free_capacity = market.capacity - np.bincount(
        market.pair_slot[market.locked_pairs], minlength=market.n_slots
    )
    is_locked = assigned >= 0
    return assigned, free_capacity, is_locked
