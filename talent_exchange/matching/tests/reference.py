"""Reference implementations, written from the definitions in docs/matching.md.

They work on the JSON market (dicts and lists) with plain Python and brute force, sharing no
code with the engine, so that agreeing with them means something.  Only for tiny markets.
"""

from __future__ import annotations

import hashlib
import itertools


def rules(market: dict) -> tuple[bool, int | None, int]:
    r = market.get("rules") or {}
    return r.get("exclude_home_organization", True), r.get("balance_tolerance"), r.get("seed", 0)


def slot_order(market: dict) -> dict[str, list[str]]:
    """Each slot's ranking of participants: its preferences, or the seeded lottery."""
    _, _, seed = rules(market)
    pids = [p["id"] for p in market["participants"]]
    key = seed.to_bytes(8, "little")
    draw = {
        pid: (
            int.from_bytes(hashlib.blake2b(pid.encode(), digest_size=8, key=key).digest(), "big"),
            i,
        )
        for i, pid in enumerate(pids)
    }
    lottery = sorted(pids, key=lambda pid: draw[pid])
    return {s["id"]: (s.get("preferences") or lottery) for s in market["slots"]}


def acceptable_pairs(market: dict) -> list[tuple[str, str]]:
    """(participant, slot) pairs in participant order, then preference order."""
    exclude_home, _, _ = rules(market)
    slots = {s["id"]: s for s in market["slots"]}
    forbidden = {(f["participant"], f["slot"]) for f in market.get("forbidden") or []}
    pairs = []
    for p in market["participants"]:
        for sid in p["preferences"]:
            s = slots[sid]
            prefs = s.get("preferences")
            if prefs and p["id"] not in prefs:
                continue
            if (p["id"], sid) in forbidden:
                continue
            if exclude_home and p["organization"] == s["organization"]:
                continue
            pairs.append((p["id"], sid))
    return pairs


def weights(market: dict) -> dict[tuple[str, str], float]:
    """Given weights, or the documented default from the two ranks."""
    given = {(w["participant"], w["slot"]): w["weight"] for w in market.get("weights") or []}
    lp = max((len(p["preferences"]) for p in market["participants"]), default=0)
    ls = max((len(s.get("preferences") or []) for s in market["slots"]), default=0)
    slots = {s["id"]: s for s in market["slots"]}
    result = {}
    for p in market["participants"]:
        for rank_p, sid in enumerate(p["preferences"], start=1):
            prefs = slots[sid].get("preferences")
            if prefs and p["id"] in prefs:
                slot_points = ls + 1 - (prefs.index(p["id"]) + 1)
            else:
                slot_points = (ls + 1) / 2
            result[(p["id"], sid)] = given.get((p["id"], sid), (lp + 1 - rank_p) + slot_points)
    return result


def all_assignments(market: dict):
    """Every assignment (dict participant -> slot or None) meeting capacities and locks."""
    pairs = acceptable_pairs(market)
    options = {p["id"]: [None] for p in market["participants"]}
    for pid, sid in pairs:
        options[pid].append(sid)
    locked = {}
    for lock in market.get("locked") or []:
        locked.setdefault(lock["participant"], set()).add(lock["slot"])
    capacity = {s["id"]: s["capacity"] for s in market["slots"]}
    pids = list(options)
    for choice in itertools.product(*(options[pid] for pid in pids)):
        assignment = dict(zip(pids, choice, strict=True))
        if any(assignment[pid] not in slots for pid, slots in locked.items()):
            continue
        if any(len(slots) > 1 for slots in locked.values()):
            continue
        fill: dict[str, int] = {}
        for sid in choice:
            if sid is not None:
                fill[sid] = fill.get(sid, 0) + 1
        if all(fill[sid] <= capacity[sid] for sid in fill):
            yield assignment


def balance(market: dict, assignment: dict) -> dict[str, int]:
    """received - sent per organization."""
    orgs = {p["id"]: p["organization"] for p in market["participants"]}
    slot_org = {s["id"]: s["organization"] for s in market["slots"]}
    net = dict.fromkeys(list(orgs.values()) + list(slot_org.values()), 0)
    for pid, sid in assignment.items():
        if sid is not None:
            net[slot_org[sid]] += 1
            net[orgs[pid]] -= 1
    return net


def is_balanced(market: dict, assignment: dict) -> bool:
    _, t, _ = rules(market)
    return t is None or all(abs(v) <= t for v in balance(market, assignment).values())


def total_weight(market: dict, assignment: dict) -> float:
    w = weights(market)
    return sum(w[(pid, sid)] for pid, sid in assignment.items() if sid is not None)


def blocking_pairs(market: dict, assignment: dict, locks_fixed: bool = False) -> list:
    """Blocking pairs by the definition.  With ``locks_fixed``, in the residual market that
    stable mode solves: locked participants and locked places are taken as given."""
    prefs = {p["id"]: p["preferences"] for p in market["participants"]}
    order = slot_order(market)
    capacity = {s["id"]: s["capacity"] for s in market["slots"]}
    locked = {(lk["participant"], lk["slot"]) for lk in market.get("locked") or []}
    locked_people = {pid for pid, _ in locked}
    holders: dict[str, list[str]] = {sid: [] for sid in capacity}
    for pid, sid in assignment.items():
        if sid is not None:
            holders[sid].append(pid)
    found = []
    for pid, sid in acceptable_pairs(market):
        if assignment[pid] == sid:
            continue
        if locks_fixed and pid in locked_people:
            continue
        mine = assignment[pid]
        if mine is not None and prefs[pid].index(mine) < prefs[pid].index(sid):
            continue
        others = holders[sid]
        if locks_fixed:
            others = [q for q in others if (q, sid) not in locked]
        has_room = len(holders[sid]) < capacity[sid]
        prefers_p = bool(others) and max(order[sid].index(q) for q in others) > order[sid].index(
            pid
        )
        if has_room or prefers_p:
            found.append((pid, sid))
    return found


def lock_conflict(market: dict) -> bool:
    locks = market.get("locked") or []
    people = [lk["participant"] for lk in locks]
    if len(people) != len(set(people)):
        return True
    capacity = {s["id"]: s["capacity"] for s in market["slots"]}
    return any(sum(lk["slot"] == sid for lk in locks) > cap for sid, cap in capacity.items())
