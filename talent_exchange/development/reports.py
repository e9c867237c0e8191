"""Executive development's part of a program's reports (reports/registry.py): its sections
of the history format — the competency frameworks in use, the mobility rule and exceptions,
development plans with their items, progress and moves, mobility agreements, the board and
its reviews, succession plans and interchange assignment reports.

Left out: saved talent searches (a user's own tool, not the program's history)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from talent_exchange.reports.registry import Section, history_sections

from .models import (
    DevelopmentPlan,
    MobilityAgreement,
    MobilityException,
    ReviewDecision,
    SuccessionCandidate,
    SuccessionPlan,
)


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
