"""The program shapes we serve, as data: one JSON file per shape in ``data/shapes/``.

A template gives a new program its starting rules (assignment types and lengths, reciprocity,
eligibility, the endorsement chain, the interview rubric, the reminder schedule, the
conflict-of-interest attestation and the return-service obligation) and its cycles their
default phase dates. The administrator changes any of it on the program's settings page;
the template is only where a program starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from .models import Phase, ProgramShape

_DIR = Path(__file__).resolve().parent / "data" / "shapes"


@dataclass(frozen=True)
class ChainStep:
    title: str
    kind: str


@dataclass(frozen=True)
class Criterion:
    name: str
    description: str
    weight: Decimal
    max_score: int


@dataclass(frozen=True)
class PlannedPhase:
    phase: str
    starts_after_days: int
    lasts_days: int


@dataclass(frozen=True)
class ProgramTemplate:
    shape: str
    summary: dict[str, str]
    assignment_types: list[str]
    min_assignment_months: int
    max_assignment_months: int
    reciprocity: str
    balance_tolerance: int
    eligibility: str
    min_years_of_service: int
    max_moves: int | None
    endorsement_chain: list[ChainStep]
    rubric: list[Criterion]
    reminder_days: list[int]
    requires_conflict_attestation: bool
    return_service_months: int
    phases_may_overlap: bool
    cycles_may_overlap: bool
    administrators_act_for_organizations: bool
    phase_plan: list[PlannedPhase]

    @property
    def label(self) -> str:
        return str(ProgramShape(self.shape).label)

    @property
    def description(self) -> str:
        """The summary in the language of the request (English when there is none)."""
        language = (get_language() or "en").split("-")[0]
        return self.summary.get(language) or self.summary["en"]

    def program_fields(self) -> dict[str, Any]:
        """The ``Program`` fields this template sets."""
        return {
            "shape": self.shape,
            "assignment_types": list(self.assignment_types),
            "min_assignment_months": self.min_assignment_months,
            "max_assignment_months": self.max_assignment_months,
            "reciprocity": self.reciprocity,
            "balance_tolerance": self.balance_tolerance,
            "eligibility": self.eligibility,
            "min_years_of_service": self.min_years_of_service,
            "max_moves": self.max_moves,
            "reminder_days": list(self.reminder_days),
            "requires_conflict_attestation": self.requires_conflict_attestation,
            "phases_may_overlap": self.phases_may_overlap,
            "cycles_may_overlap": self.cycles_may_overlap,
            "administrators_act_for_organizations": self.administrators_act_for_organizations,
        }

    def phase_dates(self, start: date) -> dict[str, tuple[date, date]]:
        """Default dates of each phase for a cycle starting on ``start``: {phase: (opens,
        closes)}."""
        return {
            p.phase: (
                start + timedelta(days=p.starts_after_days),
                start + timedelta(days=p.starts_after_days + p.lasts_days),
            )
            for p in self.phase_plan
        }


def _load(path: Path) -> ProgramTemplate:
    data = json.loads(path.read_text(encoding="utf-8"))
    ProgramShape(data["shape"])  # a file for a shape we do not know is an error
    for planned in data["phase_plan"]:
        Phase(planned["phase"])
    return ProgramTemplate(
        **{
            **data,
            "endorsement_chain": [ChainStep(**s) for s in data["endorsement_chain"]],
            "rubric": [
                Criterion(**{**c, "weight": Decimal(str(c["weight"]))}) for c in data["rubric"]
            ],
            "phase_plan": [PlannedPhase(**p) for p in data["phase_plan"]],
        }
    )


@cache
def all_templates() -> dict[str, ProgramTemplate]:
    """Every template, by shape, in the order of ``ProgramShape``."""
    loaded = {t.shape: t for t in (_load(path) for path in sorted(_DIR.glob("*.json")))}
    return {shape: loaded[shape] for shape in ProgramShape.values if shape in loaded}


def template_for(shape: str) -> ProgramTemplate:
    return all_templates()[shape]
