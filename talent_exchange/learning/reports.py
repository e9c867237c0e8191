"""Learning's part of a program's reports (reports/registry.py): the dashboard's attendance
figure, the attendance report, and its sections of the history format — circles, series and
sessions with their moves, invitations (answers, waitlist, attendance), feedback, the
completion rule, the community of practice and its materials.

Left out: calendar feeds (a person's secret address, not the program's history)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent_exchange.reports import charts
from talent_exchange.reports.registry import (
    Column,
    Figure,
    Report,
    Section,
    figure,
    history_sections,
    report,
)

from .models import Attendance, Circle, CompletionRule, Feedback, Invitation, SessionStatus

# ---------------------------------------------------------------------------------------------
# The program dashboard: attendance
# ---------------------------------------------------------------------------------------------


def _invitations(program: Any, filters: dict, user: Any):
    """Invitations to the program's sessions held so far (not cancelled) that the reader may
    see (``Invitation.visible_to``), kept by the filters: the cycle, the organisation (of
    the person invited), the period (sessions that started between the two dates)."""
    rows = Invitation.objects.visible_to(user).filter(
        session__program=program,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__lte=timezone.now(),
    )
    if filters.get("cycle") is not None:
        rows = rows.filter(session__cycle=filters["cycle"])
    if filters.get("organization") is not None:
        rows = rows.filter(person__organization=filters["organization"])
    if filters.get("start"):
        rows = rows.filter(session__starts_at__date__gte=filters["start"])
    if filters.get("end"):
        rows = rows.filter(session__starts_at__date__lte=filters["end"])
    return rows


def attendance(program: Any, filters: dict, user: Any) -> list[dict]:
    """Per cohort (sessions open to the whole program on a row of their own): sessions held,
    invitations counted (excused absences left out), present, absent, not recorded, and the
    share present. One query."""
    grouped = (
        _invitations(program, filters, user)
        .order_by()
        .values("session__cycle_id", "session__cycle__name", "session__cycle__created_at")
        .annotate(
            sessions=Count("session", distinct=True),
            counted=Count("pk", filter=~Q(attendance=Attendance.EXCUSED)),
            present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
            absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
            excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)),
            unrecorded=Count("pk", filter=Q(attendance=Attendance.UNRECORDED)),
        )
    )
    rows = []
    for row in grouped:
        counted = row["counted"]
        rows.append(
            {
                "cohort": row["session__cycle__name"] or str(_("Whole program")),
                "order": (row["session__cycle_id"] is None, str(row["session__cycle__created_at"])),
                "sessions": row["sessions"],
                "counted": counted,
                "present": row["present"],
                "absent": row["absent"],
                "excused": row["excused"],
                "unrecorded": row["unrecorded"],
                "percent": round(100 * row["present"] / counted) if counted else None,
            }
        )
    return sorted(rows, key=lambda r: r["order"])


@figure("learning.attendance")
def attendance_figure(program: Any, filters: dict, user: Any) -> Figure | None:
    rows = attendance(program, filters, user)
    if not rows:
        return None
    rule = CompletionRule.objects.filter(program=program).first()
    present = sum(r["present"] for r in rows)
    counted = sum(r["counted"] for r in rows)
    summary = _(
        "%(present)s of %(counted)s invitations to %(sessions)s sessions held so far were "
        "attended (excused absences left out)."
    ) % {"present": present, "counted": counted, "sessions": sum(r["sessions"] for r in rows)}
    if rule is not None:
        summary += " " + _("The program's completion rule asks for %(percent)s%%.") % {
            "percent": rule.min_attendance_percent
        }
    percent_label = _("Present (%)")
    groups = [(r["cohort"], [(percent_label, r["percent"])]) for r in rows]
    return Figure(
        _("Attendance at learning sessions"),
        "learning/reports/attendance.html",
        {
            "rows": rows,
            "required": rule.min_attendance_percent if rule else None,
            "percent_label": percent_label,
            "chart": charts.grouped(groups, 100),
        },
        summary=summary,
    )


# ---------------------------------------------------------------------------------------------
# Reports to download: attendance
# ---------------------------------------------------------------------------------------------


def _attendance_rows(program: Any, filters: dict, user: Any) -> Iterator[tuple]:
    answers = dict(Invitation._meta.get_field("response").choices or [])
    marks = dict(Attendance.choices)
    rows = (
        _invitations(program, filters, user)
        .order_by("session__starts_at", "session__pk", "person__last_name", "person__pk")
        .values_list(
            "session__starts_at",
            "session__title",
            "session__cycle__name",
            "person__last_name",
            "person__first_name",
            "person__organization__name",
            "response",
            "attendance",
        )
    )
    for starts, title, cycle, last, first, org, response, mark in rows.iterator(chunk_size=2000):
        yield (
            starts,
            title,
            cycle or str(_("Whole program")),
            last,
            first,
            org,
            str(answers.get(response, response)),
            str(marks.get(mark, mark)),
        )


@report("learning.attendance")
def attendance_report() -> Report:
    return Report(
        title=gettext_lazy("Attendance at learning sessions"),
        description=gettext_lazy(
            "One row per invitation you may see to a session held so far: the answer and "
            "whether the person came."
        ),
        columns=[
            Column("starts_at", gettext_lazy("Session starts"), "datetime"),
            Column("session", gettext_lazy("Session"), width=36),
            Column("cohort", gettext_lazy("Cohort"), width=24),
            Column("last_name", gettext_lazy("Last name")),
            Column("first_name", gettext_lazy("First name")),
            Column("organisation", gettext_lazy("Organisation"), width=30),
            Column("response", gettext_lazy("Answer")),
            Column("attendance", gettext_lazy("Attendance")),
        ],
        rows=_attendance_rows,
        count=lambda program, filters, user: _invitations(program, filters, user).count(),
    )


# ---------------------------------------------------------------------------------------------
# The history format
# ---------------------------------------------------------------------------------------------


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
