"""A market given as arrays compiles, solves and prints exactly as its JSON does."""

from __future__ import annotations

import io
from dataclasses import fields

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talent_exchange.matching import (
    ArrayMarket,
    compile_arrays,
    compile_market,
    solve,
    solve_arrays,
)
from talent_exchange.matching.arrays import is_npz
from talent_exchange.matching.jsonio import dumps

from .strategies import markets


def from_json(market: dict) -> ArrayMarket:
    """The array form of a valid JSON market (test helper)."""
    p_index = {p["id"]: i for i, p in enumerate(market["participants"])}
    s_index = {s["id"]: j for j, s in enumerate(market["slots"])}

    def csr(items, index):
        lists = [[index[x] for x in item.get("preferences") or []] for item in items]
        start = np.zeros(len(items) + 1, dtype=np.int64)
        np.cumsum([len(xs) for xs in lists], out=start[1:])
        return start, np.array([x for xs in lists for x in xs], dtype=np.int32)

    def pairs(key, with_weight=False):
        rows = market.get(key) or []
        p = np.array([p_index[r["participant"]] for r in rows], dtype=np.int32)
        s = np.array([s_index[r["slot"]] for r in rows], dtype=np.int32)
        w = np.array([r["weight"] for r in rows], dtype=np.float64) if with_weight else None
        return p, s, w

    p_start, p_prefs = csr(market["participants"], s_index)
    s_start, s_prefs = csr(market["slots"], p_index)
    wp, ws, wv = pairs("weights", True)
    fp, fs, _ = pairs("forbidden")
    lp, ls, _ = pairs("locked")
    rules = market.get("rules") or {}
    return ArrayMarket(
        participant_ids=[p["id"] for p in market["participants"]],
        participant_orgs=[p["organization"] for p in market["participants"]],
        slot_ids=[s["id"] for s in market["slots"]],
        slot_orgs=[s["organization"] for s in market["slots"]],
        capacity=np.array([s["capacity"] for s in market["slots"]], dtype=np.int64),
        participant_start=p_start,
        participant_prefs=p_prefs,
        slot_start=s_start,
        slot_prefs=s_prefs,
        weight_participant=wp,
        weight_slot=ws,
        weight_value=wv,
        forbidden_participant=fp,
        forbidden_slot=fs,
        locked_participant=lp,
        locked_slot=ls,
        exclude_home_organization=rules.get("exclude_home_organization", True),
        balance_tolerance=rules.get("balance_tolerance"),
        seed=rules.get("seed"),
    )


def normalised(market: dict) -> dict:
    """What ArrayMarket.to_json writes for a market: every list present, slots' empty
    preferences left out."""
    slots = []
    for slot in market["slots"]:
        slot = dict(slot)
        if not slot.get("preferences"):
            slot.pop("preferences", None)
        slots.append(slot)
    rules = {
        "exclude_home_organization": True,
        "balance_tolerance": None,
        **(market.get("rules") or {}),
    }
    return {
        "participants": market["participants"],
        "slots": slots,
        # Arrays hold weights as floats (the app's weights are floats).
        "weights": [{**w, "weight": float(w["weight"])} for w in market.get("weights") or []],
        "forbidden": market.get("forbidden") or [],
        "locked": market.get("locked") or [],
        "rules": rules,
    }


def same_market(a, b) -> None:
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert np.array_equal(x, y), f.name
        elif isinstance(x, dict):
            assert x.keys() == y.keys()
            for key in x:
                assert np.array_equal(x[key], y[key]), (f.name, key)
        else:
            assert x == y, f.name


@settings(max_examples=150, deadline=None)
@given(markets(max_participants=6, max_slots=5), st.sampled_from([1, 2, 3, 1000]))
def test_arrays_compile_solve_and_print_as_the_json_does(market, chunk):
    market = normalised(market)
    arrays = from_json(market)
    assert arrays.to_json() == market
    assert b"".join(arrays.json_chunks(chunk)) == dumps(market)
    assert b"".join(arrays.json_chunks(chunk, indent=False)) == dumps(market, indent=False)
    try:
        expected = compile_market(market)
    except Exception as error:  # an invalid market fails the same way on both paths
        try:
            compile_arrays(arrays)
        except type(error) as again:
            assert getattr(again, "problems", None) == getattr(error, "problems", None)
        else:
            raise AssertionError("the array path accepted an invalid market") from error
    else:
        same_market(compile_arrays(arrays), expected)
    for mode in ("stable", "optimal"):
        assert dumps(solve_arrays(arrays, mode)) == dumps(solve(market, mode))


