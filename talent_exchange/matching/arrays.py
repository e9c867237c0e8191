"""A market given as arrays instead of JSON: for callers that hold their data in tables.

The web app reads a cycle from the database with flat queries straight into numpy arrays
(a 100,000-participant cycle has two million rankings: a Python dict per pair would cost
gigabytes and seconds). :class:`ArrayMarket` holds exactly what the JSON market says
(``docs/matching.md``), column by column:

- :func:`compile_arrays` compiles it for :func:`~.engine.solve_market` without building the
  JSON, and gives the very same :class:`~.market.Market` as ``compile_market(to_json())``;
- :meth:`ArrayMarket.to_json` is the JSON market as a dict (small markets, tests);
- :meth:`ArrayMarket.json_chunks` writes the same canonical bytes as
  ``jsonio.dumps(market.to_json())`` a slice at a time, in bounded memory.

A market the arrays cannot vouch for (a lock on a pair that is not acceptable, a pair given
twice, a negative capacity, a weight that is not finite) is compiled through the JSON path
instead, so that it fails with exactly the problems the JSON path reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import jsonio
from .market import Market, _Checked, _find, _Lists, compile_checked, compile_market

# Entries serialised per slice by ``json_chunks`` (bounds its memory).
CHUNK = 10_000


def csr_start(owner: np.ndarray, n: int) -> np.ndarray:
    """Start offsets (n + 1) of rows grouped by ``owner`` (sorted ascending)."""
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n), out=start[1:])
    return start


@dataclass
class ArrayMarket:
    """A market as columns. Preference lists are CSR tables: participant ``p`` ranks the
    slots ``participant_prefs[participant_start[p]:participant_start[p + 1]]``, first choice
    first; slot ``s`` ranks ``slot_prefs[slot_start[s]:slot_start[s + 1]]`` (an empty range:
    no preferences). Pairs (weights, forbidden, locked) are index arrays, in the order the
    JSON lists them."""

    participant_ids: list[str]
    participant_orgs: list[str]
    slot_ids: list[str]
    slot_orgs: list[str]
    capacity: np.ndarray
    participant_start: np.ndarray
    participant_prefs: np.ndarray
    slot_start: np.ndarray
    slot_prefs: np.ndarray
    weight_participant: np.ndarray
    weight_slot: np.ndarray
    weight_value: np.ndarray
    forbidden_participant: np.ndarray
    forbidden_slot: np.ndarray
    locked_participant: np.ndarray
    locked_slot: np.ndarray
    exclude_home_organization: bool = True
    balance_tolerance: int | None = None
    seed: int | None = None  # None: no "seed" in the rules (the engine uses 0)

    @property
    def n_participants(self) -> int:
        return len(self.participant_ids)

    @property
    def n_slots(self) -> int:
        return len(self.slot_ids)

    def rules(self) -> dict[str, Any]:
        rules: dict[str, Any] = {
            "exclude_home_organization": self.exclude_home_organization,
            "balance_tolerance": self.balance_tolerance,
        }
        if self.seed is not None:
            rules["seed"] = self.seed
        return rules

    # --- the JSON market --------------------------------------------------------------------

    def _participants(self, lo: int, hi: int) -> list[dict[str, Any]]:
        names, start = _names(self.slot_ids, self.participant_prefs, self.participant_start, lo, hi)
        return [
            {
                "id": self.participant_ids[p],
                "organization": self.participant_orgs[p],
                "preferences": names[start[p - lo] : start[p - lo + 1]],
            }
            for p in range(lo, hi)
        ]

    def _slots(self, lo: int, hi: int) -> list[dict[str, Any]]:
        names, start = _names(self.participant_ids, self.slot_prefs, self.slot_start, lo, hi)
        capacity = self.capacity[lo:hi].tolist()
        items: list[dict[str, Any]] = []
        for s in range(lo, hi):
            item: dict[str, Any] = {
                "id": self.slot_ids[s],
                "organization": self.slot_orgs[s],
                "capacity": capacity[s - lo],
            }
            if start[s - lo + 1] > start[s - lo]:
                item["preferences"] = names[start[s - lo] : start[s - lo + 1]]
            items.append(item)
        return items

    def _pairs(
        self, participants: np.ndarray, slots: np.ndarray, lo: int, hi: int
    ) -> list[dict[str, Any]]:
        p_ids, s_ids = self.participant_ids, self.slot_ids
        return [
            {"participant": p_ids[p], "slot": s_ids[s]}
            for p, s in zip(participants[lo:hi].tolist(), slots[lo:hi].tolist(), strict=True)
        ]

    def _weights(self, lo: int, hi: int) -> list[dict[str, Any]]:
        p_ids, s_ids = self.participant_ids, self.slot_ids
        return [
            {"participant": p_ids[p], "slot": s_ids[s], "weight": w}
            for p, s, w in zip(
                self.weight_participant[lo:hi].tolist(),
                self.weight_slot[lo:hi].tolist(),
                self.weight_value[lo:hi].tolist(),
                strict=True,
            )
        ]

    def _lists(self) -> dict[str, tuple[int, Any]]:
        return {
            "forbidden": (
                len(self.forbidden_participant),
                lambda lo, hi: self._pairs(self.forbidden_participant, self.forbidden_slot, lo, hi),
            ),
            "locked": (
                len(self.locked_participant),
                lambda lo, hi: self._pairs(self.locked_participant, self.locked_slot, lo, hi),
            ),
            "participants": (self.n_participants, self._participants),
            "slots": (self.n_slots, self._slots),
            "weights": (len(self.weight_value), self._weights),
        }

    def to_json(self) -> dict[str, Any]:
        """The market as the engine's JSON (a dict)."""
        market: dict[str, Any] = {key: build(0, n) for key, (n, build) in self._lists().items()}
        market["rules"] = self.rules()
        return market

    def json_chunks(self, chunk: int = CHUNK, indent: bool = True) -> Iterator[bytes]:
        """The canonical bytes of ``jsonio.dumps(self.to_json(), indent)``, a slice at a
        time (``indent=False``: the compact layout, half the bytes)."""
        lists = self._lists()
        newline, space, comma = (b"\n", b"  ", b",\n") if indent else (b"", b"", b",")
        yield b"{" + newline
        for i, key in enumerate(sorted([*lists, "rules"])):
            colon = b'": ' if indent else b'":'
            yield (comma if i else b"") + space + b'"' + key.encode() + colon
            if key == "rules":
                rules = jsonio.dumps(self.rules(), indent)
                yield _nested(rules) if indent else rules.rstrip(b"\n")
                continue
            n, build = lists[key]
            if not n:
                yield b"[]"
                continue
            yield b"[" + newline
            for lo in range(0, n, chunk):
                body = jsonio.dumps(build(lo, min(n, lo + chunk)), indent)
                if indent:
                    # "[\n  {...},\n  {...}\n]\n" -> the items, two spaces deeper.
                    yield (comma if lo else b"") + b"  " + _nested(body[2:-3])
                else:
                    yield (comma if lo else b"") + body[1:-2]  # "[{...},{...}]\n"
            yield newline + space + b"]"
        yield newline + b"}\n"


