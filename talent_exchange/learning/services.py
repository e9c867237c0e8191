"""Writes of the learning app: each checks the permission, runs in one transaction, locks the
rows it changes and names the actor in the history. E-mail goes through ``notify``."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.notifications.services import absolute_url, notify
from talent_exchange.people.models import Person
from talent_exchange.placements.models import Placement
from talent_exchange.programs.models import Cycle, Program

from . import grouping
from .access import ALUMNI_STATES, forget_scope
from .models import (
    POST_WORKFLOW,
    SESSION_WORKFLOW,
    Attendance,
    CalendarFeed,
    Circle,
    CompletionRule,
    Feedback,
    Invitation,
    Material,
    Post,
    Response,
    Series,
    Session,
    Thread,
)
from .recurrence import expand, zone

__all__ = ["zone"]  # the views and the demo read a session's time zone through the services

# ---------------------------------------------------------------------------------------------
# Who is invited
# ---------------------------------------------------------------------------------------------


def cohort_people(
    program: Program, cycle: Cycle | None, *, supervisors: bool = False, alumni: bool = False
) -> QuerySet[Person]:
    """The cohort of a cycle (or, program-wide, of every cycle of the program): the
    participants and their coaches, and on request the home supervisors and the program's
    alumni."""
    placements = Placement.objects.filter(program=program)
    current = placements.exclude(status__in=ALUMNI_STATES)
    if cycle is not None:
        current = current.filter(cycle=cycle)
    wanted = Q(pk__in=current.values("person_id")) | Q(pk__in=current.values("coach_id"))
    if supervisors:
        wanted |= Q(pk__in=current.values("home_supervisor_id"))
    if alumni:
        wanted |= Q(pk__in=placements.filter(status__in=ALUMNI_STATES).values("person_id"))
    return Person.objects.filter(wanted).select_related("user", "organization")


def _recipient(person: Person) -> Any:
    return person.user if person.user_id else person.work_email


def _session_link(session: Session) -> str:
    return absolute_url(reverse("learning:session", args=[session.pk]))


def invite(session: Session, people: Iterable[Person], *, actor: Any) -> int:
    """Invite people to a session (those invited already are left as they are); returns how
    many were new. Each new guest is e-mailed once."""
    require(
        actor, "learning.manage_session", session, _("Only the program's administrators invite.")
    )
    SESSION_WORKFLOW.require(session, "move", actor=actor)  # a cancelled session invites nobody
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        existing = set(session.invitations.values_list("person_id", flat=True))
        added = 0
        for person in people:
            if person.pk in existing:
                continue
            invitation = Invitation(session=session, person=person)
            attribute_to(invitation, actor).save()
            existing.add(person.pk)
            added += 1
            if session.series_id is None:
                notify(
                    "learning/invited",
                    [_recipient(person)],
                    {"session": session, "link": _session_link(session)},
                    key=f"learning:session:{session.pk}:invited:{person.pk}",
                )
    return added


def invite_cohort(
    session: Session, *, actor: Any, supervisors: bool = False, alumni: bool = False
) -> int:
    """Invite the session's cohort (or its circle's members); safe to repeat."""
    if session.circle_id is not None:
        people: Iterable[Person] = Person.objects.filter(circles=session.circle_id)
    else:
        program = Program.objects.get(pk=session.program_id)
        cycle = Cycle.objects.get(pk=session.cycle_id) if session.cycle_id else None
        people = cohort_people(program, cycle, supervisors=supervisors, alumni=alumni)
    return invite(session, people, actor=actor)


# ---------------------------------------------------------------------------------------------
# Series and sessions
# ---------------------------------------------------------------------------------------------


def _check_place(session: Session | Series) -> None:
    if not session.place.strip() and not session.online_link.strip():
        raise ActionRefused(_("Give a place, an online link, or both."))


def _scope_of(item: Session | Series) -> Program | Cycle:
    if item.cycle_id:
        cycle = Cycle.objects.get(pk=item.cycle_id)
        if cycle.program_id != item.program_id:
            raise ActionRefused(_("That cycle belongs to another program."))
        return cycle
    return Program.objects.get(pk=item.program_id)


@dataclass(frozen=True)
class Guests:
    supervisors: bool = False
    alumni: bool = False


def create_series(series: Series, *, actor: Any, guests: Guests = Guests()) -> Series:
    """Save the series and expand it into its sessions (refused whole when the rule gives no
    date or too many), then invite the cohort and e-mail each guest once for the series."""
    require(
        actor,
        "learning.manage_calendar",
        _scope_of(series),
        _("Only the program's administrators plan its calendar."),
    )
    _check_place(series)
    occurrences = expand(
        series.rule,
        series.first_day,
        series.last_day,
        series.start_time,
        series.duration_minutes,
        series.time_zone,
    )
    with transaction.atomic():
        series.created_by = actor
        attribute_to(series, actor).save()
        sessions = []
        for occurrence in occurrences:
            session = Session(
                series=series,
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                organiser=actor,
                **_shared_fields(series),
            )
            attribute_to(session, actor).save()
            sessions.append(session)
        people = _guests_of(sessions[0], guests)
        for session in sessions:
            invite(session, people, actor=actor)
        for person in people:
            notify(
                "learning/invited_series",
                [_recipient(person)],
                {
                    "series": series,
                    "sessions": sessions,
                    "link": absolute_url(reverse("learning:session", args=[sessions[0].pk])),
                },
                key=f"learning:series:{series.pk}:invited:{person.pk}",
            )
    return series


def _shared_fields(series: Series) -> dict[str, Any]:
    names = (
        "program_id",
        "cycle_id",
        "circle_id",
        "kind",
        "title",
        "title_fr",
        "place",
        "online_link",
        "capacity",
        "speaker",
        "topic",
        "topic_fr",
        "book",
        "host_organization_id",
        "time_zone",
    )
    return {name: getattr(series, name) for name in names}


def _guests_of(session: Session, guests: Guests) -> list[Person]:
    if session.circle_id is not None:
        return list(Person.objects.filter(circles=session.circle_id))
    program = Program.objects.get(pk=session.program_id)
    cycle = Cycle.objects.get(pk=session.cycle_id) if session.cycle_id else None
    return list(cohort_people(program, cycle, supervisors=guests.supervisors, alumni=guests.alumni))


def create_session(session: Session, *, actor: Any, guests: Guests = Guests()) -> Session:
    """One session outside any series (a kick-off, a graduation), with its cohort invited."""
    require(
        actor,
        "learning.manage_calendar",
        _scope_of(session),
        _("Only the program's administrators plan its calendar."),
    )
    _check_times(session.starts_at, session.ends_at)
    _check_place(session)
    zone(session.time_zone)
    with transaction.atomic():
        session.organiser = actor
        attribute_to(session, actor).save()
        invite(session, _guests_of(session, guests), actor=actor)
    return session


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ActionRefused(_("A session must end after it starts."))


def change_session(session: Session, changes: dict[str, Any], *, actor: Any) -> Session:
    """Move a session or change its place, link or capacity. When the time or the place
    changes, everyone invited is told; a larger capacity promotes from the waitlist."""
    _check_times(
        changes.get("starts_at", session.starts_at), changes.get("ends_at", session.ends_at)
    )
    with transaction.atomic():
        before = Session.objects.get(pk=session.pk)
        merged = {
            "place": changes.get("place", before.place),
            "online_link": changes.get("online_link", before.online_link),
        }
        if not merged["place"].strip() and not merged["online_link"].strip():
            raise ActionRefused(_("Give a place, an online link, or both."))
        saved = SESSION_WORKFLOW.perform(session, "move", actor=actor, **changes)
        moved = (before.starts_at, before.ends_at, before.place, before.online_link) != (
            saved.starts_at,
            saved.ends_at,
            saved.place,
            saved.online_link,
        )
        if moved:
            for invitation in _invited_to_tell(saved):
                notify(
                    "learning/moved",
                    [_recipient(invitation.person)],
                    {"session": saved, "before": before, "link": _session_link(saved)},
                )
        _promote(saved)
    return saved


def _invited_to_tell(session: Session) -> QuerySet[Invitation]:
    return session.invitations.exclude(response=Response.NO).select_related("person__user")


def cancel_session(session: Session, *, actor: Any, note: str = "") -> Session:
    with transaction.atomic():
        saved = SESSION_WORKFLOW.perform(session, "cancel", actor=actor, note=note)
        record = saved.transitions.order_by("-pk").first()
        for invitation in _invited_to_tell(saved):
            notify(
                "learning/cancelled",
                [_recipient(invitation.person)],
                {"session": saved, "note": note, "link": _session_link(saved)},
                key=f"learning:session:{saved.pk}:cancelled:{record.pk if record else 0}:"
                f"{invitation.person_id}",
            )
    return saved


def reinstate_session(session: Session, *, actor: Any, note: str = "") -> Session:
    return SESSION_WORKFLOW.perform(session, "reinstate", actor=actor, note=note)


# ---------------------------------------------------------------------------------------------
# RSVP and the waitlist
# ---------------------------------------------------------------------------------------------


def respond(session: Session, answer: str, *, actor: Any) -> Invitation:
    """The signed-in person's answer to their invitation. A yes beyond the capacity joins the
    waitlist at its end; a confirmed place given up goes to the first on the waitlist. The
    session row is locked, so two answers at once never confirm more than the capacity."""
    if answer not in Response.values or answer == Response.PENDING:
        raise ActionRefused(_("Answer yes, no or maybe."))
    SESSION_WORKFLOW.check_permission(session, "rsvp", actor=actor)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        SESSION_WORKFLOW.require(locked, "rsvp", actor=actor)
        if locked.starts_at <= timezone.now():
            raise ActionRefused(_("This session has started or is over: answers are closed."))
        invitation: Invitation | None = (
            Invitation.objects.select_for_update()
            .filter(session=locked, person__user=actor)
            .first()
        )
        if invitation is None:
            raise ActionRefused(_("You are not invited to this session."))
        was_confirmed = invitation.is_confirmed
        if answer == Response.YES:
            if invitation.response != Response.YES:
                full = locked.capacity is not None and _confirmed_count(locked) >= locked.capacity
                invitation.waitlist_position = _next_position(locked) if full else None
        else:
            invitation.waitlist_position = None
        invitation.response = answer
        invitation.answered_at = timezone.now()
        attribute_to(invitation, actor).save()
        if was_confirmed and not invitation.is_confirmed:
            _promote(locked)
        _renumber(locked)
        invitation.refresh_from_db()
    return invitation


def _confirmed_count(session: Session) -> int:
    return session.invitations.confirmed().count()


def _next_position(session: Session) -> int:
    highest = session.invitations.aggregate(n=Max("waitlist_position"))["n"]
    return (highest or 0) + 1


def _promote(session: Session) -> list[Invitation]:
    """Fill free places from the waitlist, first in line first, each promoted person
    e-mailed. The caller holds the session's lock."""
    promoted: list[Invitation] = []
    if session.capacity is None:
        waiting = list(session.invitations.waitlisted().select_related("person__user"))
    else:
        free = session.capacity - session.invitations.confirmed().count()
        waiting = (
            list(session.invitations.waitlisted().select_related("person__user")[:free])
            if free > 0
            else []
        )
    for invitation in waiting:
        invitation.waitlist_position = None
        attribute_to(invitation, None).save()
        promoted.append(invitation)
        notify(
            "learning/promoted",
            [_recipient(invitation.person)],
            {"session": session, "link": _session_link(session)},
        )
    _renumber(session)
    return promoted


