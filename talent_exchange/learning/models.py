"""Learning: a cohort's calendar (series expanding into sessions), invitations with RSVP and a
waitlist, attendance, feedback, personal calendar feeds, peer circles and a community of
practice per cohort and per program (docs/learning.md)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.core.bilingual import FRENCH_VERSION_HELP, Localized
from talent_exchange.core.models import TransitionRecord
from talent_exchange.core.workflow import Action, Workflow

from .access import scope_of


class Kind(models.TextChoices):
    KICKOFF = "kickoff", _("Kick-off")
    FORUM = "forum", _("Learning forum")
    SUPPORT = "support", _("Support session")
    BOOK_CLUB = "book_club", _("Book club")
    CIRCLE = "circle", _("Peer circle meeting")
    GRADUATION = "graduation", _("Graduation")


def _reach(roles, scope, prefix: str = "") -> Q:
    """Rows (sessions, threads, circles: anything with a program and an optional cycle) that
    a person reaches: their cohorts' cycles, their programs' program-wide rows, and every
    row of a program they are an alumnus of."""
    p = prefix
    allowed = Q(**{f"{p}program_id__in": roles.admin_program_ids})
    allowed |= Q(**{f"{p}cycle_id__in": scope.cycle_ids})
    allowed |= Q(**{f"{p}cycle__isnull": True, f"{p}program_id__in": scope.program_ids})
    allowed |= Q(**{f"{p}program_id__in": scope.alumni_program_ids})
    return allowed


# ---------------------------------------------------------------------------------------------
# Peer circles
# ---------------------------------------------------------------------------------------------


class CircleQuerySet(models.QuerySet):
    def visible_to(self, user) -> CircleQuerySet:
        """Administrators see their programs' circles; a person the circles they are in."""
        roles, scope = scope_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(Q(program_id__in=roles.admin_program_ids) | Q(pk__in=scope.circle_ids))


class Circle(models.Model):
    """A small support circle of a cohort, mixing organisations (services.form_circles)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="circles"
    )
    cycle = models.ForeignKey(
        "programs.Cycle", on_delete=models.CASCADE, related_name="circles", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(
        "people.Person", related_name="circles", verbose_name=_("members")
    )
    history = HistoricalRecords(m2m_fields=[members])

    objects = CircleQuerySet.as_manager()

    class Meta:
        ordering = ["program", "cycle", "name"]
        verbose_name = _("peer circle")
        verbose_name_plural = _("peer circles")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Series and sessions
# ---------------------------------------------------------------------------------------------


class SessionFields(models.Model):
    """What a series gives each of its sessions, and a single session has itself."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(
        "programs.Cycle",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("cycle"),
        help_text=_("Leave empty for a program-wide session (year-round programs)."),
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SUPPORT)
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(
        _("title in French"), max_length=200, blank=True, help_text=FRENCH_VERSION_HELP
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("Leave empty for no limit. Beyond it, yeses join a waitlist."),
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    topic_fr = models.CharField(
        _("topic in French"), max_length=200, blank=True, help_text=FRENCH_VERSION_HELP
    )
    book = models.CharField(_("book"), max_length=200, blank=True)
    host_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("host organisation"),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)

    class Meta:
        abstract = True

    # Bilingual content (core/bilingual.py): the title and topic in the reader's language.
    local_title = Localized("title")
    local_topic = Localized("topic")


class SeriesQuerySet(models.QuerySet):
    def visible_to(self, user) -> SeriesQuerySet:
        roles = roles_only(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(program_id__in=roles.admin_program_ids)


def roles_only(user):
    return scope_of(user)[0]


class Series(SessionFields):
    """A recurrence rule (RFC 5545, python-dateutil's rrule) between two days, at one time of
    day, expanded into sessions once (services.create_series). Each session then lives on its
    own: moved or cancelled without touching the others."""

    rule = models.CharField(
        _("recurrence rule"),
        max_length=200,
        help_text=_("For example FREQ=MONTHLY;BYDAY=+1TU (the first Tuesday of each month)."),
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(720)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["program", "first_day"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(
                name="series_last_day_after_first", condition=Q(last_day__gte=models.F("first_day"))
            )
        ]

    def __str__(self) -> str:
        return self.local_title


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        """Administrators: their programs' sessions. A person: the sessions of their cohorts
        (and, as alumni, of their past programs), their circles' sessions, and any session
        they are invited to."""
        roles, scope = scope_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(program_id__in=roles.admin_program_ids)
        if roles.person_id:
            allowed |= Q(circle__isnull=True) & _reach(roles, scope)
            allowed |= Q(circle_id__in=scope.circle_ids)
            allowed |= Q(
                pk__in=Invitation.objects.filter(person_id=roles.person_id).values("session_id")
            )
        return self.filter(allowed)

    def for_person(self, person_id: int) -> SessionQuerySet:
        return self.filter(invitations__person_id=person_id)

    def upcoming(self, now: datetime) -> SessionQuerySet:
        return self.filter(status=SessionStatus.SCHEDULED, ends_at__gte=now).order_by("starts_at")

    def scheduled(self) -> SessionQuerySet:
        return self.filter(status=SessionStatus.SCHEDULED)


class Session(SessionFields):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="sessions", null=True, blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            )
        ]
        indexes = [models.Index(fields=["program", "starts_at"])]

    def __str__(self) -> str:
        return self.local_title

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class SessionTransition(TransitionRecord):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=SessionStatus.choices)
    to_state = models.CharField(max_length=16, choices=SessionStatus.choices)
    note = models.TextField(blank=True)

    subject_field = "session"

    class Meta(TransitionRecord.Meta):
        verbose_name = _("session transition")
        verbose_name_plural = _("session transitions")

    def __str__(self) -> str:
        return f"{self.session}: {self.from_state} → {self.to_state}"


