"""What the program pages show, decided in Python: the history of a program's rules, its
first-run checklist, and what each phase of a cycle opens and who waits on whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from talent_exchange.core.history import visible_history

from .models import Phase, Program

_HIDDEN = {"id", "program", "rules_reviewed_at"}


@dataclass(frozen=True)
class RuleChange:
    when: datetime
    who: Any
    what: str
    fields: list[str]
    reason: str


def _label(model: type[Model], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:  # a field since removed from the model
        return name


def _changes_of(model: type[Model], rows: list[Any], noun: StrOrPromise) -> list[RuleChange]:
    """One line per historical row: what it did to which fields. ``rows`` newest first, each
    compared with the previous version of the same object in the list."""
    by_object: dict[Any, list[Any]] = {}
    for row in reversed(rows):
        by_object.setdefault(row.id, []).append(row)
    changes = []
    for versions in by_object.values():
        for i, row in enumerate(versions):
            kind = row.history_type
            if kind == "+":
                fields: list[str] = []
                what = _("%(noun)s added: %(name)s") % {"noun": noun, "name": row.instance}
            elif kind == "-":
                fields = []
                what = _("%(noun)s removed: %(name)s") % {"noun": noun, "name": row.instance}
            else:
                before = versions[i - 1] if i else None
                names = [c.field for c in row.diff_against(before).changes] if before else []
                fields = [_label(model, n) for n in names if n not in _HIDDEN]
                if before and not fields:
                    continue  # saved without a change
                what = _("%(noun)s changed: %(name)s") % {"noun": noun, "name": row.instance}
            changes.append(
                RuleChange(
                    row.history_date,
                    row.history_user,
                    what,
                    fields,
                    row.history_change_reason or "",
                )
            )
    return changes


def rule_changes(program: Program, user: Any, limit: int = 20) -> list[RuleChange]:
    """The latest changes to a program's rules (its own fields, the endorsement chain, the
    rubric, the agreement wording), newest first. Four queries."""
    from talent_exchange.interviews.models import RubricCriterion
    from talent_exchange.nominations.models import EndorsementStep
    from talent_exchange.placements.models import AgreementTemplate

    sources: list[tuple[type[Model], StrOrPromise, dict[str, Any]]] = [
        (Program, gettext_lazy("Program rules"), {"id": program.pk}),
        (EndorsementStep, gettext_lazy("Endorsement step"), {"program_id": program.pk}),
        (RubricCriterion, gettext_lazy("Rubric criterion"), {"program_id": program.pk}),
        (AgreementTemplate, gettext_lazy("Agreement wording"), {"program_id": program.pk}),
    ]
    changes: list[RuleChange] = []
    for model, noun, where in sources:
        rows = list(
            visible_history(model, user)
            .filter(**where)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit * 2]
        )
        changes.extend(_changes_of(model, rows, noun))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


# -- the first-run checklist of a new program ---------------------------------------------


@dataclass(frozen=True)
class ChecklistStep:
    label: str
    done: bool
    url: str
    action: str


def onboarding_checklist(program: Program) -> list[ChecklistStep] | None:
    """The steps that make a new program ready to run, or None once every one is done (the
    checklist disappears). ``program`` comes from ``Program.objects.with_setup_progress()``
    (no query here)."""
    organizations = program.setup_organizations  # type: ignore[attr-defined]
    steps = [
        ChecklistStep(
            _("Set the rules"),
            program.rules_reviewed_at is not None,
            reverse("programs:edit", args=[program.pk]),
            _("Review the rules the template set and save them."),
        ),
        ChecklistStep(
            _("Invite the organisations"),
            bool(program.setup_invitations or organizations),  # type: ignore[attr-defined]
            reverse("programs:invite_list", args=[program.pk]),
            _("Invite the organisations that send and host participants."),
        ),
        ChecklistStep(
            _("Coordinators accept"),
            bool(organizations) and program.setup_coordinated == organizations,  # type: ignore[attr-defined]
            reverse("programs:detail", args=[program.pk]) + "#organisations-heading",
            _(
                "Each organisation takes part once its coordinator accepts the invitation; "
                "invite your coordinators."
            ),
        ),
        ChecklistStep(
            _("Create the first cycle"),
            bool(program.setup_cycles),  # type: ignore[attr-defined]
            reverse("programs:create_cycle", args=[program.pk]),
            _("Create your first cycle with its phase dates."),
        ),
    ]
    if all(step.done for step in steps):
        return None
    return steps


# -- what each phase opens, and who waits on whom ---------------------------------------------

PHASE_GUIDE: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    Phase.NOMINATIONS: (
        gettext_lazy("Coordinators nominate their employees; the endorsement chain signs."),
        gettext_lazy("The administrator waits on coordinators and endorsers."),
    ),
    Phase.OPPORTUNITIES: (
        gettext_lazy("Host organisations post assignment opportunities for approval."),
        gettext_lazy("The administrator waits on hosts to post; hosts wait on approval."),
    ),
    Phase.PREFERENCES: (
        gettext_lazy("Participants rank the opportunities."),
        gettext_lazy("The match waits on participants' rankings."),
    ),
    Phase.INTERVIEWS: (
        gettext_lazy("Panels interview and score the candidates; hosts rank them."),
        gettext_lazy("The match waits on panelists' scores and hosts' rankings."),
    ),
    Phase.MATCHING: (
        gettext_lazy("The administrator runs the match, compares and publishes it."),
        gettext_lazy("Participants and hosts wait on the administrator's published match."),
    ),
    Phase.PLACEMENTS: (
        gettext_lazy("Offers are answered and the three-party agreements signed."),
        gettext_lazy("Each agreement waits on the participant, the home and the host."),
    ),
}
