"""Explanations: why each pair, why each unmatched participant is unmatched.

For every participant, the slots they ranked above the one they got (all of their acceptable
slots, when unmatched) are sorted into reasons, computed from the assignment itself:

- ``filled``: the slot is full of participants it ranks higher;
- ``traded``: the slot is full and ranks this participant above someone it got (optimal mode
  gave the place away for a larger total weight, or a lock holds it);
- ``lower_weight``: the slot has room but this pair weighs less than the one chosen;
- ``balance``: the slot has room but the move would break the balance rule;
- ``equal_weight``: the slot has room and the move would not change the total weight.

Counting is vectorised; only the first few slot ids per reason are written out.

Each row carries its reasons twice: ``reasons``, a list of structured reasons (a ``code`` and
its values, e.g. ``{"code": "filled", "slots": ["o3"], "total": 1}``) that the application
renders in the reader's language, and ``reason``, the same in English for the command line
and the JSON output (:func:`english`). The codes:

- assigned: ``locked`` or ``choice`` (``rank``), then ``slot_rank`` (``slot``, ``rank``,
  ``of``) or ``lottery`` (``slot``, ``number``), ``weight`` (``weight``, optimal mode), and the
  higher choices not given, one entry per reason above (``slots``, ``total``; ``traded``
  becomes ``held_by_locks`` in stable mode);
- unmatched: ``no_preferences``; or ``none_acceptable`` (``listed``); or the acceptable slots
  not given as above; then ``forbidden``, ``home_organization``, ``not_ranked_by_slot``
  (``count``) for the ranked slots that are not acceptable.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .market import Market
from .metrics import organization_balance, slot_fill, worst_assigned_rank

REASONS = ("filled", "traded", "lower_weight", "balance", "equal_weight", "no_places")
WHY_NOT_CODES = (*REASONS, "held_by_locks")
NOT_ACCEPTABLE = ("forbidden", "home_organization", "not_ranked_by_slot")
SHOWN = 3

_PHRASES_MATCHED = {
    "filled": "{slots} {verb} full with candidates {ranks} higher",
    "traded": "{slots} {verb} given to others for a higher total weight",
    "held_by_locks": "{slots} {verb} held by locked placements",
    "lower_weight": "{slots} would weigh less",
    "balance": "{slots} would break the balance rule",
    "equal_weight": "{slots} would weigh the same",
    "no_places": "{slots} {verb_has} no places",
}
_NOT_ACCEPTABLE_TEXT = {
    "forbidden": "forbidden",
    "home_organization": "in their own organization",
    "not_ranked_by_slot": "not ranking them",
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _slot_list(names: list[str], total: int) -> str:
    text = ", ".join(names)
    if total > len(names):
        text += f" and {total - len(names)} more"
    return text


def _why_not_text(reason: dict[str, Any]) -> str:
    total = reason["total"]
    return _PHRASES_MATCHED[reason["code"]].format(
        slots=_slot_list(reason["slots"], total),
        verb="is" if total == 1 else "are",
        verb_has="has" if total == 1 else "have",
        ranks="it ranks" if total == 1 else "they rank",
    )


def english(reasons: list[dict[str, Any]]) -> str:
    """The structured reasons of one row as one English sentence or two."""
    by_code = {r["code"]: r for r in reasons}
    why_not = [_why_not_text(r) for r in reasons if r["code"] in WHY_NOT_CODES]
    details = [
        f"{r['count']} {_NOT_ACCEPTABLE_TEXT[r['code']]}"
        for r in reasons
        if r["code"] in NOT_ACCEPTABLE
    ]
    if "locked" in by_code:
        return f"Locked by the administrator ({ordinal(by_code['locked']['rank'])} choice)."
    if "choice" in by_code:
        text = f"{ordinal(by_code['choice']['rank'])} choice"
        if "slot_rank" in by_code:
            r = by_code["slot_rank"]
            text += f"; {r['slot']} ranks them {ordinal(r['rank'])} of {r['of']}"
        elif "lottery" in by_code:
            r = by_code["lottery"]
            text += f"; {r['slot']} has no preferences, lottery number {r['number']}"
        if "weight" in by_code:
            text += f"; weight {by_code['weight']['weight']} in the maximum-weight assignment"
        text += "."
        if why_not:
            text += " Higher choices: " + "; ".join(why_not) + "."
        return text
    if "no_preferences" in by_code:
        return "Ranked no slot."
    if "none_acceptable" in by_code:
        listed = by_code["none_acceptable"]["listed"]
        return f"None of the {listed} slots they ranked is acceptable: " + ", ".join(details) + "."
    text = "Acceptable slots: " + "; ".join(why_not) + "."
    if details:
        text += " Not acceptable: " + ", ".join(details) + "."
    return text


def _classify(market: Market, assigned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs each participant preferred to their outcome, with a reason code each."""
    p = market.pair_participant
    s = market.pair_slot
    limit = np.where(assigned >= 0, assigned, market.pair_start[1:])
    above = np.flatnonzero(np.arange(market.n_pairs) < limit[p])
    p_above, s_above = p[above], s[above]

    fill = slot_fill(market, assigned)
    worst = worst_assigned_rank(market, assigned)
    sent, received = organization_balance(market, assigned)
    net = received - sent
    t = market.balance_tolerance

    full = fill[s_above] >= market.capacity[s_above]
    outranked = market.slot_rank[above] > worst[s_above]
    mine = assigned[p_above]
    own_weight = np.where(mine >= 0, market.weight[np.maximum(mine, 0)], 0.0)
    gain = market.weight[above] - own_weight
    if t is None:
        breaks_balance = np.zeros(len(above), dtype=bool)
    else:
        # Moving p into s: s's organization receives one more; p's organization sends one
        # more if p was unmatched, and the old slot's organization receives one fewer.
        p_org = market.participant_org[p_above]
        new_org = market.slot_org[s_above]
        old_org = np.where(mine >= 0, market.slot_org[market.pair_slot[np.maximum(mine, 0)]], -1)
        breaks_balance = _move_breaks_balance(net, t, p_org, new_org, old_org)
    no_places = market.capacity[s_above] == 0
    code = np.select(
        [no_places, full & outranked, full, gain < 0, breaks_balance, gain > 0],
        [5, 0, 1, 2, 3, 4],
        default=4,
    )
    return above, code.astype(np.int64)