SCHEDULED, CANCELLED = SessionStatus.SCHEDULED, SessionStatus.CANCELLED
SESSION_WORKFLOW = Workflow(
    states=SessionStatus,
    record=SessionTransition,
    noun=_("A session"),
    actions=[
        Action(
            "cancel",
            [SCHEDULED],
            CANCELLED,
            permission="learning.manage_session",
            refusal=_("Only an administrator of the program can cancel a session."),
            label=_("Cancel the session"),
        ),
        Action(
            "reinstate",
            [CANCELLED],
            SCHEDULED,
            permission="learning.manage_session",
            refusal=_("Only an administrator of the program can reinstate a session."),
            label=_("Reinstate the session"),
        ),
        Action(
            "move",
            [SCHEDULED],
            None,
            permission="learning.manage_session",
            refusal=_("Only an administrator of the program can move a session."),
            state_refusal=_("A cancelled session cannot be moved; reinstate it first."),
        ),
        Action(
            "rsvp",
            [SCHEDULED],
            None,
            permission="learning.rsvp_session",
            refusal=_("Only the people invited to this session can answer."),
            state_refusal=_("This session is cancelled: there is nothing to answer."),
        ),
        Action(
            "take_attendance",
            [SCHEDULED],
            None,
            permission="learning.take_attendance",
            refusal=_("Only the organiser or an administrator of the program takes attendance."),
            state_refusal=_("This session was cancelled: nobody attended."),
        ),
    ],
)