def _names(
    ids: list[str], targets: np.ndarray, start: np.ndarray, lo: int, hi: int
) -> tuple[list[str], list[int]]:
    """The ids ranked by owners lo..hi-1, as one flat list, and each owner's offsets in it."""
    first, last = int(start[lo]), int(start[hi])
    names = [ids[t] for t in targets[first:last].tolist()]
    return names, (start[lo : hi + 1] - first).tolist()


def _nested(body: bytes) -> bytes:
    """A value dumped at the top level, indented one level deeper (no trailing newline)."""
    return body.rstrip(b"\n").replace(b"\n", b"\n  ")


def _lists(
    start: np.ndarray, targets: np.ndarray, n_owners: int, n_slots: int, owner_is_slot: bool
) -> _Lists:
    lengths = np.diff(start).astype(np.int64)
    owner = np.repeat(np.arange(n_owners, dtype=np.int64), lengths)
    position = np.arange(len(owner), dtype=np.int64) - np.repeat(start[:-1], lengths) + 1
    target = targets.astype(np.int64)
    participant, slot = (target, owner) if owner_is_slot else (owner, target)
    keys = participant * max(n_slots, 1) + slot
    order = np.argsort(keys, kind="stable")
    return _Lists([], owner, position, lengths, target, keys, order)


