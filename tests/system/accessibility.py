"""axe-core over a page: WCAG 2.1 A and AA rules, no serious or critical violation allowed.

axe-core (the copy axe-playwright-python ships) is put into a page once per document: a
second check of the same page (after an htmx swap) reuses it. Only the violations come back
from the browser."""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Error as PlaywrightError

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN = """options => axe.run(document, options).then(results => results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target})),
})))"""


# What the browser says when a navigation replaced the document under a running check.
_NAVIGATED = ("Execution context was destroyed", "reading 'documentElement'", "axe is not defined")


def _violations(page) -> list[dict]:
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        _RUN, {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    )


def assert_accessible(page) -> None:
    """A check that began while the page was still navigating (a click's page arriving) is
    run again once on the page that arrived: the page checked is the one the user sees."""
    try:
        violations = _violations(page)
    except PlaywrightError as error:
        if not any(sign in str(error) for sign in _NAVIGATED):
            raise
        violations = _violations(page)
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
