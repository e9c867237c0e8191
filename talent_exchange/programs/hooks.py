"""Dashboard sections of the programs app (see core/hooks.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from talent_exchange.core.hooks import Section


def dashboard_sections(user, roles, today) -> list[Section]:
    """A coordinator sees the invitations to join a program that wait for their answer."""
    if not roles.coordinator_org_ids:
        return []
    from .models import ProgramInvitation

    invitations = list(
        ProgramInvitation.objects.awaiting_answer_from(user).select_related(
            "program", "organization", "invited_by"
        )
    )
    if not invitations:
        return []
    return [
        Section(
            title=_("Invitations waiting for your answer (%(n)d)") % {"n": len(invitations)},
            template="programs/dashboard/invitations.html",
            context={"invitations": invitations},
            order=5,
        )
    ]