def _move_breaks_balance(
    net: np.ndarray, t: int, p_org: np.ndarray, new_org: np.ndarray, old_org: np.ndarray
) -> np.ndarray:
    """Whether moving one participant would push an organization beyond the tolerance."""
    # Each move changes at most two organizations' balance: +1 at the new slot's
    # organization, -1 at the old slot's (or, for an unmatched participant, -1 at their own).
    minus = np.where(old_org >= 0, old_org, p_org)
    same = minus == new_org
    new_net_plus = net[new_org] + 1
    new_net_minus = net[minus] - 1
    breaks: np.ndarray = ~same & ((np.abs(new_net_plus) > t) | (np.abs(new_net_minus) > t))
    return breaks


def explain(
    market: Market, assigned: np.ndarray, mode: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Assignments and unmatched participants, each with a reason, in input order."""
    above, code = _classify(market, assigned)
    n_reasons = len(REASONS)
    p_above = market.pair_participant[above]
    group = p_above.astype(np.int64) * n_reasons + code
    counts = np.bincount(group, minlength=market.n_participants * n_reasons).reshape(
        market.n_participants, n_reasons
    )
    # The first few slots per (participant, reason), in preference order.
    order = np.lexsort((above, group))
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    position = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    shown: dict[int, list[str]] = {}
    slot_ids = market.slot_ids
    first_few = position < SHOWN
    for g, s in zip(
        sorted_group[first_few].tolist(),
        market.pair_slot[above[order[first_few]]].tolist(),
        strict=True,
    ):
        shown.setdefault(g, []).append(slot_ids[s])

    locked = np.zeros(market.n_participants, dtype=bool)
    locked[market.pair_participant[market.locked_pairs]] = True
    # What each matched participant's row shows, gathered at once: a 100,000-participant
    # run reads Python numbers from lists, not a numpy scalar per value.
    matched = assigned >= 0
    chosen = assigned[matched]
    slots = market.pair_slot[chosen]
    facts = zip(
        slots.tolist(),
        market.participant_rank[chosen].tolist(),
        market.slot_rank[chosen].tolist(),
        market.slot_has_preferences[slots].tolist(),
        market.slot_preference_length[slots].tolist(),
        market.weight[chosen].tolist(),
        market.weight_given[chosen].tolist(),
        locked[matched].tolist(),
        strict=True,
    )
    lottery = market.lottery.tolist() if market.lottery is not None else None
    counts_of = counts.tolist()
    any_reason: list[bool] = (counts.sum(axis=1) > 0).tolist()
    assignments: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    for p, (pid, is_matched) in enumerate(
        zip(market.participant_ids, matched.tolist(), strict=True)
    ):
        why_not = _why_not(p, counts_of[p], shown, n_reasons, mode) if any_reason[p] else []
        if is_matched:
            number = lottery[p] if lottery is not None else None
            assignments.append(_assignment(market, pid, next(facts), number, why_not, mode))
        else:
            unmatched.append(
                {"participant": pid, **_unmatched_reason(market, p, counts_of[p], why_not)}
            )
    return assignments, unmatched


def _why_not(
    p: int, counts: list[int], shown: dict[int, list[str]], n_reasons: int, mode: str
) -> list[dict[str, Any]]:
    parts = []
    for k, reason in enumerate(REASONS):
        total = counts[k]
        if not total:
            continue
        code = "held_by_locks" if reason == "traded" and mode == "stable" else reason
        parts.append({"code": code, "slots": shown.get(p * n_reasons + k, []), "total": total})
    return parts


def _weight_text(weight: float) -> float | int:
    return int(weight) if float(weight).is_integer() else float(weight)


# A matched participant's pair: slot, their rank of it, its rank of them, whether the slot
# ranks at all, how many it ranks, the weight, whether it was given, and whether locked.
_Facts = tuple[int, int, int, bool, int, float, bool, bool]


def _assignment(
    market: Market,
    pid: str,
    facts: _Facts,
    lottery_number: int | None,
    why_not: list[dict[str, Any]],
    mode: str,
) -> dict[str, Any]:
    s, p_rank, slot_rank, has_prefs, of, weight, weight_given, locked = facts
    s_rank = slot_rank if has_prefs else None
    sid = market.slot_ids[s]
    reasons: list[dict[str, Any]]
    if locked:
        reasons = [{"code": "locked", "rank": p_rank}]
    else:
        reasons = [{"code": "choice", "rank": p_rank}]
        if s_rank is not None:
            reasons.append({"code": "slot_rank", "slot": sid, "rank": s_rank, "of": of})
        elif lottery_number is not None:  # a slot without preferences takes the lottery order
            reasons.append({"code": "lottery", "slot": sid, "number": lottery_number})
        if mode == "optimal":
            reasons.append({"code": "weight", "weight": _weight_text(weight)})
        reasons += why_not
    return {
        "participant": pid,
        "slot": sid,
        "weight": _weight_text(weight),
        "weight_given": weight_given,
        "participant_rank": p_rank,
        "slot_rank": s_rank,
        "locked": locked,
        "reason": english(reasons),
        "reasons": reasons,
    }


def _unmatched_reason(
    market: Market, p: int, counts: list[int], why_not: list[dict[str, Any]]
) -> dict[str, Any]:
    listed = int(market.preference_length[p])
    reasons: list[dict[str, Any]]
    if listed == 0:
        reasons = [{"code": "no_preferences"}]
        return {"code": "no_preferences", "reason": english(reasons), "reasons": reasons}
    details = [
        {"code": key, "count": int(market.not_acceptable[key][p])}
        for key in NOT_ACCEPTABLE
        if market.not_acceptable[key][p]
    ]
    if market.pair_start[p + 1] == market.pair_start[p]:
        reasons = [{"code": "none_acceptable", "listed": listed}, *details]
        return {"code": "no_acceptable_slot", "reason": english(reasons), "reasons": reasons}
    filled, traded, lower, balance, equal, no_places = counts
    if no_places and not (filled or traded or lower or balance or equal):
        code = "no_places"
    elif balance and not (lower or equal):
        code = "balance_rule"
    elif lower or equal:
        code = "weight"
    elif traded:
        code = "traded"
    else:
        code = "outranked"
    reasons = [*why_not, *details]
    return {"code": code, "reason": english(reasons), "reasons": reasons}
