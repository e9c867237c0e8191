from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.core.dashboard import Section, cycle_links, section

from .models import Session


@section(  # listed in core.dashboard.SECTION_ORDER
    "learning.next_sessions",
    relevant=lambda probe: Session.objects.for_person(probe.person_id).upcoming(probe.now),
)
def next_sessions(user, roles, today) -> Section | None:
    if not roles.person_id:
        return None  # nothing for this user
    rows = list(
        Session.objects.for_person(roles.person_id).upcoming(timezone.now()).distinct()[:10]
    )
    if not rows:
        return None
    return Section(_("Your next sessions"), "learning/dashboard/sessions.html", {"rows": rows})


@cycle_links("learning")  # listed in core.dashboard.CYCLE_LINK_ORDER
def links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("learning.view_calendar", cycle):
        return []
    return [
        (_("Learning calendar"), reverse("learning:cycle_calendar", args=[cycle.pk])),
        (_("Community of practice"), reverse("learning:cycle_forum", args=[cycle.pk])),
    ]
