"""Rank points: how much a place on a ranked list is worth in the matching weights.

The agreed contract with the matching engine (docs/cycle-preferences-interviews.md): on a list
of n choices, rank r is worth 100 × (n − r + 1) / n points — the first choice 100, the last
100 / n, and anything not on the list 0. Longer lists spread the points thinner, so ranking
everything does not buy extra weight.
"""

from __future__ import annotations


def rank_points(rank: int, list_length: int) -> float:
    """Points (0–100] for ``rank`` (1 = first choice) on a list of ``list_length`` choices."""
    if list_length < 1:
        raise ValueError("A ranked list has at least one choice.")
    if not 1 <= rank <= list_length:
        raise ValueError(f"Rank {rank} is not on a list of {list_length}.")
    return 100 * (list_length - rank + 1) / list_length