def _has_duplicates(sorted_keys: np.ndarray) -> bool:
    return bool(len(sorted_keys) > 1 and (sorted_keys[1:] == sorted_keys[:-1]).any())


def compile_arrays(market: ArrayMarket) -> Market:
    """Compile an array market: the same :class:`Market` as ``compile_market`` of its JSON.
    Raises :class:`~.market.InvalidMarket` (through the JSON path, for the same messages)
    when the market is not valid."""
    n_p, n_s = market.n_participants, market.n_slots
    width = max(n_s, 1)
    mine = _lists(market.participant_start, market.participant_prefs, n_p, n_s, False)
    theirs = _lists(market.slot_start, market.slot_prefs, n_s, n_s, True)

    def keys(participants: np.ndarray, slots: np.ndarray) -> np.ndarray:
        return participants.astype(np.int64) * width + slots.astype(np.int64)

    weight_keys = keys(market.weight_participant, market.weight_slot)
    forbidden_keys = keys(market.forbidden_participant, market.forbidden_slot)
    locked_keys = keys(market.locked_participant, market.locked_slot)
    weight_values = market.weight_value.astype(np.float64)
    seed = 0 if market.seed is None else market.seed
    doubtful = (
        _has_duplicates(mine.keys[mine.order])
        or _has_duplicates(theirs.keys[theirs.order])
        or any(_has_duplicates(np.sort(k)) for k in (weight_keys, forbidden_keys, locked_keys))
        or bool((market.capacity < 0).any())
        or not bool(np.isfinite(weight_values).all())
        or len(set(market.participant_ids)) != n_p
        or len(set(market.slot_ids)) != n_s
        or not 0 <= seed < 2**63
        or (
            len(locked_keys) > 0
            and not _locks_acceptable(market, mine, theirs, locked_keys, forbidden_keys)
        )
    )
    if doubtful:
        return compile_market(market.to_json())
    return compile_checked(
        _Checked(
            participant_ids=market.participant_ids,
            slot_ids=market.slot_ids,
            participant_orgs=market.participant_orgs,
            slot_orgs=market.slot_orgs,
            capacity=np.minimum(market.capacity.astype(np.int64), n_p),
            participant_lists=mine,
            slot_lists=theirs,
            weight_keys=weight_keys,
            weight_values=weight_values,
            forbidden_keys=forbidden_keys,
            locked_keys=locked_keys,
            exclude_home=market.exclude_home_organization,
            tolerance=market.balance_tolerance,
            seed=seed,
        )
    )


def _locks_acceptable(
    market: ArrayMarket,
    mine: _Lists,
    theirs: _Lists,
    locked_keys: np.ndarray,
    forbidden_keys: np.ndarray,
) -> bool:
    """Every lock is on an acceptable pair (the JSON path explains any that is not)."""
    _, ranked_by_participant = _find(mine.keys, locked_keys, mine.order)
    _, ranked_by_slot = _find(theirs.keys, locked_keys, theirs.order)
    slot_has_preferences = np.diff(market.slot_start) > 0
    slot_accepts = ranked_by_slot | ~slot_has_preferences[market.locked_slot]
    forbidden = np.isin(locked_keys, forbidden_keys)
    home = np.zeros(len(locked_keys), dtype=bool)
    if market.exclude_home_organization:
        home = np.array(
            [
                market.participant_orgs[p] == market.slot_orgs[s]
                for p, s in zip(
                    market.locked_participant.tolist(), market.locked_slot.tolist(), strict=True
                )
            ],
            dtype=bool,
        )
    return bool((ranked_by_participant & slot_accepts & ~forbidden & ~home).all())
