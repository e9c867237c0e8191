"""What the learning pages show, decided in Python: the invitation lists, the feedback
summary, attendance shares against the program's completion rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from .models import (
    Attendance,
    CompletionRule,
    Feedback,
    Invitation,
    Response,
    Session,
    SessionStatus,
)


@dataclass(frozen=True)
class Seats:
    capacity: int | None
    confirmed: int
    waitlisted: int
    maybe: int
    declined: int
    pending: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)


def seats(session: Session) -> Seats:
    """The session's places and answers, counted in one query."""
    yes = Q(response=Response.YES)
    figures = session.invitations.aggregate(
        confirmed=Count("pk", filter=yes & Q(waitlist_position__isnull=True)),
        waitlisted=Count("pk", filter=Q(waitlist_position__isnull=False)),
        maybe=Count("pk", filter=Q(response=Response.MAYBE)),
        declined=Count("pk", filter=Q(response=Response.NO)),
        pending=Count("pk", filter=Q(response=Response.PENDING)),
    )
    return Seats(
        session.capacity,
        figures["confirmed"],
        figures["waitlisted"],
        figures["maybe"],
        figures["declined"],
        figures["pending"],
    )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    distribution: list[tuple[int, int]]  # (rating, how many), 5 to 1
    comments: list[Feedback]


def feedback_summary(session: Session) -> FeedbackSummary:
    rows = list(session.feedback.order_by("-created_at"))
    count = Counter(f.rating for f in rows)
    average = sum(f.rating for f in rows) / len(rows) if rows else None
    return FeedbackSummary(
        len(rows),
        round(average, 1) if average is not None else None,
        [(n, count[n]) for n in range(5, 0, -1)],
        [f for f in rows if f.comment],
    )


@dataclass(frozen=True)
class AttendanceShare:
    present: int
    counted: int  # past sessions invited to, excused ones left out
    required_percent: int | None

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.counted) if self.counted else None

    @property
    def meets_rule(self) -> bool | None:
        if self.required_percent is None or self.percent is None:
            return None
        return self.percent >= self.required_percent


def _counted(queryset) -> Any:
    return queryset.filter(
        session__status=SessionStatus.SCHEDULED, session__starts_at__lte=timezone.now()
    ).exclude(attendance=Attendance.EXCUSED)


def attendance_of(person_id: int, program_id: int, cycle_id: int | None) -> AttendanceShare:
    """A participant's attendance at the sessions of their cycle (and program-wide ones)."""
    rule = CompletionRule.objects.filter(program_id=program_id).first()
    invitations = _counted(
        Invitation.objects.filter(person_id=person_id, session__program_id=program_id)
    )
    if cycle_id is not None:
        invitations = invitations.filter(
            Q(session__cycle_id=cycle_id) | Q(session__cycle__isnull=True)
        )
    figures = invitations.aggregate(
        counted=Count("pk"), present=Count("pk", filter=Q(attendance=Attendance.PRESENT))
    )
    return AttendanceShare(
        figures["present"], figures["counted"], rule.min_attendance_percent if rule else None
    )


@dataclass(frozen=True)
class ProgramAttendance:
    sessions_held: int
    average_percent: int | None
    meeting_rule: int | None
    participants: int
    required_percent: int | None
    average_rating: float | None


def program_attendance(program_id: int) -> ProgramAttendance:
    """The program's learning results: sessions held, average attendance, how many
    participants meet the completion rule. A fixed number of queries."""
    rule = CompletionRule.objects.filter(program_id=program_id).first()
    per_person = (
        _counted(Invitation.objects.filter(session__program_id=program_id))
        .values("person_id")
        .annotate(counted=Count("pk"), present=Count("pk", filter=Q(attendance=Attendance.PRESENT)))
    )
    shares = [100 * row["present"] / row["counted"] for row in per_person if row["counted"]]
    held = Session.objects.filter(
        program_id=program_id, status=SessionStatus.SCHEDULED, starts_at__lte=timezone.now()
    ).count()
    rating = Feedback.objects.filter(session__program_id=program_id).aggregate(a=Avg("rating"))["a"]
    required = rule.min_attendance_percent if rule else None
    return ProgramAttendance(
        held,
        round(sum(shares) / len(shares)) if shares else None,
        sum(1 for s in shares if s >= required) if required is not None else None,
        len(shares),
        required,
        round(rating, 1) if rating is not None else None,
    )
