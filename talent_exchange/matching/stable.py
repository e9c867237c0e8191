"""Stable mode: participant-proposing deferred acceptance with slot capacities.

Locked pairs are placed first and use capacity; everybody else takes part in deferred
acceptance over the acceptable pairs.  Since the participant-optimal stable matching does not
depend on the order in which proposals are made, the proposals are made in *rounds*: every
free participant proposes at once to the next slot on their list, and each slot that received
proposals keeps the best ``capacity`` of its held and new candidates (one sort of the touched
slots' candidates by (slot, rank)).  A slot that is full only needs to look at proposers it
ranks above its worst held candidate, which rejects most late proposals without sorting.

All work is on numpy arrays; a round costs O(proposals + candidates held by touched slots),
and the whole run is close to linear in the number of acceptable pairs.
"""

from __future__ import annotations

import numpy as np

from .locks import check_locks, residual
from .market import Market

# Below this many proposers in a round, finish proposal by proposal (measured: a round of
# array operations costs about as much as 50 single proposals in Python).
SEQUENTIAL_BELOW = 64


def deferred_acceptance(market: Market) -> np.ndarray:
    """Pair index assigned to each participant (-1: unmatched); locks included."""
    check_locks(market)
    assigned, capacity, is_locked = residual(market)
    start = market.pair_start
    end = start[1:]
    next_pair = start[:-1].copy()
    slot_of = market.pair_slot  # int32: the gathers below are memory-bound
    rank_of = market.slot_rank
    participant_of = market.pair_participant

    n_slots = market.n_slots
    # Each slot's held candidates (pair indices) live in buffer[offset[s]:offset[s] + fill[s]].
    capacity = np.minimum(capacity, np.bincount(slot_of, minlength=n_slots))
    offset = np.zeros(n_slots + 1, dtype=np.int64)
    np.cumsum(capacity, out=offset[1:])
    buffer = np.empty(int(offset[-1]), dtype=np.int64)
    fill = np.zeros(n_slots, dtype=np.int64)
    worst = np.full(n_slots, -1, dtype=np.int64)  # rank of the worst held, when full
    rank_span = int(rank_of.max(initial=0)) + 1

    proposers = np.flatnonzero(~is_locked & (next_pair < end))
    while proposers.size:
        if proposers.size < SEQUENTIAL_BELOW:
            # The last rounds are a few rejection chains: one proposal at a time is cheaper
            # than a round of array operations for each link.
            _propose_one_by_one(
                proposers.tolist(),
                next_pair,
                end,
                slot_of,
                rank_of,
                participant_of,
                buffer,
                offset,
                fill,
                capacity,
                worst,
            )
            break
        pairs = next_pair[proposers]
        slots = slot_of[pairs]
        outranked = (fill[slots] == capacity[slots]) & (rank_of[pairs] > worst[slots])
        rejected = [pairs[outranked]]
        contenders = pairs[~outranked]
        if contenders.size:
            touched = np.unique(slot_of[contenders])
            held_counts = fill[touched]
            held_total = int(held_counts.sum())
            first = np.repeat(offset[touched] - (np.cumsum(held_counts) - held_counts), held_counts)
            held = buffer[first + np.arange(held_total)]
            candidates = np.concatenate((held, contenders))
            cand_slots = slot_of[candidates]
            order = np.argsort(cand_slots.astype(np.int64) * rank_span + rank_of[candidates])
            candidates = candidates[order]
            cand_slots = cand_slots[order]
            # Position of each candidate within its slot's group, best first.
            group_start = np.flatnonzero(np.r_[True, cand_slots[1:] != cand_slots[:-1]])
            group_size = np.diff(np.r_[group_start, len(candidates)])
            position = np.arange(len(candidates)) - np.repeat(group_start, group_size)
            keep = position < capacity[cand_slots]
            kept_slots = cand_slots[keep]
            buffer[offset[kept_slots] + position[keep]] = candidates[keep]
            group_slots = cand_slots[group_start]
            kept_count = np.minimum(group_size, capacity[group_slots])
            fill[group_slots] = kept_count
            last = candidates[group_start + kept_count - 1]
            worst[group_slots] = np.where(kept_count > 0, rank_of[last], -1)
            rejected.append(candidates[~keep])
        rejected_pairs = np.concatenate(rejected)
        losers = participant_of[rejected_pairs]
        next_pair[losers] = rejected_pairs + 1
        proposers = losers[next_pair[losers] < end[losers]]

    # Everyone not locked holds their current proposal if it was kept.
    active = np.flatnonzero(~is_locked & (next_pair < end))
    assigned[active] = next_pair[active]
    return assigned


def _propose_one_by_one(
    free: list[int],
    next_pair: np.ndarray,
    end: np.ndarray,
    slot_of: np.ndarray,
    rank_of: np.ndarray,
    participant_of: np.ndarray,
    buffer: np.ndarray,
    offset: np.ndarray,
    fill: np.ndarray,
    capacity: np.ndarray,
    worst: np.ndarray,
) -> None:
    """Classic deferred acceptance, one proposal at a time, on the same state arrays."""
    while free:
        p = free.pop()
        e = int(next_pair[p])
        stop = int(end[p])
        while e < stop:
            s = int(slot_of[e])
            rank = int(rank_of[e])
            first, held = int(offset[s]), int(fill[s])
            if held < capacity[s]:
                buffer[first + held] = e
                fill[s] = held + 1
                if held + 1 == capacity[s]:
                    worst[s] = int(rank_of[buffer[first : first + held + 1]].max())
                break
            if rank < worst[s]:
                places = buffer[first : first + held]
                k = int(np.argmax(rank_of[places]))
                loser = int(places[k])
                places[k] = e
                worst[s] = int(rank_of[places].max())
                loser_p = int(participant_of[loser])
                next_pair[loser_p] = loser + 1
                if loser + 1 < end[loser_p]:
                    free.append(loser_p)
                break
            e += 1
        next_pair[p] = e