# ---------------------------------------------------------------------------------------------
# Invitations, RSVP, waitlist and attendance
# ---------------------------------------------------------------------------------------------


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Attendance(models.TextChoices):
    UNRECORDED = "", _("Not recorded")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        roles = roles_only(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(session__program_id__in=roles.admin_program_ids)
        if roles.person_id:
            allowed |= Q(person_id=roles.person_id)
        return self.filter(allowed)

    def confirmed(self) -> InvitationQuerySet:
        return self.filter(response=Response.YES, waitlist_position__isnull=True)

    def waitlisted(self) -> InvitationQuerySet:
        return self.filter(waitlist_position__isnull=False).order_by("waitlist_position")


class Invitation(models.Model):
    """One person invited to one session: their answer, their place on the waitlist, and
    whether they came."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="learning_invitations"
    )
    response = models.CharField(
        _("answer"), max_length=8, choices=Response.choices, default=Response.PENDING
    )
    # Set while the person said yes but the session is full: 1 is next in line.
    waitlist_position = models.PositiveIntegerField(_("place on the waitlist"), null=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=8, choices=Attendance.choices, blank=True, default=""
    )
    history = HistoricalRecords()

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["session", "person__last_name", "person__first_name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_invitation_each"),
            models.CheckConstraint(
                name="waitlist_only_for_yes",
                condition=Q(waitlist_position__isnull=True) | Q(response="yes"),
            ),
        ]

    def __str__(self) -> str:  # no related row: the audit trail lists many at once
        return f"{_('invitation')} {self.session_id}/{self.person_id}"

    @property
    def program_id(self) -> int:
        return self.session.program_id

    @property
    def is_confirmed(self) -> bool:
        return self.response == Response.YES and self.waitlist_position is None

    @property
    def is_waitlisted(self) -> bool:
        return self.waitlist_position is not None

    @property
    def attended(self) -> bool:
        return self.attendance == Attendance.PRESENT


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user) -> FeedbackQuerySet:
        roles = roles_only(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(session__program_id__in=roles.admin_program_ids) | Q(
            session__organiser_id=user.pk
        )
        if roles.person_id:
            allowed |= Q(person_id=roles.person_id)
        return self.filter(allowed)


class Feedback(models.Model):
    """A short rating and comment on a session, from someone marked present."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["session", "created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_feedback_each"),
            models.CheckConstraint(name="rating_1_to_5", condition=Q(rating__gte=1, rating__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.rating}"


class CompletionRuleQuerySet(models.QuerySet):
    def visible_to(self, user) -> CompletionRuleQuerySet:
        roles = roles_only(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(program_id__in=roles.admin_program_ids)


class CompletionRule(models.Model):
    """A program's attendance rule: the share of a participant's sessions they must attend."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="learning_rule"
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("sessions to attend for completion (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    objects = CompletionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            models.CheckConstraint(
                name="completion_percent_at_most_100", condition=Q(min_attendance_percent__lte=100)
            )
        ]

    def __str__(self) -> str:
        return f"{self.min_attendance_percent}%"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Revoking deletes it; a new one has a new token."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person}: calendar feed"


# ---------------------------------------------------------------------------------------------
# Community of practice
# ---------------------------------------------------------------------------------------------


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> ThreadQuerySet:
        """Open to the cohort and alumni (and the program's administrators)."""
        roles, scope = scope_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(program_id__in=roles.admin_program_ids)
        if roles.person_id:
            allowed |= _reach(roles, scope)
        return self.filter(allowed)


class Thread(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="learning_threads"
    )
    cycle = models.ForeignKey(
        "programs.Cycle",
        on_delete=models.CASCADE,
        related_name="learning_threads",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(
        _("title in French"), max_length=200, blank=True, help_text=FRENCH_VERSION_HELP
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(db_index=True)
    history = HistoricalRecords()

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")

    def __str__(self) -> str:
        return self.local_title

    local_title = Localized("title")


class PostStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by a moderator")


class PostQuerySet(models.QuerySet):
    def visible_to(self, user) -> PostQuerySet:
        return self.filter(thread__in=Thread.objects.visible_to(user))


class Post(models.Model):
    """The opening message of a thread or a reply to it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=10000)
    status = models.CharField(max_length=8, choices=PostStatus.choices, default=PostStatus.VISIBLE)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["thread", "created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{_('post')} {self.pk}"

    @property
    def program_id(self) -> int:
        return self.thread.program_id

    @property
    def is_hidden(self) -> bool:
        return self.status == PostStatus.HIDDEN


class PostTransition(TransitionRecord):
    """Hiding or showing a post again; the moderator's reason is the note."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=8, choices=PostStatus.choices)
    to_state = models.CharField(max_length=8, choices=PostStatus.choices)
    note = models.TextField(blank=True)

    subject_field = "post"

    class Meta(TransitionRecord.Meta):
        verbose_name = _("post moderation")
        verbose_name_plural = _("post moderations")

    def __str__(self) -> str:
        return f"{self.post}: {self.from_state} → {self.to_state}"


POST_WORKFLOW = Workflow(
    states=PostStatus,
    record=PostTransition,
    noun=_("A post"),
    actions=[
        Action(
            "hide",
            [PostStatus.VISIBLE],
            PostStatus.HIDDEN,
            permission="learning.moderate_post",
            refusal=_("Only a moderator (an administrator of the program) can hide a post."),
            label=_("Hide"),
            note_required=_("Say why the post is hidden; the reason is kept in its history."),
        ),
        Action(
            "restore",
            [PostStatus.HIDDEN],
            PostStatus.VISIBLE,
            permission="learning.moderate_post",
            refusal=_("Only a moderator (an administrator of the program) can show a post again."),
            label=_("Show again"),
        ),
    ],
)


# ---------------------------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------------------------


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, user) -> MaterialQuerySet:
        return self.filter(
            Q(session__in=Session.objects.visible_to(user))
            | Q(thread__in=Thread.objects.visible_to(user))
        )


class Material(models.Model):
    """Slides, a reading list or a link, attached to a session or a thread. Files are kept in
    the database (small, checked on the way in; ADR 0017)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="materials", null=True, blank=True
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="materials", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    data = models.BinaryField(null=True, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                name="material_on_session_or_thread",
                condition=(Q(session__isnull=False) & Q(thread__isnull=True))
                | (Q(session__isnull=True) & Q(thread__isnull=False)),
            ),
            models.CheckConstraint(
                name="material_file_or_link",
                condition=(Q(url="") & Q(data__isnull=False)) | (~Q(url="") & Q(data__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def program_id(self) -> int:
        owner = self.session or self.thread
        assert owner is not None
        return owner.program_id

    @property
    def is_file(self) -> bool:
        return not self.url