def _renumber(session: Session) -> None:
    """Waitlist positions 1, 2, 3… in the order people joined it."""
    for position, invitation in enumerate(session.invitations.waitlisted(), start=1):
        if invitation.waitlist_position != position:
            invitation.waitlist_position = position
            invitation.save(update_fields=["waitlist_position"])


# ---------------------------------------------------------------------------------------------
# Attendance and feedback
# ---------------------------------------------------------------------------------------------


def record_attendance(session: Session, marks: dict[int, str], *, actor: Any) -> int:
    """Marks by invitation id: present, absent or excused. Refused whole for a cancelled or
    future session, or an unknown invitation."""
    SESSION_WORKFLOW.check_permission(session, "take_attendance", actor=actor)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        SESSION_WORKFLOW.require(locked, "take_attendance", actor=actor)
        if locked.starts_at > timezone.now():
            raise ActionRefused(_("Attendance is taken once the session has started."))
        invitations = {i.pk: i for i in locked.invitations.select_for_update()}
        changed = 0
        for pk, mark in marks.items():
            if pk not in invitations:
                raise ActionRefused(_("Someone in this list is not invited to the session."))
            if mark not in Attendance.values:
                raise ActionRefused(_("Mark each person present, absent or excused."))
            invitation = invitations[pk]
            if invitation.attendance != mark:
                invitation.attendance = mark
                attribute_to(invitation, actor).save()
                changed += 1
    return changed


