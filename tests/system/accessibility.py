"""axe-core over a page: WCAG 2.1 A and AA rules, no serious or critical violation allowed."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page) -> None:
    results = _AXE.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:5]
        )
        for v in serious
    )
    assert not serious, f"Accessibility violations on {page.url}:\n{report}"
