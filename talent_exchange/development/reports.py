"""Executive development's part of a program's reports (reports/registry.py): the dashboard's
compliance figure (due, overdue, exempt, and the rotation rate against the goal), the
compliance and yearly data call reports (the same columns as the compliance page's own
export, ``exports.py``), and its sections of the history format — the competency frameworks
in use, the mobility rule and exceptions, development plans with their items, progress and
moves, mobility agreements, the board and its reviews, succession plans and interchange
assignment reports.

Left out: saved talent searches (a user's own tool, not the program's history)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent_exchange.people.models import Person
from talent_exchange.programs.models import ProgramShape
from talent_exchange.reports import charts
from talent_exchange.reports.registry import (
    Figure,
    Report,
    Section,
    figure,
    history_sections,
    report,
)

from . import exports
from .compliance import Status
from .mobility import compliance_of, data_call, executives, fiscal_year_of
from .models import (
    DevelopmentPlan,
    MobilityAgreement,
    MobilityException,
    MobilityRule,
    ReviewDecision,
    SuccessionCandidate,
    SuccessionPlan,
)
from .presenters import STATUS_LABELS

# ---------------------------------------------------------------------------------------------
# The program dashboard: mobility compliance
# ---------------------------------------------------------------------------------------------


def _uses_development(program: Any) -> bool:
    """An executive development program, or any program that set a mobility rule."""
    return (
        program.shape == ProgramShape.EXECUTIVE_DEVELOPMENT
        or MobilityRule.objects.filter(program=program).exists()
    )


def _executives(program: Any, filters: dict, user: Any):
    """The program's executives the reader may see, in the organisation the filters name."""
    people = executives(program).filter(pk__in=Person.objects.visible_to(user).values("pk"))
    if filters.get("organization") is not None:
        people = people.filter(organization=filters["organization"])
    return people


@figure("development.compliance")
def compliance_figure(program: Any, filters: dict, user: Any) -> Figure | None:
    """Compliant, due, overdue and exempt executives, and the current fiscal year's
    rotation rate against the goal. A fixed number of queries (``mobility``)."""
    if not user.has_perm("development.view_compliance", program):
        return None
    if not _uses_development(program):
        return None
    today = timezone.localdate()
    result = compliance_of(program, today, _executives(program, filters, user))
    if not result.rows:
        return None
    call = data_call(program, fiscal_year_of(today))
    counts = [(str(label), result.count(code)) for code, label in STATUS_LABELS.items()]
    bars: list[tuple[str, float | None]] = list(counts)
    summary = _(
        "Of %(n)s executives, %(overdue)s are overdue and %(due)s due soon for a "
        "developmental assignment; %(exempt)s are exempt."
    ) % {
        "n": len(result.rows),
        "overdue": result.count(Status.OVERDUE),
        "due": result.count(Status.DUE),
        "exempt": result.count(Status.EXEMPT),
    }
    if call.rate is not None:
        summary += " " + _(
            "In FY %(year)s the rotation rate is %(rate)s%% against a goal of %(goal)s%%."
        ) % {"year": call.fiscal_year, "rate": call.rate, "goal": call.goal_share}
    peak = max([n for _label, n in counts] + [1])
    return Figure(
        _("Mobility compliance"),
        "development/reports/compliance.html",
        {
            "counts": counts,
            "call": call,
            "rotation": [
                (_("Executives on 1 October"), call.on_roll),
                (_("Rotated"), call.rotated),
                (_("Rotation rate (%)"), call.rate),
                (_("Goal (%)"), call.goal_share),
            ],
            "chart": charts.grouped([(str(_("Executives")), bars)], peak),
        },
        summary=summary,
    )


# ---------------------------------------------------------------------------------------------
# Reports to download: the compliance list and the yearly data call
# ---------------------------------------------------------------------------------------------


def _compliance_rows(program: Any, filters: dict, user: Any):
    if not user.has_perm("development.view_compliance", program):
        return iter(())
    today = timezone.localdate()
    return exports.compliance_body(
        compliance_of(program, today, _executives(program, filters, user))
    )


