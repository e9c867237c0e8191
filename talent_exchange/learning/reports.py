"""Learning's part of a program's reports (reports/registry.py): its sections of the history
format — circles, series and sessions with their moves, invitations (answers, waitlist,
attendance), feedback, the completion rule, the community of practice and its materials.

Left out: calendar feeds (a person's secret address, not the program's history)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from talent_exchange.reports.registry import Section, history_sections

from .models import Circle, Feedback, Invitation


def _people(program: Any) -> Q:
    invited = Invitation.objects.filter(session__program=program).values("person_id")
    gave_feedback = Feedback.objects.filter(session__program=program).values("person_id")
    in_circles = Circle.members.through.objects.filter(circle__program=program).values("person_id")
    return Q(pk__in=invited) | Q(pk__in=gave_feedback) | Q(pk__in=in_circles)


history_sections(
    "learning",
    Section(
        "circles",
        "learning.Circle",
        lambda p: Q(program=p),
        ("program", "cycle", "name"),
        m2m=("members",),
    ),
    Section(
        "learning_series",
        "learning.Series",
        lambda p: Q(program=p),
        ("program", "created_at", "title"),
    ),
    Section(
        "learning_sessions",
        "learning.Session",
        lambda p: Q(program=p),
        ("program", "circle", "starts_at", "title"),
    ),
    Section(
        "session_transitions",
        "learning.SessionTransition",
        lambda p: Q(session__program=p),
        ("session", "at", "to_state"),
    ),
    Section(
        "invitations",
        "learning.Invitation",
        lambda p: Q(session__program=p),
        ("session", "person"),
    ),
    Section(
        "session_feedback",
        "learning.Feedback",
        lambda p: Q(session__program=p),
        ("session", "person"),
    ),
    Section("completion_rules", "learning.CompletionRule", lambda p: Q(program=p), ("program",)),
    Section(
        "threads",
        "learning.Thread",
        lambda p: Q(program=p),
        ("program", "created_at", "title"),
    ),
    Section(
        "posts",
        "learning.Post",
        lambda p: Q(thread__program=p),
        ("thread", "created_at", "author"),
    ),
    Section(
        "post_transitions",
        "learning.PostTransition",
        lambda p: Q(post__thread__program=p),
        ("post", "at", "to_state"),
    ),
    Section(
        "materials",
        "learning.Material",
        lambda p: Q(session__program=p) | Q(thread__program=p),
        ("session", "thread", "created_at", "title"),
    ),
    people=_people,
)
