from __future__ import annotations


def outcome(market: dict, result: dict) -> dict:
    """participant -> slot (or None), from an engine result."""
    got = {p["id"]: None for p in market["participants"]}
    for a in result["assignments"]:
        got[a["participant"]] = a["slot"]
    return got


def preference_position(market: dict, pid: str, sid: str | None) -> int:
    prefs = next(p["preferences"] for p in market["participants"] if p["id"] == pid)
    return len(prefs) if sid is None else prefs.index(sid)
