"""Writes to organisations: a program administrator or a platform operator adds one (or a
component under one); its own coordinator keeps its details. Each change is in its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require

from .models import Organization, sector_for

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User


def add_organization(organization: Organization, *, actor: User) -> Organization:
    """Save a new organisation (its sector follows its kind). A component goes under a
    parent the actor may edit."""
    require(
        actor,
        "organizations.add_organization",
        None,
        _("Only a platform operator or a program administrator can add an organisation."),
    )
    if organization.parent_id is not None:
        require(
            actor,
            "organizations.change_organization",
            organization.parent,
            _("You can add components only under an organisation you may edit."),
        )
    organization.sector = sector_for(organization.kind)
    with transaction.atomic():
        attribute_to(organization, actor).save()
    return organization


def update_organization(organization: Organization, *, actor: User) -> Organization:
    """Save an organisation's details (its sector follows its kind)."""
    require(
        actor,
        "organizations.change_organization",
        organization,
        _("Only its coordinators or its programs' administrators can edit this organisation."),
    )
    organization.sector = sector_for(organization.kind)
    with transaction.atomic():
        attribute_to(organization, actor).save()
    return organization
