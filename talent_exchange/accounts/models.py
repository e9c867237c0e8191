"""User accounts and the roles a user holds, per program, organisation or cycle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def language_choices() -> list[tuple[str, Any]]:
    """The languages a person may choose (``settings.LANGUAGES``)."""
    return list(settings.LANGUAGES)


class User(AbstractUser):
    """A person who signs in. Their talent profile, if any, is ``Person.user``."""

    email = models.EmailField(_("e-mail address"), unique=True)
    # Blank: the language the browser asks for (accounts/language.py).
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=language_choices,
        help_text=_("The language of the pages and of the e-mails you receive."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    PROGRAM_ADMIN = "program_admin", _("Program administrator")
    COORDINATOR = "coordinator", _("Organisation coordinator")
    SUPERVISOR = "supervisor", _("Supervisor")
    PANELIST = "panelist", _("Panelist")
    BOARD_REVIEWER = "board_reviewer", _("Board reviewer")
    PARTICIPANT = "participant", _("Participant")
    AUDITOR = "auditor", _("Auditor")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    TREASURER = "treasurer", _("Program treasurer")


# Which scope each role is granted in. A coordinator coordinates one organisation; a panelist
# sits on the panels of one cycle; an auditor and a participant hold the role everywhere.
ROLE_SCOPE = {
    Role.PROGRAM_ADMIN: "program",
    Role.COORDINATOR: "organization",
    Role.SUPERVISOR: "organization",
    Role.PANELIST: "cycle",
    Role.BOARD_REVIEWER: "program",
    Role.PARTICIPANT: None,
    Role.AUDITOR: None,
    Role.FINANCE_OFFICER: "organization",
    Role.TREASURER: "program",
}


class RoleGrantQuerySet(models.QuerySet):
    def active(self) -> RoleGrantQuerySet:
        return self.filter(revoked_at__isnull=True)

    def for_user(self, user) -> RoleGrantQuerySet:
        return self.active().filter(user=user)

    def visible_to(self, user) -> RoleGrantQuerySet:
        """Auditors see every grant; a program administrator the grants in their programs
        (the program, its cycles, its organisations and those it has invited); a coordinator
        those of their organisation; everyone their own."""
        from .roles import invited_org_ids, roles_of

        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        org_ids = roles.admin_org_ids | roles.coordinator_org_ids
        if roles.admin_program_ids:
            org_ids |= invited_org_ids(user)
        return self.filter(
            Q(user_id=getattr(user, "pk", None))
            | Q(program_id__in=roles.admin_program_ids)
            | Q(cycle__program_id__in=roles.admin_program_ids)
            | Q(organization_id__in=org_ids)
        )

    def coordinators_by_organization(self, organization_ids) -> dict[int, list[User]]:
        """The current coordinators of these organisations, by organisation (one query): the
        people an organisation's mail goes to."""
        by_org: dict[int, list[User]] = {}
        grants = (
            self.active()
            .filter(role=Role.COORDINATOR, organization_id__in=organization_ids)
            .select_related("user")
            .order_by("organization_id", "pk")
        )
        for grant in grants:
            by_org.setdefault(grant.organization_id, []).append(grant.user)
        return by_org


class RoleGrant(models.Model):
    """One role held by one user in one scope. A person can hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("program"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("organisation"),
    )
    cycle = models.ForeignKey(
        "programs.Cycle",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("cycle"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    reason = models.CharField(_("reason for the grant"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for the revocation"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                name="role_grant_scope_matches_role",
                condition=(
                    Q(role="program_admin", program__isnull=False)
                    | Q(role="board_reviewer", program__isnull=False)
                    | Q(role="coordinator", organization__isnull=False)
                    | Q(role="supervisor", organization__isnull=False)
                    | Q(role="panelist", cycle__isnull=False)
                    | Q(role__in=["participant", "auditor"])
                    | Q(role="finance_officer", organization__isnull=False)
                    | Q(role="treasurer", program__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.program or self.organization or self.cycle
        label = self.get_role_display()
        return f"{self.user} · {label}" + (f" · {scope}" if scope else "")


class FactorResetQuerySet(models.QuerySet):
    def visible_to(self, user) -> FactorResetQuerySet:
        """Operators and auditors see every reset; everyone the resets of their own factors."""
        from .roles import roles_of

        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(user_id=getattr(user, "pk", None))


class FactorReset(models.Model):
    """A platform operator removed a person's second factors (a lost phone, a broken key):
    who, whose, which factors and why. Kept in the audit trail."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="factor_resets", verbose_name=_("person")
    )
    reset_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reset by"),
    )
    reason = models.TextField(_("reason"))
    factors = models.CharField(_("factors removed"), max_length=200)
    reset_at = models.DateTimeField(_("reset at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FactorResetQuerySet.as_manager()

    class Meta:
        verbose_name = _("second-factor reset")
        verbose_name_plural = _("second-factor resets")
        ordering = ["-reset_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.reset_at:%Y-%m-%d}"