def leave_feedback(session: Session, rating: int, comment: str, *, actor: Any) -> Feedback:
    require(actor, "learning.give_feedback", session, _("Only people who came give feedback."))
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(session=session, person__user=actor)
            .first()
        )
        if invitation is None or not invitation.attended:
            raise ActionRefused(
                _("Only people marked present at this session can give feedback on it.")
            )
        if not 1 <= rating <= 5:
            raise ActionRefused(_("Give a rating from 1 to 5."))
        if Feedback.objects.filter(session=session, person_id=invitation.person_id).exists():
            raise ActionRefused(_("You have already given feedback on this session."))
        return Feedback.objects.create(
            session=session, person_id=invitation.person_id, rating=rating, comment=comment
        )


def set_completion_rule(program: Program, percent: int, *, actor: Any) -> CompletionRule:
    require(actor, "learning.manage_calendar", program, _("Only the program's administrators."))
    if not 0 <= percent <= 100:
        raise ActionRefused(_("Give a share between 0 and 100 per cent."))
    with transaction.atomic():
        rule = CompletionRule.objects.select_for_update().filter(program=program).first()
        rule = rule or CompletionRule(program=program)
        rule.min_attendance_percent = percent
        attribute_to(rule, actor).save()
    return rule


# ---------------------------------------------------------------------------------------------
# Calendar feeds
# ---------------------------------------------------------------------------------------------