@report("development.compliance")
def compliance_report() -> Report:
    return Report(
        title=gettext_lazy("Mobility compliance"),
        description=gettext_lazy(
            "One row per executive you may see: status under the program's mobility rule, "
            "the reason and the date the next assignment is due."
        ),
        columns=exports.compliance_columns(),
        rows=_compliance_rows,
        count=lambda program, filters, user: _executives(program, filters, user).count(),
    )


def _fiscal_year(filters: dict) -> int:
    return fiscal_year_of(filters.get("end") or timezone.localdate())


def _data_call_rows(program: Any, filters: dict, user: Any):
    if not user.has_perm("development.view_compliance", program):
        return iter(())
    return iter(exports.data_call_body(data_call(program, _fiscal_year(filters))))


@report("development.data_call")
def data_call_report() -> Report:
    return Report(
        title=gettext_lazy("Yearly rotation data call"),
        description=gettext_lazy(
            "Executives who rotated in the fiscal year (the period's end, or this year), by "
            "assignment type and destination, against the executives on 1 October."
        ),
        columns=exports.data_call_columns(),
        rows=_data_call_rows,
        count=lambda program, filters, user: 20,
    )


# ---------------------------------------------------------------------------------------------
# The history format
# ---------------------------------------------------------------------------------------------


def _people(program: Any) -> Q:
    return (
        Q(pk__in=DevelopmentPlan.objects.filter(program=program).values("person_id"))
        | Q(pk__in=MobilityException.objects.filter(program=program).values("person_id"))
        | Q(pk__in=MobilityAgreement.objects.filter(program=program).values("person_id"))
        | Q(pk__in=ReviewDecision.objects.filter(session__board__program=program).values("person"))
        | Q(pk__in=SuccessionCandidate.objects.filter(plan__program=program).values("person_id"))
        | Q(pk__in=SuccessionPlan.objects.filter(program=program).values("incumbent_id"))
    )


def _organizations(program: Any) -> Q:
    return Q(pk__in=SuccessionPlan.objects.filter(program=program).values("organization_id"))


history_sections(
    "development",
    # Frameworks are shared reference data (like skills): every version, found by its code
    Section(
        "framework_versions",
        "development.FrameworkVersion",
        lambda p: Q(),
        ("framework", "version"),
        exclude=("loaded_at",),  # when this deployment loaded it
    ),
    Section("competencies", "development.Competency", lambda p: Q(), ("version", "code")),
    Section("mobility_rules", "development.MobilityRule", lambda p: Q(program=p), ("program",)),
    Section(
        "mobility_exceptions",
        "development.MobilityException",
        lambda p: Q(program=p),
        ("program", "person", "starts_on", "reason"),
    ),
    Section(
        "development_plans",
        "development.DevelopmentPlan",
        lambda p: Q(program=p),
        ("person", "program", "year"),
    ),
    Section(
        "plan_transitions",
        "development.PlanTransition",
        lambda p: Q(plan__program=p),
        ("plan", "at", "to_state"),
    ),
    Section(
        "plan_items",
        "development.PlanItem",
        lambda p: Q(plan__program=p),
        ("plan", "competency", "activity_type", "description"),
    ),
    Section(
        "progress_entries",
        "development.ProgressEntry",
        lambda p: Q(plan__program=p),
        ("plan", "stage", "author_role"),
    ),
    Section(
        "mobility_agreements",
        "development.MobilityAgreement",
        lambda p: Q(program=p),
        ("program", "person"),
    ),
    Section("boards", "development.Board", lambda p: Q(program=p), ("program",)),
    Section(
        "review_sessions",
        "development.ReviewSession",
        lambda p: Q(board__program=p),
        ("board", "year"),
    ),
    Section(
        "review_decisions",
        "development.ReviewDecision",
        lambda p: Q(session__board__program=p),
        ("session", "person"),
    ),
    Section(
        "succession_plans",
        "development.SuccessionPlan",
        lambda p: Q(program=p),
        ("program", "organization", "position_title"),
    ),
    Section(
        "succession_candidates",
        "development.SuccessionCandidate",
        lambda p: Q(plan__program=p),
        ("plan", "person"),
    ),
    Section(
        "assignment_reports",
        "development.AssignmentReport",
        lambda p: Q(placement__program=p),
        ("placement", "occasion"),
    ),
    people=_people,
    organizations=_organizations,
)
