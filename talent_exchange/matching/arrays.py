"""A market given as arrays instead of JSON: for callers that hold their data in tables.

The web app reads a cycle from the database with flat queries straight into numpy arrays
(a 100,000-participant cycle has two million rankings: a Python dict per pair would cost
gigabytes and seconds). :class:`ArrayMarket` holds exactly what the JSON market says
(``docs/matching.md``), column by column:

- :func:`compile_arrays` compiles it for :func:`~.engine.solve_market` without building the
  JSON, and gives the very same :class:`~.market.Market` as ``compile_market(to_json())``;
- :meth:`ArrayMarket.to_json` is the JSON market as a dict (small markets, tests);
- :meth:`ArrayMarket.json_chunks` writes the same canonical bytes as
  ``jsonio.dumps(market.to_json())`` a slice at a time, in bounded memory;
- :meth:`ArrayMarket.to_npz` and :meth:`ArrayMarket.from_npz` store the columns themselves
  (a compressed numpy ``.npz``, the same bytes for the same market) and read them back
  exactly: the web app keeps a run's input snapshot so, and writes the JSON only when
  someone downloads it.

A market the arrays cannot vouch for (a lock on a pair that is not acceptable, a pair given
twice, a negative capacity, a weight that is not finite) is compiled through the JSON path
instead, so that it fails with exactly the problems the JSON path reports.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import jsonio
from .market import Market, _Checked, _find, _Lists, compile_checked, compile_market

# Entries serialised per slice by ``json_chunks`` (bounds its memory).
CHUNK = 10_000

# The stored form (``to_npz``): its version, and how hard it is compressed (zlib level 1:
# ten times faster than the default and within a few per cent of its size on these columns).
NPZ_FORMAT = 1
NPZ_LEVEL = 1
NPZ_MAGIC = b"PK\x03\x04"  # a zip archive, as every .npz is


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

    def json_chunks(
        self,
        chunk: int = CHUNK,
        indent: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[bytes]:
        """The canonical bytes of ``jsonio.dumps(self.to_json(), indent)``, a slice at a
        time (``indent=False``: the compact layout, half the bytes). ``progress(done,
        total)`` hears, after each slice, how many of all the lists' entries are written."""
        lists = self._lists()
        total, done = sum(n for n, _build in lists.values()), 0
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
                done += min(n, lo + chunk) - lo
                if progress is not None:
                    progress(done, total)
            yield newline + space + b"]"
        yield newline + b"}\n"

    # --- the stored form ----------------------------------------------------------------------

    def to_npz(self) -> bytes:
        """The market as a compressed numpy archive (``.npz``): every column as it is, the
        ids and organisations as UTF-8 text with their lengths, the rules as JSON. The same
        market gives the same bytes (members in name order, no timestamps), and
        :meth:`from_npz` gives back a market whose JSON is byte for byte this one's.

        Two columns are left out when they can be recomputed exactly: the weights' pairs
        when they are the participants' lists in order (as the web app builds them), and the
        weights themselves are kept as whole hundredths when that is what they are."""
        columns: dict[str, np.ndarray] = {
            "format": np.array(NPZ_FORMAT, dtype=np.int64),
            "rules": np.frombuffer(jsonio.dumps(self.rules(), indent=False), dtype=np.uint8),
        }
        for name in _STRING_COLUMNS:
            columns[name], columns[name + "_lengths"] = _pack_strings(getattr(self, name))
        for name in _ARRAY_COLUMNS:
            columns[name] = np.asarray(getattr(self, name))
        if self._weights_on_lists():
            del columns["weight_participant"], columns["weight_slot"]
        hundredths = _as_hundredths(columns["weight_value"])
        if hundredths is not None:
            del columns["weight_value"]
            columns["weight_hundredths"] = hundredths
        return _write_npz(columns)

    @classmethod
    def from_npz(cls, blob: bytes) -> ArrayMarket:
        """The market stored by :meth:`to_npz`."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
            if int(stored["format"]) != NPZ_FORMAT:
                raise ValueError(f"unknown snapshot format {int(stored['format'])}")
            values: dict[str, Any] = {
                name: _unpack_strings(stored[name], stored[name + "_lengths"])
                for name in _STRING_COLUMNS
            }
            values.update((name, stored[name]) for name in _ARRAY_COLUMNS if name in stored.files)
            if "weight_hundredths" in stored.files:
                values["weight_value"] = stored["weight_hundredths"].astype(np.float64) / 100
            rules = jsonio.loads(stored["rules"].tobytes())
        if "weight_slot" not in values:
            start, prefs = values["participant_start"], values["participant_prefs"]
            values["weight_participant"] = np.repeat(
                np.arange(len(start) - 1, dtype=prefs.dtype), np.diff(start)
            )
            values["weight_slot"] = prefs.copy()
        return cls(
            **values,
            exclude_home_organization=rules["exclude_home_organization"],
            balance_tolerance=rules["balance_tolerance"],
            seed=rules.get("seed"),
        )

    def _weights_on_lists(self) -> bool:
        """Whether the weights are given on exactly the participants' ranked pairs, in
        their order (then their pairs need not be stored)."""
        prefs = np.asarray(self.participant_prefs)
        if len(self.weight_slot) != len(prefs) or len(self.weight_participant) != len(prefs):
            return False
        owner = np.repeat(np.arange(self.n_participants), np.diff(self.participant_start))
        return bool(
            np.asarray(self.weight_slot).dtype == prefs.dtype
            and np.asarray(self.weight_participant).dtype == prefs.dtype
            and np.array_equal(self.weight_slot, prefs)
            and np.array_equal(self.weight_participant, owner)
        )


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


_STRING_COLUMNS = ("participant_ids", "participant_orgs", "slot_ids", "slot_orgs")
_ARRAY_COLUMNS = (
    "capacity",
    "participant_start",
    "participant_prefs",
    "slot_start",
    "slot_prefs",
    "weight_participant",
    "weight_slot",
    "weight_value",
    "forbidden_participant",
    "forbidden_slot",
    "locked_participant",
    "locked_slot",
)


def _pack_strings(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 text (uint8) and their lengths in characters."""
    text = "".join(values).encode("utf-8", "surrogatepass")
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return np.frombuffer(text, dtype=np.uint8), lengths