def _own_person(actor: Any) -> Person:
    require(actor, "learning.own_calendar_feed", None, _("A calendar needs a talent profile."))
    return Person.objects.get(user=actor)


def new_feed(*, actor: Any) -> CalendarFeed:
    """A new secret address for the signed-in person's calendar; the old one stops working."""
    person = _own_person(actor)
    with transaction.atomic():
        CalendarFeed.objects.filter(person=person).delete()
        return CalendarFeed.objects.create(person=person, token=secrets.token_urlsafe(32))


def revoke_feed(*, actor: Any) -> int:
    person = _own_person(actor)
    deleted, _detail = CalendarFeed.objects.filter(person=person).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# Peer circles
# ---------------------------------------------------------------------------------------------


def form_circles(
    program: Program,
    cycle: Cycle | None,
    *,
    actor: Any,
    min_size: int = 4,
    max_size: int = 6,
) -> list[Circle]:
    """Form the cohort's circles afresh (grouping.form): the cohort's earlier circles of
    this cycle are replaced."""
    scope: Program | Cycle = cycle if cycle is not None else program
    require(actor, "learning.manage_circles", scope, _("Only the program's administrators."))
    if not 2 <= min_size <= max_size <= 12:
        raise ActionRefused(_("Circles hold between 2 and 12 people, the smallest size first."))
    people = list(cohort_people(program, cycle))
    if len(people) < min_size:
        raise ActionRefused(
            _("The cohort has %(n)s people: too few for a circle of %(min)s.")
            % {"n": len(people), "min": min_size}
        )
    coaches = set(Placement.objects.filter(program=program).values_list("coach_id", flat=True))
    members = [
        grouping.Member(
            p.pk, p.organization_id, (1 if p.pk in coaches else 0, p.last_name, p.first_name)
        )
        for p in people
    ]
    by_pk = {p.pk: p for p in people}
    groups = grouping.form(members, min_size, max_size)
    with transaction.atomic():
        Circle.objects.filter(program=program, cycle=cycle).delete()
        circles = []
        for number, group in enumerate(groups, start=1):
            circle = Circle(program=program, cycle=cycle, name=_("Circle %(n)s") % {"n": number})
            attribute_to(circle, actor).save()
            circle.members.set([by_pk[int(str(m.key))] for m in group])
            circles.append(circle)
    forget_scope(actor)
    return circles


