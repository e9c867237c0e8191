"""Learning pages: the cohort calendar, a session (RSVP, attendance, feedback, materials,
.ics), the personal calendar feed, peer circles and the community of practice."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_exchange.core.permissions import permission_for_object, permission_required
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform, perform_form
from talent_exchange.notifications.services import absolute_url
from talent_exchange.people.models import Person
from talent_exchange.placements.models import Evaluation
from talent_exchange.programs.models import Cycle, Program

from . import presenters, services
from .calendars import calendar_of, person_calendar
from .forms import (
    AttendanceForm,
    CancelForm,
    CircleForm,
    CompletionRuleForm,
    FeedbackForm,
    HideForm,
    InviteForm,
    MaterialForm,
    MoveForm,
    ReplyForm,
    RsvpForm,
    SeriesForm,
    SessionForm,
    ThreadForm,
)
from .models import (
    SESSION_WORKFLOW,
    CalendarFeed,
    Circle,
    CompletionRule,
    Invitation,
    Material,
    Post,
    Response,
    Session,
    Thread,
)

CYCLES = Cycle.objects.select_related("program")
SESSIONS = Session.objects.select_related("program", "cycle", "circle", "host_organization")
THREADS = Thread.objects.select_related("program", "cycle", "author")


# ---------------------------------------------------------------------------------------------
# The calendar
# ---------------------------------------------------------------------------------------------


def _calendar(request, program, cycle):
    scope = cycle or program
    sessions = Session.objects.visible_to(request.user).filter(program=program)
    sessions = sessions.filter(cycle=cycle) if cycle else sessions.filter(cycle__isnull=True)
    sessions = (
        sessions.select_related("circle")
        .annotate(invited=Count("invitations"))
        .order_by("starts_at", "pk")
    )
    when = request.GET.get("when", "upcoming")
    now = timezone.now()
    sessions = (
        sessions.filter(ends_at__lt=now).reverse()
        if when == "past"
        else sessions.filter(ends_at__gte=now)
    )
    page = Paginator(sessions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    mine = {}
    person_id = Person.objects.filter(user=request.user).values_list("pk", flat=True).first()
    if person_id:
        mine = dict(
            Invitation.objects.filter(
                person_id=person_id, session__in=[s.pk for s in page.object_list]
            ).values_list("session_id", "response")
        )
    can_manage = request.user.has_perm("learning.manage_calendar", scope)
    rule = CompletionRule.objects.filter(program=program).first()
    return render(
        request,
        "learning/calendar.html",
        {
            "program": program,
            "cycle": cycle,
            "page_obj": page,
            "rows": [(s, _answer(mine.get(s.pk))) for s in page.object_list],
            "when": when,
            "can_manage": can_manage,
            "cycles": Cycle.objects.filter(program=program).order_by("-pk"),
            "rule_form": CompletionRuleForm(
                initial={"percent": rule.min_attendance_percent if rule else 75}
            )
            if can_manage and cycle is None
            else None,
            "rule": rule,
        },
    )


def _answer(code: str | None) -> str:
    return str(Response(code).label) if code else ""


@permission_for_object("learning.view_calendar", CYCLES)
def cycle_calendar(request, cycle):
    return _calendar(request, cycle.program, cycle)


@permission_for_object("learning.view_calendar", Program)
def program_calendar(request, program):
    return _calendar(request, program, None)


@permission_for_object("learning.manage_calendar", Program)
@submitted_once
def series_create(request, program):
    form = SeriesForm(request.POST or None, program=program, initial=_initial_cycle(request))
    return perform_form(
        request,
        form,
        lambda d: services.create_series(
            form.save(commit=False),
            actor=request.user,
            guests=services.Guests(d["invite_supervisors"], d["invite_alumni"]),
        ),
        success=lambda series: (
            _("The series “%(title)s” has %(n)s sessions; the cohort is invited.")
            % {"title": series.local_title, "n": series.sessions.count()}
        ),
        then=lambda series: redirect(_calendar_url(series)),
        template="learning/series_form.html",
        context={"program": program},
    )


def _initial_cycle(request) -> dict:
    cycle = request.GET.get("cycle", "")
    return {"cycle": cycle} if cycle.isdigit() else {}


def _calendar_url(item) -> str:
    if item.cycle_id:
        return reverse("learning:cycle_calendar", args=[item.cycle_id])
    return reverse("learning:program_calendar", args=[item.program_id])


@permission_for_object("learning.manage_calendar", Program)
@submitted_once
def session_create(request, program):
    form = SessionForm(request.POST or None, program=program, initial=_initial_cycle(request))
    return _session_form(request, form, program, None)


@permission_for_object("learning.manage_circles", Circle.objects.select_related("program"))
@submitted_once
def circle_session_create(request, circle):
    form = SessionForm(request.POST or None, program=circle.program, circle=circle)
    return _session_form(request, form, circle.program, circle)


def _session_form(request, form, program, circle):
    return perform_form(
        request,
        form,
        lambda d: services.create_session(
            form.save(commit=False),
            actor=request.user,
            guests=services.Guests(
                d.get("invite_supervisors", False), d.get("invite_alumni", False)
            ),
        ),
        success=lambda s: (
            _("The session “%(title)s” is on the calendar.") % {"title": s.local_title}
        ),
        then=lambda s: redirect("learning:session", pk=s.pk),
        template="learning/session_form.html",
        context={"program": program, "circle": circle},
    )


@require_POST
@permission_for_object("learning.manage_calendar", Program)
def completion_rule(request, program):
    form = CompletionRuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a share between 0 and 100 per cent."))
        return redirect("learning:program_calendar", pk=program.pk)
    return perform(
        request,
        lambda: services.set_completion_rule(
            program, form.cleaned_data["percent"], actor=request.user
        ),
        success=_("The completion rule was saved."),
        then=redirect("learning:program_calendar", pk=program.pk),
    )


# ---------------------------------------------------------------------------------------------
# A session
# ---------------------------------------------------------------------------------------------


@permission_for_object("learning.view_session", SESSIONS)
def session_detail(request, session):
    """The session, the signed-in person's answer, and for the organisers the people invited
    (a page at a time: a program-wide session may invite thousands)."""
    user = request.user
    mine = (
        Invitation.objects.filter(session=session, person__user=user)
        .select_related("person")
        .first()
    )
    can_manage = user.has_perm("learning.manage_session", session)
    can_read_feedback = user.has_perm("learning.read_feedback", session)
    actions = SESSION_WORKFLOW.available_names(session, user)
    started = session.starts_at <= timezone.now()
    page = None
    if can_manage or can_read_feedback:
        invitations = session.invitations.select_related("person__organization").order_by(
            F("waitlist_position").asc(nulls_first=True),
            "person__last_name",
            "person__first_name",
            "pk",
        )
        page = Paginator(invitations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/session_detail.html",
        {
            "session": session,
            "program": session.program,
            "cycle": session.cycle,
            "page_obj": page,
            "invitations": page.object_list if page else [],
            "seats": presenters.seats(session),
            "mine": mine,
            "rsvp_form": RsvpForm(initial={"answer": mine.response})
            if mine and "rsvp" in actions and not started
            else None,
            "can_manage": can_manage,
            "actions": actions,
            "started": started,
            "cancel_form": CancelForm() if "cancel" in actions else None,
            "invite_form": InviteForm() if can_manage and "move" in actions else None,
            "can_take_attendance": "take_attendance" in actions and started,
            "can_give_feedback": bool(mine and mine.attended)
            and not session.feedback.filter(person_id=mine.person_id).exists(),
            "summary": presenters.feedback_summary(session) if can_read_feedback else None,
            "materials": session.materials.defer("data"),
            "material_form": MaterialForm()
            if user.has_perm("learning.add_session_material", session)
            else None,
        },
    )


@permission_for_object("learning.manage_session", SESSIONS)
def session_edit(request, session):
    start = timezone.localtime(session.starts_at, services.zone(session.time_zone))
    end = timezone.localtime(session.ends_at, services.zone(session.time_zone))
    form = MoveForm(
        request.POST or None,
        session=session,
        initial={
            "day": start.date(),
            "starts": start.time(),
            "ends": end.time(),
            "place": session.place,
            "online_link": session.online_link,
            "capacity": session.capacity,
        },
    )
    return perform_form(
        request,
        form,
        lambda _d: services.change_session(session, form.changes(), actor=request.user),
        success=_("The session was changed; everyone invited is told."),
        then=redirect("learning:session", pk=session.pk),
        template="learning/session_edit.html",
        context={"session": session, "program": session.program, "cycle": session.cycle},
    )


@require_POST
@permission_for_object("learning.manage_session", SESSIONS)
def session_cancel(request, session):
    form = CancelForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return perform(
        request,
        lambda: services.cancel_session(session, actor=request.user, note=note),
        success=_("The session is cancelled; everyone invited is told."),
        then=redirect("learning:session", pk=session.pk),
    )


@require_POST
@permission_for_object("learning.manage_session", SESSIONS)
def session_reinstate(request, session):
    return perform(
        request,
        lambda: services.reinstate_session(session, actor=request.user),
        success=_("The session is back on the calendar."),
        then=redirect("learning:session", pk=session.pk),
    )


@require_POST
@permission_for_object("learning.manage_session", SESSIONS)
def session_invite(request, session):
    form = InviteForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return perform(
        request,
        lambda: services.invite_cohort(
            session,
            actor=request.user,
            supervisors=data.get("invite_supervisors", False),
            alumni=data.get("invite_alumni", False),
        ),
        success=lambda n: _("%(n)s more people were invited.") % {"n": n},
        then=redirect("learning:session", pk=session.pk),
    )


@require_POST
@permission_for_object("learning.rsvp_session", SESSIONS)
def rsvp(request, session):
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes, no or maybe."))
        return redirect("learning:session", pk=session.pk)
    return perform(
        request,
        lambda: services.respond(session, form.cleaned_data["answer"], actor=request.user),
        success=_rsvp_message,
        then=redirect("learning:session", pk=session.pk),
    )


def _rsvp_message(invitation: Invitation) -> str:
    if invitation.is_waitlisted:
        return _(
            "The session is full: you are number %(n)s on the waitlist. We will e-mail you "
            "if a place frees up."
        ) % {"n": invitation.waitlist_position}
    return _("Your answer is saved: %(answer)s.") % {
        "answer": invitation.get_response_display().lower()
    }


@permission_for_object("learning.take_attendance", SESSIONS)
def attendance(request, session):
    invitations = session.invitations.select_related("person").exclude(response=Response.NO)
    form = AttendanceForm(request.POST or None, invitations=invitations)
    return perform_form(
        request,
        form,
        lambda _d: services.record_attendance(session, form.marks(), actor=request.user),
        success=_("Attendance is saved."),
        then=redirect("learning:session", pk=session.pk),
        template="learning/attendance.html",
        context={"session": session, "program": session.program, "cycle": session.cycle},
    )


@permission_for_object("learning.give_feedback", SESSIONS)
def feedback(request, session):
    form = FeedbackForm(request.POST or None)
    return perform_form(
        request,
        form,
        lambda d: services.leave_feedback(session, d["rating"], d["comment"], actor=request.user),
        success=_("Thank you for your feedback."),
        then=redirect("learning:session", pk=session.pk),
        template="learning/feedback.html",
        context={"session": session, "program": session.program, "cycle": session.cycle},
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@permission_for_object("learning.view_session", SESSIONS)
def session_ics(request, session):
    return _ics(calendar_of([session]), f"session-{slugify(session.title) or session.pk}")


# ---------------------------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------------------------


@require_POST
@permission_for_object("learning.add_session_material", SESSIONS)
def session_material(request, session):
    return _add_material(request, session, redirect("learning:session", pk=session.pk))


@require_POST
@permission_for_object("learning.add_thread_material", THREADS)
def thread_material(request, thread):
    return _add_material(request, thread, redirect("learning:thread", pk=thread.pk))


def _add_material(request, owner, then):
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return then
    data = form.cleaned_data
    return perform(
        request,
        lambda: services.add_material(
            owner, data["title"], actor=request.user, url=data["url"], upload=data["file"]
        ),
        success=_("The material was added."),
        then=then,
    )


@permission_for_object(
    "learning.view_material", Material.objects.select_related("session", "thread")
)
def material(request, material):
    if not material.is_file:
        return redirect(material.url)
    response = HttpResponse(bytes(material.data), content_type=material.content_type)
    response["Content-Disposition"] = f'attachment; filename="{material.file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------
# The personal calendar feed
# ---------------------------------------------------------------------------------------------


@permission_required("learning.own_calendar_feed")
def my_calendar(request):
    person = Person.objects.get(user=request.user)
    feed = CalendarFeed.objects.filter(person=person).first()
    return render(
        request,
        "learning/my_calendar.html",
        {
            "feed_url": absolute_url(reverse("learning:feed", args=[feed.token])) if feed else "",
            "sessions": Session.objects.for_person(person.pk).upcoming(timezone.now())[:20],
        },
    )


@require_POST
@permission_required("learning.own_calendar_feed")
def feed_new(request):
    return perform(
        request,
        lambda: services.new_feed(actor=request.user),
        success=_("Your calendar has a new secret address; the old one no longer works."),
        then=redirect("learning:my_calendar"),
    )


@require_POST
@permission_required("learning.own_calendar_feed")
def feed_revoke(request):
    return perform(
        request,
        lambda: services.revoke_feed(actor=request.user),
        success=_("Your calendar address is revoked: calendars subscribed to it stop updating."),
        then=redirect("learning:my_calendar"),
    )


@login_not_required
def feed(request, token):
    """The one page open without signing in: the secret token is the key (revocable)."""
    found = CalendarFeed.objects.filter(token=token).values_list("person_id", flat=True).first()
    if found is None:
        raise Http404
    response = HttpResponse(person_calendar(found), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# ---------------------------------------------------------------------------------------------
# Peer circles
# ---------------------------------------------------------------------------------------------


@permission_for_object("learning.view_calendar", Program)
def circles(request, program):
    can_manage = request.user.has_perm("learning.manage_circles", program)
    form = CircleForm(request.POST or None, program=program) if can_manage else None
    if request.method == "POST" and form is not None:
        return perform_form(
            request,
            form,
            lambda d: services.form_circles(
                program,
                d["cycle"],
                actor=request.user,
                min_size=d["min_size"],
                max_size=d["max_size"],
            ),
            success=lambda made: _("%(n)s circles were formed.") % {"n": len(made)},
            then=redirect("learning:circles", pk=program.pk),
            template="learning/circles.html",
            context=_circles_context(request, program, can_manage),
        )
    return render(
        request,
        "learning/circles.html",
        {"form": form, **_circles_context(request, program, can_manage)},
    )


def _circles_context(request, program, can_manage) -> dict:
    rows = (
        Circle.objects.visible_to(request.user)
        .filter(program=program)
        .select_related("cycle")
        .prefetch_related("members__organization")
        .order_by("cycle_id", "pk")
    )
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "program": program,
        "circles": page.object_list,
        "page_obj": page,
        "can_manage": can_manage,
    }


@permission_for_object("learning.view_circle", Circle.objects.select_related("program", "cycle"))
def circle_detail(request, circle):
    return render(
        request,
        "learning/circle_detail.html",
        {
            "circle": circle,
            "program": circle.program,
            "members": circle.members.select_related("organization").order_by("last_name"),
            "sessions": Session.objects.filter(circle=circle).order_by("starts_at"),
            "can_manage": request.user.has_perm("learning.manage_circles", circle),
        },
    )


# ---------------------------------------------------------------------------------------------
# The community of practice
# ---------------------------------------------------------------------------------------------


def _forum(request, program, cycle):
    scope = cycle or program
    threads = Thread.objects.visible_to(request.user).filter(program=program)
    threads = threads.filter(cycle=cycle) if cycle else threads.filter(cycle__isnull=True)
    threads = (
        threads.select_related("author")
        .annotate(replies=Count("posts"))
        .order_by("-last_post_at", "-pk")
    )
    page = Paginator(threads, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    lessons = (
        Evaluation.objects.shared_lessons()
        .filter(placement__program=program)
        .select_related("placement__person", "placement__host_organization")
        .order_by("-submitted_at")
    )
    if cycle:
        lessons = lessons.filter(placement__cycle=cycle)
    can_post = request.user.has_perm("learning.post_thread", scope)
    return render(
        request,
        "learning/forum.html",
        {
            "program": program,
            "cycle": cycle,
            "page_obj": page,
            "lessons": lessons[:5],
            "form": ThreadForm() if can_post else None,
        },
    )


@permission_for_object("learning.view_forum", CYCLES)
def cycle_forum(request, cycle):
    return _forum(request, cycle.program, cycle)


@permission_for_object("learning.view_forum", Program)
def program_forum(request, program):
    return _forum(request, program, None)


@require_POST
@permission_for_object("learning.post_thread", Program)
@submitted_once
def thread_create(request, program):
    form = ThreadForm(request.POST)
    cycle_pk = request.POST.get("cycle", "")
    cycle = (
        Cycle.objects.filter(program=program, pk=cycle_pk).first() if cycle_pk.isdigit() else None
    )
    back = redirect(
        reverse("learning:cycle_forum", args=[cycle.pk])
        if cycle
        else reverse("learning:program_forum", args=[program.pk])
    )
    if not form.is_valid():
        messages.error(request, _("Give the thread a title and a first message."))
        return back
    data = form.cleaned_data
    return perform(
        request,
        lambda: services.start_thread(
            program,
            cycle,
            data["title"],
            data["body"],
            actor=request.user,
            title_fr=data["title_fr"],
        ),
        success=_("Your thread is posted."),
        then=back,
    )


@permission_for_object("learning.view_forum", THREADS)
def thread_detail(request, thread):
    user = request.user
    posts = list(thread.posts.select_related("author").order_by("created_at", "pk"))
    can_moderate = user.has_perm("learning.moderate_post", thread)
    can_reply = user.has_perm("learning.reply_thread", thread)
    form = ReplyForm(request.POST or None) if can_reply else None
    if request.method == "POST" and form is not None:
        return perform_form(
            request,
            form,
            lambda d: services.reply(thread, d["body"], actor=user),
            success=_("Your reply is posted."),
            then=lambda post: redirect(
                reverse("learning:thread", args=[thread.pk]) + f"#post-{post.pk}"
            ),
            template="learning/thread.html",
            context=_thread_context(thread, posts, can_moderate),
        )
    return render(
        request,
        "learning/thread.html",
        {"form": form, **_thread_context(thread, posts, can_moderate)},
    )


def _thread_context(thread, posts, can_moderate) -> dict:
    return {
        "thread": thread,
        "program": thread.program,
        "cycle": thread.cycle,
        "posts": posts,
        "can_moderate": can_moderate,
        "hide_form": HideForm() if can_moderate else None,
        "materials": thread.materials.defer("data"),
        "material_form": MaterialForm(),
    }


@require_POST
@permission_for_object("learning.moderate_post", Post.objects.select_related("thread"))
def post_hide(request, post):
    form = HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return perform(
        request,
        lambda: services.hide_post(post, reason, actor=request.user),
        success=_("The post is hidden; the reason is kept in its history."),
        then=redirect("learning:thread", pk=post.thread_id),
    )


@require_POST
@permission_for_object("learning.moderate_post", Post.objects.select_related("thread"))
def post_restore(request, post):
    return perform(
        request,
        lambda: services.restore_post(post, "", actor=request.user),
        success=_("The post is shown again."),
        then=redirect("learning:thread", pk=post.thread_id),
    )
