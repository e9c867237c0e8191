"""The talent profile ("baseball card") of a person, their skills and mobility history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of

from . import search as _search


class SkillKind(models.TextChoices):
    SKILL = "skill", _("Skill")
    COMPETENCY = "competency", _("Competency")


class SkillQuerySet(models.QuerySet):
    def vocabulary(self) -> SkillQuerySet:
        return self.filter(is_vocabulary=True)


class Skill(models.Model):
    """A skill or competency. The shared vocabulary is curated (``is_vocabulary``); people
    may add free tags, which an administrator can later promote into the vocabulary."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SkillKind.choices, default=SkillKind.SKILL
    )
    is_vocabulary = models.BooleanField(_("in the shared vocabulary"), default=False)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class Designation(models.Model):
    """A designation that programs treat specially, e.g. National Security Professional."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """The people this user may see. Organisation scoping lives here and nowhere else."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        allowed = Q(pk__in=[])
        org_ids = roles.admin_org_ids | roles.coordinator_org_ids | roles.board_org_ids
        if org_ids:
            allowed |= Q(organization_id__among=org_ids)  # one parameter (core/lookups.py)
        if roles.person_id:
            allowed |= Q(pk=roles.person_id) | Q(supervisor_id=roles.person_id)
        return self.filter(allowed)

    def for_organization(self, organization) -> PersonQuerySet:
        return self.filter(organization=organization)

    def search(self, text: str) -> PersonQuerySet:
        """People matching every word of ``text``: by name (typo-tolerant on PostgreSQL),
        position, level, e-mail, skill, designation or an assignment they would take, best
        first. The one search path of the talent file: ``people/search.py``."""
        return _search.search(self, text)

    def would_take(self, text: str) -> PersonQuerySet:
        """People one of whose three assignments they would take matches ``text``."""
        return _search.would_take(self, text)

    def incomplete(self) -> PersonQuerySet:
        """People whose profile lacks a part (presenters.PROFILE_PARTS), in SQL."""
        skills = Person.skills.through.objects.filter(person_id=OuterRef("pk"))
        return self.filter(
            Q(career_goals="")
            | Q(would_take_1="")
            | Q(education="")
            | Q(languages="")
            | ~Exists(skills)
        )

    def never_on_assignment(self) -> PersonQuerySet:
        return self.filter(~Exists(MobilityRecord.objects.filter(person_id=OuterRef("pk"))))

    def for_rows(self) -> PersonQuerySet:
        """What a row of the people list shows but the skills (``presenters.person_rows``)."""
        return self.select_related("organization")

    def with_card(self) -> PersonQuerySet:
        """Everything a card shows, in a fixed number of queries."""
        return self.select_related("organization", "supervisor").prefetch_related(
            "skills", "designations"
        )


class Person(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    work_email = models.EmailField(_("work e-mail"), unique=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("home organisation"),
    )
    position_title = models.CharField(_("position title"), max_length=200)
    classification = models.CharField(
        _("classification or level"),
        max_length=60,
        blank=True,
        help_text=_("For example: SES, EX-02, Management Analyst II."),
    )
    years_of_service = models.PositiveSmallIntegerField(_("years of service"), default=0)
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("supervisor"),
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="people", verbose_name=_("skills and competencies")
    )
    education = models.TextField(_("education"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Separate with commas, for example: English, French."),
    )
    would_take_1 = models.CharField(_("assignment I would take (1)"), max_length=200, blank=True)
    would_take_2 = models.CharField(_("assignment I would take (2)"), max_length=200, blank=True)
    would_take_3 = models.CharField(_("assignment I would take (3)"), max_length=200, blank=True)
    career_goals = models.TextField(_("career goals"), blank=True)
    designations = models.ManyToManyField(
        Designation, blank=True, related_name="people", verbose_name=_("designations")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived from the fields above and the skills' and designations' names (people/search.py
    # keeps it current); PostgreSQL only, with a GIN index (migration 0002).
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(
        m2m_fields=[skills, designations], excluded_fields=["search_vector"]
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name_order"),
            # the talent search's "at least N years of service" (development app)
            models.Index(fields=["years_of_service"], name="person_years_of_service"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def assignments_i_would_take(self) -> list[str]:
        return [t for t in (self.would_take_1, self.would_take_2, self.would_take_3) if t]

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    def clean(self) -> None:
        if self.supervisor_id and self.supervisor_id == self.pk:
            raise ValidationError({"supervisor": _("A person cannot supervise themselves.")})


class AssignmentType(models.TextChoices):
    DETAIL = "detail", _("Detail")
    ROTATION = "rotation", _("Rotation")
    SECONDMENT = "secondment", _("Secondment")
    IPA = "ipa", _("IPA assignment")
    INTERAGENCY_PROJECT = "interagency_project", _("Interagency project")
    LIAISON = "liaison", _("Liaison position")
    SABBATICAL = "sabbatical", _("Sabbatical")
    FELLOWSHIP = "fellowship", _("Fellowship")
    EXCHANGE = "exchange", _("Exchange assignment")


class MobilityRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> MobilityRecordQuerySet:
        """A person's mobility history is seen by whoever sees the person."""
        return self.filter(person__in=Person.objects.visible_to(user))


class MobilityRecord(models.Model):
    """An earlier developmental assignment, with dates: the person's mobility history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mobility_history")
    assignment_type = models.CharField(_("type"), max_length=32, choices=AssignmentType.choices)
    title = models.CharField(_("title"), max_length=200)
    host_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host organisation"),
    )
    host_name = models.CharField(
        _("host (if not listed)"),
        max_length=200,
        blank=True,
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MobilityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        # a person's assignments by their end: the mobility rule reads them (development app)
        indexes = [models.Index(fields=["person", "ended_on"], name="mobility_person_ended")]
        verbose_name = _("mobility record")
        verbose_name_plural = _("mobility history")
        constraints = [
            models.CheckConstraint(
                name="mobility_record_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.started_on:%Y})"

    @property
    def host_label(self) -> str:
        return str(self.host_organization) if self.host_organization else self.host_name
