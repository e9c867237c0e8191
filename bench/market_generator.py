"""Synthetic talent-exchange markets for the matching benchmark.

A market of ``n`` participants looks like a large program:
- organizations of very different sizes (a few large departments, many small agencies);
- slots with capacities 1-3, about as many places in total as participants;
- correlated popularity: every slot has a popularity (log-normal), every participant ranks
  10-30 slots of other organizations, drawn mostly by popularity, ordered by popularity plus
  personal taste;
- slots rank the candidates who applied by a shared candidate strength plus the panel's own
  view, and turn down about 5 % of them; 10 % of the slots give no preferences (lottery);
- a weight (a fit score with one decimal) for every pair a participant ranks.

Everything is drawn from one seed, with numpy, in a few seconds even for n = 100,000.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np


def generate_market(
    n: int,
    *,
    seed: int = 0,
    organizations: int | None = None,
    min_list: int = 10,
    max_list: int = 30,
    balance_tolerance: int | None = 1,
    with_weights: bool = True,
    lottery_share: float = 0.1,
) -> dict:
    rng = np.random.default_rng(seed)
    n_orgs = organizations or max(5, n // 200)
    org_share = 1.0 / np.arange(1, n_orgs + 1) ** 0.8
    org_share /= org_share.sum()
    n_slots = max(1, round(n / 1.55))
    participant_org = rng.choice(n_orgs, size=n, p=org_share)
    slot_org = rng.choice(n_orgs, size=n_slots, p=org_share)
    capacity = rng.choice([1, 2, 3], size=n_slots, p=[0.6, 0.25, 0.15])
    popularity = rng.normal(size=n_slots)
    strength = rng.normal(size=n)

    # Candidate slots per participant: mostly drawn by popularity, some uniformly.
    by_popularity = np.exp(popularity)
    draws = np.concatenate(
        (
            rng.choice(n_slots, size=(n, 2 * max_list), p=by_popularity / by_popularity.sum()),
            rng.integers(0, n_slots, size=(n, max_list)),
        ),
        axis=1,
    )
    owner = np.repeat(np.arange(n), draws.shape[1])
    slot = draws.ravel()
    keep = participant_org[owner] != slot_org[slot]
    key = np.unique(owner[keep] * n_slots + slot[keep])
    owner, slot = key // n_slots, key % n_slots
    # Keep a random subset of each participant's candidates, as long as their list.
    order = np.lexsort((rng.random(len(slot)), owner))
    owner, slot = owner[order], slot[order]
    starts = np.searchsorted(owner, np.arange(n))
    position = np.arange(len(owner)) - starts[owner]
    length = rng.integers(min_list, max_list + 1, size=n)
    keep = position < length[owner]
    owner, slot = owner[keep], slot[keep]
    # Order each list by popularity plus personal taste.
    taste = popularity[slot] + rng.normal(scale=0.7, size=len(slot))
    order = np.lexsort((-taste, owner))
    owner, slot = owner[order], slot[order]
    starts = np.searchsorted(owner, np.arange(n))
    rank = np.arange(len(owner)) - starts[owner] + 1

    participant_ids = [f"p{i}" for i in range(n)]
    slot_ids = [f"s{j}" for j in range(n_slots)]
    org_ids = [f"org{k}" for k in range(n_orgs)]
    bounds = np.searchsorted(owner, np.arange(n + 1))
    slot_id_of_pair = [slot_ids[j] for j in slot.tolist()]
    participants = [
        {
            "id": participant_ids[i],
            "organization": org_ids[participant_org[i]],
            "preferences": slot_id_of_pair[bounds[i] : bounds[i + 1]],
        }
        for i in range(n)
    ]

    # Slots rank their applicants by strength plus the panel's view, turning down ~5 %.
    view = strength[owner] + rng.normal(scale=0.8, size=len(owner))
    ranked = rng.random(len(owner)) >= 0.05
    order = np.lexsort((-view[ranked], slot[ranked]))
    s_slot, s_part = slot[ranked][order], owner[ranked][order]
    s_bounds = np.searchsorted(s_slot, np.arange(n_slots + 1))
    lottery = rng.random(n_slots) < lottery_share
    part_id_of_entry = [participant_ids[i] for i in s_part.tolist()]
    slots = []
    for j in range(n_slots):
        entry = {
            "id": slot_ids[j],
            "organization": org_ids[slot_org[j]],
            "capacity": int(capacity[j]),
        }
        if not lottery[j]:
            entry["preferences"] = part_id_of_entry[s_bounds[j] : s_bounds[j + 1]]
        slots.append(entry)

    market = {"participants": participants, "slots": slots}
    if with_weights:
        fit = 20.0 - 0.4 * rank + 2.0 * strength[owner] + rng.normal(scale=1.5, size=len(owner))
        fit = np.round(np.clip(fit, 0.1, None), 1)
        pid = [participant_ids[i] for i in owner.tolist()]
        market["weights"] = [
            {"participant": p, "slot": s, "weight": w}
            for p, s, w in zip(pid, slot_id_of_pair, fit.tolist(), strict=True)
        ]
    market["rules"] = {"exclude_home_organization": True, "balance_tolerance": balance_tolerance}
    return market


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic market as JSON.")
    parser.add_argument("n", type=int, help="number of participants")
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=int, default=1)
    parser.add_argument("--no-weights", action="store_true")
    args = parser.parse_args(argv)
    import orjson

    market = generate_market(
        args.n,
        seed=args.seed,
        balance_tolerance=args.tolerance,
        with_weights=not args.no_weights,
    )
    args.output.write_bytes(orjson.dumps(market))
    return 0


if __name__ == "__main__":
    sys.exit(main())
