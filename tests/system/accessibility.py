"""axe-core over a page: WCAG 2.1 A and AA rules, no serious or critical violation allowed.

axe-core (the copy axe-playwright-python ships) is put into a page once per document: a
second check of the same page (after an htmx swap) reuses it. Only the violations come back
from the browser."""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN = """options => axe.run(document, options).then(results => results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target})),
})))"""


def assert_accessible(page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        _RUN, {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    )
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"]
        )
        for v in serious
    )
    assert not serious, f"Accessibility violations on {page.url}:\n{report}"
