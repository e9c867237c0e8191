"""Demo learning calendar: the Bayshore program's year-round sessions, past and future.

- A monthly learning forum on the first Tuesday, from three months ago for seven months
  (speaker and topic, capacity 30, at Mariposa Bay City Hall and online), with the program's
  alumni (Jordan Ellis and Kevin Tran, back from the closed cycle's placements) invited;
  attendance taken at the past ones and Jordan's feedback on the first.
- A book club meeting hosted by the City of Cedar Hollow next month.
- The closed cycle's kick-off and graduation, in the past.
- A thread in the program's community of practice, with a reply; a reading list on the
  first forum; the completion rule (75% of sessions).

Everything goes through the services, as the administrator and the alumni would do it.
``seed_learning`` is idempotent: it does nothing when the forum series exists.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import TextIOBase

from django.db import transaction
from django.utils import timezone

from talent_exchange.accounts.models import User
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Cycle, Program

from . import services
from .models import Attendance, Kind, Series, Session
from .recurrence import zone

PROGRAM = "Bayshore Management Talent Exchange Program"
CLOSED_CYCLE = "2026 Spring Exchange"
FORUM = "Leadership learning forum"
PLACE = "Mariposa Bay City Hall, Council Chambers"
TIME_ZONE = "America/Los_Angeles"


def _months_back(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def seed_learning(stdout: TextIOBase | None = None, *, today: date | None = None) -> int:
    """Create the demo calendar when missing; returns how many sessions were created."""
    program = Program.objects.filter(name=PROGRAM).first()
    if program is None or Series.objects.filter(program=program, title=FORUM).exists():
        return 0
    admin = User.objects.get(username="admin")
    found = [
        Person.objects.filter(first_name=first, last_name=last).select_related("user").first()
        for first, last in (("Jordan", "Ellis"), ("Kevin", "Tran"))
    ]
    jordan, kevin = found
    if jordan is None or kevin is None or jordan.user is None or kevin.user is None:
        if stdout:
            stdout.write("Demo learning: the placements' alumni are missing; skipped.\n")
        return 0
    today = timezone.localdate()
    first = _months_back(today, 3)
    with transaction.atomic():
        forum = services.create_series(
            Series(
                program=program,
                kind=Kind.FORUM,
                title=FORUM,
                rule="FREQ=MONTHLY;BYDAY=+1TU",
                first_day=first,
                last_day=_months_back(first, -7) - timedelta(days=1),
                start_time=time(16, 0),
                duration_minutes=90,
                time_zone=TIME_ZONE,
                place=PLACE,
                online_link="https://meet.example.org/bayshore-forum",
                capacity=30,
                speaker="Dr. Renée Okafor, former City Manager of Harbor Point",
                topic="Leading without authority across city departments",
            ),
            actor=admin,
            guests=services.Guests(alumni=True),
        )
        created = forum.sessions.count()
        book_day = _months_back(today, -1) + timedelta(days=9)
        created += _single(
            program,
            None,
            admin,
            Kind.BOOK_CLUB,
            "Bayshore book club",
            datetime.combine(book_day, time(12, 0)),
            60,
            place="Cedar Hollow Public Library, Room B",
            book="The First 90 Days, by Michael D. Watkins",
            host=Organization.objects.filter(name="City of Cedar Hollow").first(),
        )
        cycle = Cycle.objects.filter(program=program, name=CLOSED_CYCLE).first()
        if cycle is not None:
            created += _single(
                program, cycle, admin, Kind.KICKOFF, "Cohort kick-off",
                datetime.combine(today - timedelta(days=300), time(9, 0)), 180, place=PLACE,
            )  # fmt: skip
            created += _single(
                program, cycle, admin, Kind.GRADUATION, "Graduation and reception",
                datetime.combine(today - timedelta(days=60), time(17, 0)), 120, place=PLACE,
            )  # fmt: skip
        past = forum.sessions.filter(starts_at__lt=timezone.now()).order_by("starts_at")
        for number, session in enumerate(past):
            marks: dict[int, str] = {
                i.pk: Attendance.PRESENT
                if i.person_id == jordan.pk or number % 2 == 0
                else Attendance.EXCUSED
                for i in session.invitations.all()
            }
            services.record_attendance(session, marks, actor=admin)
        if past:
            services.leave_feedback(
                past[0],
                5,
                "Hearing how another city runs budget hearings changed how I prepare mine.",
                actor=jordan.user,
            )
        services.set_completion_rule(program, 75, actor=admin)
        services.add_material(
            forum.sessions.order_by("starts_at")[0],
            "Reading list: leading across departments",
            actor=admin,
            url="https://example.org/bayshore/reading-list",
        )
        thread = services.start_thread(
            program,
            None,
            "What helped you most in your first month back home?",
            "I am three weeks back at Mariposa Bay. What did you do first to use what you "
            "learned on assignment?",
            actor=kevin.user,
        )
        services.reply(
            thread,
            "I booked a lunch with each division head in my first fortnight and told them one "
            "thing the host city does better. It opened more doors than any report.",
            actor=jordan.user,
        )
    if stdout:
        stdout.write(f"Demo learning: {created} sessions created.\n")
    return created


def _single(
    program: Program,
    cycle: Cycle | None,
    admin: User,
    kind: str,
    title: str,
    local_start: datetime,
    minutes: int,
    *,
    place: str = "",
    book: str = "",
    host: Organization | None = None,
) -> int:
    start = timezone.make_aware(local_start, zone(TIME_ZONE))
    session = Session(
        program=program,
        cycle=cycle,
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        time_zone=TIME_ZONE,
        place=place,
        book=book,
        host_organization=host,
    )
    services.create_session(session, actor=admin, guests=services.Guests(alumni=True))
    return 1
