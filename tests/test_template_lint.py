"""Templates hold no business rules: no template compares a status (or a state, a decision)
with a string literal. A page asks the workflow what a user may do
(``workflow.available_names(obj, user)``) or shows a flag a presenter or the model computes.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "talent_exchange"

# `x.status == "done"`, `state != 'draft'`, `"done" == x.status`, `decision in "…"`
COMPARISON = re.compile(
    r"""(?:\b[\w.]*(?:status|state|decision)\s*(?:==|!=|\bin\b|\bnot\s+in\b)\s*["'])"""
    r"""|(?:["']\s*(?:==|!=)\s*[\w.]*(?:status|state|decision)\b)"""
)


def _offending() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(ROOT.rglob("*.html")):
        if "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"{%.*?%}", text, flags=re.S):
            if COMPARISON.search(tag):
                found.setdefault(str(path.relative_to(ROOT)), []).append(tag)
    return found


def test_no_template_compares_a_status_with_a_string():
    offending = _offending()
    assert not offending, (
        "Templates compare a status with a string literal; ask the workflow "
        f"(available_names) or a presenter instead: {offending}"
    )


def test_the_lint_catches_a_comparison():
    assert COMPARISON.search('{% if placement.status != "agreement" %}')
    assert COMPARISON.search("{% if run.status == 'failed' %}")
    assert not COMPARISON.search('{% if "endorse" in actions %}')