# ---------------------------------------------------------------------------------------------
# Community of practice
# ---------------------------------------------------------------------------------------------


def start_thread(
    program: Program,
    cycle: Cycle | None,
    title: str,
    body: str,
    *,
    actor: Any,
    title_fr: str = "",
) -> Thread:
    scope: Program | Cycle = cycle if cycle is not None else program
    require(
        actor,
        "learning.post_thread",
        scope,
        _("Only the cohort, its alumni and the program's administrators post here."),
    )
    if not title.strip() or not body.strip():
        raise ActionRefused(_("Give the thread a title and a first message."))
    with transaction.atomic():
        thread = Thread(
            program=program,
            cycle=cycle,
            title=title.strip(),
            title_fr=title_fr.strip(),
            author=actor,
            last_post_at=timezone.now(),
        )
        attribute_to(thread, actor).save()
        post = Post(thread=thread, author=actor, body=body.strip())
        attribute_to(post, actor).save()
    return thread


def reply(thread: Thread, body: str, *, actor: Any) -> Post:
    """A reply; everyone who wrote in the thread before (but the replier) is e-mailed."""
    require(
        actor,
        "learning.reply_thread",
        thread,
        _("Only the cohort, its alumni and the program's administrators post here."),
    )
    if not body.strip():
        raise ActionRefused(_("Write a message."))
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        post = Post(thread=locked, author=actor, body=body.strip())
        attribute_to(post, actor).save()
        locked.last_post_at = post.created_at
        attribute_to(locked, actor).save()
        earlier = (
            Post.objects.filter(thread=locked)
            .exclude(author=actor)
            .values_list("author_id", flat=True)
            .distinct()
        )
        from talent_exchange.accounts.models import User

        link = absolute_url(reverse("learning:thread", args=[locked.pk]) + f"#post-{post.pk}")
        for user in User.objects.filter(pk__in=earlier):
            notify(
                "learning/reply",
                [user],
                {"thread": locked, "post": post, "author": actor, "link": link},
                key=f"learning:post:{post.pk}:reply:{user.pk}",
            )
    return post


def hide_post(post: Post, reason: str, *, actor: Any) -> Post:
    return POST_WORKFLOW.perform(post, "hide", actor=actor, note=reason)


def restore_post(post: Post, note: str, *, actor: Any) -> Post:
    return POST_WORKFLOW.perform(post, "restore", actor=actor, note=note)


# ---------------------------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# What the first bytes of a file of each kind look like: a renamed program is refused.
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".pptx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def check_upload(name: str, data: bytes) -> tuple[str, str]:
    """(file name, content type) of an allowed upload, or ActionRefused saying why not."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    extension = ("." + base.rsplit(".", 1)[-1].lower()) if "." in base else ""
    if extension not in ALLOWED_TYPES:
        raise ActionRefused(
            _("Files of this type cannot be shared. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_TYPES))}
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise ActionRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ActionRefused(_("The file is empty."))
    signatures = SIGNATURES.get(extension)
    if signatures and not data.startswith(signatures):
        raise ActionRefused(_("The file's content does not match its type."))
    if extension in (".txt", ".md"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ActionRefused(_("A text file must be written in UTF-8.")) from None
    return base, ALLOWED_TYPES[extension]


def add_material(
    owner: Session | Thread,
    title: str,
    *,
    actor: Any,
    url: str = "",
    upload: Any = None,
) -> Material:
    """A link or a file (checked: type, content, size) on a session or a thread."""
    perm = (
        "learning.add_session_material"
        if isinstance(owner, Session)
        else "learning.add_thread_material"
    )
    require(actor, perm, owner, _("You may not add material here."))
    if bool(url) == (upload is not None):
        raise ActionRefused(_("Give either a link or a file."))
    material = Material(title=title.strip() or (url or getattr(upload, "name", "")), added_by=actor)
    if isinstance(owner, Session):
        material.session = owner
    else:
        material.thread = owner
    if upload is not None:
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        material.file_name, material.content_type = check_upload(upload.name, data)
        material.data = data
        material.size = len(data)
    else:
        if not url.startswith(("https://", "http://")):
            raise ActionRefused(_("A link starts with https:// or http://."))
        material.url = url
    with transaction.atomic():
        material.save()
    return material