@settings(max_examples=50, deadline=None)
@given(markets(max_participants=6, max_slots=5), st.sampled_from([1, 2, 1000]))
def test_the_json_is_written_with_its_progress_to_the_last_entry(market, chunk):
    arrays = from_json(normalised(market))
    heard: list[tuple[int, int]] = []
    written = b"".join(arrays.json_chunks(chunk, indent=False, progress=lambda *p: heard.append(p)))
    assert written == b"".join(arrays.json_chunks(chunk, indent=False))  # the same bytes
    totals = {total for _done, total in heard}
    assert len(totals) <= 1 and [done for done, _total in heard] == sorted(d for d, _ in heard)
    if heard:
        assert heard[-1][0] == heard[-1][1]  # every entry written


def test_an_empty_market():
    arrays = from_json({"participants": [], "slots": []})
    assert b"".join(arrays.json_chunks()) == dumps(arrays.to_json())
    assert b"".join(arrays.json_chunks(indent=False)) == dumps(arrays.to_json(), indent=False)
    assert solve_arrays(arrays)["status"] == "stable"


# --- the stored form (.npz) ----------------------------------------------------------------


def _stored_again(arrays: ArrayMarket) -> ArrayMarket:
    blob = arrays.to_npz()
    assert is_npz(blob)
    again = ArrayMarket.from_npz(blob)
    assert again.to_npz() == blob  # the same market is the same bytes, whenever written
    return again


@settings(max_examples=150, deadline=None)
@given(markets(max_participants=6, max_slots=5))
def test_the_stored_arrays_are_the_same_market(market):
    arrays = from_json(normalised(market))
    again = _stored_again(arrays)
    assert b"".join(again.json_chunks(indent=False)) == b"".join(arrays.json_chunks(indent=False))
    for mode in ("stable", "optimal"):
        assert dumps(solve_arrays(again, mode)) == dumps(solve_arrays(arrays, mode))


@settings(max_examples=60, deadline=None)
@given(
    markets(max_participants=6, max_slots=5),
    st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=30, max_size=30),
    st.sampled_from([100, 3, 7]),
)
def test_weights_on_the_lists_are_stored_without_their_pairs(market, numerators, denominator):
    """As the app builds them: a weight on every ranked pair, in list order; whole hundredths
    are kept as integers, other floats as they are — either way the same JSON."""
    arrays = from_json(normalised(market))
    n = len(arrays.participant_prefs)
    arrays.weight_participant = np.repeat(
        np.arange(arrays.n_participants, dtype=np.int32), np.diff(arrays.participant_start)
    )
    arrays.weight_slot = arrays.participant_prefs.copy()
    arrays.weight_value = np.array(
        [numerators[i % 30] / denominator for i in range(n)], dtype=np.float64
    )
    with np.load(io.BytesIO(arrays.to_npz())) as stored:
        assert "weight_slot" not in stored.files
        if n and denominator == 100:
            assert "weight_hundredths" in stored.files
    again = _stored_again(arrays)
    assert dumps(again.to_json(), indent=False) == dumps(arrays.to_json(), indent=False)
    for mode in ("stable", "optimal"):
        assert dumps(solve_arrays(again, mode)) == dumps(solve_arrays(arrays, mode))


def test_ids_and_rules_come_back_exactly():
    arrays = from_json(
        {
            "participants": [
                {"id": "Zoë ✓", "organization": "Ville de Québec", "preferences": ["s\x00"]},
                {"id": "", "organization": "n\x00", "preferences": []},
            ],
            "slots": [{"id": "s\x00", "organization": "🏛", "capacity": 1}],
            "weights": [{"participant": "Zoë ✓", "slot": "s\x00", "weight": -0.0}],
            "rules": {"exclude_home_organization": False, "balance_tolerance": 2, "seed": 2**62},
        }
    )
    again = _stored_again(arrays)
    assert again.to_json() == arrays.to_json()
    assert dumps(again.to_json()) == dumps(arrays.to_json())  # -0.0 stays -0.0
    assert (again.seed, again.balance_tolerance) == (2**62, 2)
    assert not is_npz(b"\x1f\x8b\x08\x00")  # gzip JSON, as older snapshots are stored
