"""Peer circles: split a cohort into circles of ``min_size``–``max_size`` people so that no
circle holds two people of one organisation when that can be avoided.

The method (deterministic and provable):

1. ``k``, the number of circles, is the fewest that keep circles at most ``max_size``
   (``ceil(n / max_size)``), raised towards the size of the largest organisation when the
   minimum size allows it (``k ≤ floor(n / min_size)``).
2. People are listed organisation by organisation, largest first (within one, by role then
   name), and dealt round-robin: the i-th person goes to circle ``i mod k``.

Why it works: one organisation's people are consecutive in the list, so its ``m`` people fall
into ``m`` consecutive, hence distinct, circles whenever ``m ≤ k``. Circle sizes differ by at
most one. Two people of one organisation share a circle only when the organisation has more
people than there are circles, and ``k`` was already raised as far as the minimum size
allows: then it cannot be avoided (pigeonhole).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    key: Hashable  # the person
    organization: Hashable
    sort_key: tuple = ()  # role, then name: mixes roles and keeps the result stable


def circle_count(n: int, largest_organization: int, min_size: int, max_size: int) -> int:
    if n == 0:
        return 0
    fewest = math.ceil(n / max_size)
    most = max(1, n // min_size)
    return max(fewest, min(largest_organization, most))


def form(members: Sequence[Member], min_size: int = 4, max_size: int = 6) -> list[list[Member]]:
    if not 1 <= min_size <= max_size:
        raise ValueError("need 1 <= min_size <= max_size")
    by_org: dict[Hashable, list[Member]] = defaultdict(list)
    for member in members:
        by_org[member.organization].append(member)
    groups = sorted(
        by_org.values(), key=lambda g: (-len(g), str(g[0].organization))
    )  # largest organisation first, then a stable order
    ordered = [m for group in groups for m in sorted(group, key=lambda m: (m.sort_key, str(m.key)))]
    largest = len(groups[0]) if groups else 0
    k = circle_count(len(ordered), largest, min_size, max_size)
    circles: list[list[Member]] = [[] for _ in range(k)]
    for i, member in enumerate(ordered):
        circles[i % k].append(member)
    return circles
