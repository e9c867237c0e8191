"""Hypothesis strategies: tiny but varied markets (brute force must stay cheap)."""

from __future__ import annotations

from hypothesis import strategies as st

from . import reference


@st.composite
def markets(
    draw,
    max_participants: int = 5,
    max_slots: int = 4,
    min_participants: int = 0,
    min_slots: int = 0,
    locks: bool = True,
    tolerance: bool = True,
) -> dict:
    n_orgs = draw(st.sampled_from([2, 3, 1]))
    orgs = [f"o{k}" for k in range(n_orgs)]
    n_p = draw(st.integers(min_participants, max_participants))
    n_s = draw(st.integers(min_slots, max_slots))
    pids = [f"p{i}" for i in range(n_p)]
    sids = [f"s{j}" for j in range(n_s)]
    participants = [
        {
            "id": pid,
            "organization": draw(st.sampled_from(orgs)),
            "preferences": list(draw(st.permutations(sids)))[: n_s - draw(st.integers(0, 2))],
        }
        for pid in pids
    ]
    slots = []
    for sid in sids:
        slot = {
            "id": sid,
            "organization": draw(st.sampled_from(orgs)),
            "capacity": draw(st.integers(0, 2)),
        }
        if draw(st.booleans()):
            ranked = draw(st.permutations(pids))
            slot["preferences"] = list(ranked[: n_p - draw(st.integers(0, 2))])
        slots.append(slot)
    market = {"participants": participants, "slots": slots}
    listed = [(p["id"], sid) for p in participants for sid in p["preferences"]]
    if listed and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(listed), unique=True, max_size=len(listed)))
        market["weights"] = [
            {
                "participant": pid,
                "slot": sid,
                "weight": draw(
                    st.one_of(
                        st.integers(-3, 20),
                        st.integers(-30, 200).map(lambda v: v / 10),
                    )
                ),
            }
            for pid, sid in chosen
        ]
    if listed and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(listed), unique=True, max_size=3))
        market["forbidden"] = [{"participant": pid, "slot": sid} for pid, sid in chosen]
    rules = {
        "exclude_home_organization": draw(st.booleans()),
        "seed": draw(st.integers(0, 3)),
    }
    if tolerance:
        rules["balance_tolerance"] = draw(st.one_of(st.none(), st.integers(0, 2)))
    market["rules"] = rules
    acceptable = reference.acceptable_pairs(market)
    if locks and acceptable and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(acceptable), unique=True, max_size=3))
        market["locked"] = [{"participant": pid, "slot": sid} for pid, sid in chosen]
    return market


def crowded_markets(locks: bool = True) -> st.SearchStrategy[dict]:
    """At least three participants and two slots: where the rules start to bite."""
    return markets(min_participants=3, min_slots=2, locks=locks)