def _unpack_strings(text: np.ndarray, lengths: np.ndarray) -> list[str]:
    decoded = text.tobytes().decode("utf-8", "surrogatepass")
    ends = np.cumsum(lengths).tolist()
    return [decoded[a:b] for a, b in zip([0, *ends][:-1], ends, strict=True)]


def _as_hundredths(weights: np.ndarray) -> np.ndarray | None:
    """The weights as whole hundredths (int32) when that gives back the very same floats
    (``hundredths / 100``), else None."""
    if weights.dtype != np.float64 or not len(weights) or not np.isfinite(weights).all():
        return None
    if float(np.abs(weights).max()) >= 2**31 / 100 - 1:
        return None
    hundredths: np.ndarray = np.rint(weights * 100)
    negative_zero = (weights == 0) & np.signbit(weights)
    if negative_zero.any() or not np.array_equal(hundredths / 100, weights):
        return None
    return hundredths.astype(np.int32)


def _write_npz(columns: dict[str, np.ndarray]) -> bytes:
    """``numpy.savez_compressed`` of the columns, with fixed member dates and order (numpy
    stamps each member with the time it was written)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(columns):
            member = io.BytesIO()
            column = columns[name]
            if not column.flags.c_contiguous:
                column = column.copy()
            np.lib.format.write_array(member, column, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(
                info,
                member.getvalue(),
                compress_type=zipfile.ZIP_DEFLATED,
                compresslevel=NPZ_LEVEL,
            )
    return buffer.getvalue()


def is_npz(blob: bytes | memoryview) -> bool:
    """Whether stored bytes are a ``to_npz`` archive (rather than, say, gzip JSON)."""
    return bytes(blob[:4]) == NPZ_MAGIC


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
