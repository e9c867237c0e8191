"""Organisations that send and host participants: ministries, cities, companies, …"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Department")
    BRANCH = "branch", _("Branch")
    AGENCY = "agency", _("Agency")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    SPECIAL_DISTRICT = "special_district", _("Special district")
    TRIBAL_GOVERNMENT = "tribal_government", _("Tribal government")
    NON_PROFIT = "non_profit", _("Civil-society organisation (non-profit)")
    PRIVATE_COMPANY = "private_company", _("Private company")
    ACADEMIC = "academic", _("Academic institution")
    INTERNATIONAL = "international", _("International organisation")


EXTERNAL_KINDS = {Kind.NON_PROFIT, Kind.PRIVATE_COMPANY, Kind.ACADEMIC, Kind.INTERNATIONAL}


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    EXTERNAL = "external", _("External (private, civil society, academic, international)")


def sector_for(kind: str) -> str:
    """External partners (private, civil-society, academic, international) are the external
    sector; every other kind is public."""
    return Sector.EXTERNAL if kind in EXTERNAL_KINDS else Sector.PUBLIC


class SizeBand(models.TextChoices):
    SMALL = "small", _("Under 250 employees")
    MEDIUM = "medium", _("250 to 2,499 employees")
    LARGE = "large", _("2,500 to 24,999 employees")
    VERY_LARGE = "very_large", _("25,000 employees or more")


class OrganizationQuerySet(models.QuerySet):
    def public(self) -> OrganizationQuerySet:
        return self.filter(sector=Sector.PUBLIC)

    def external(self) -> OrganizationQuerySet:
        return self.filter(sector=Sector.EXTERNAL)

    def search(self, text: str) -> OrganizationQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(name__icontains=text) | models.Q(jurisdiction__icontains=text))

    def visible_to(self, user) -> OrganizationQuerySet:
        """Organisations are public bodies and partners: anyone signed in with a role sees them."""
        from talent_exchange.accounts.roles import roles_of

        if roles_of(user).any_role:
            return self
        return self.none()


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, default=Sector.PUBLIC
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("parent organisation"),
        help_text=_("For a component of a large department, the department it belongs to."),
    )
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=120,
        blank=True,
        help_text=_("For example: State of California, Government of Alberta, Federal."),
    )
    size_band = models.CharField(_("size"), max_length=16, choices=SizeBand.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.sector == Sector.EXTERNAL

    @property
    def organization_id(self) -> int:
        """An organisation belongs to itself: the shared predicates (core/predicates.py) read
        ``organization_id`` of any object, this one included."""
        return self.pk
