"""Dashboard sections and cycle links for preferences (see core/hooks.py)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from talent_exchange.core.hooks import Section

from .deadlines import DEADLINE_PHASE, HOST, OPEN_PHASES, PARTICIPANT, ranking_window


def dashboard_sections(user, roles, today) -> list[Section]:
    sections: list[Section] = []
    if roles.person_id:
        sections.extend(_participant_sections(roles, today))
    if roles.coordinator_org_ids:
        sections.extend(_host_sections(roles, today))
    return sections


def _deadlines(cycle_ids, kind) -> dict:
    from talent_exchange.programs.models import CyclePhase

    return dict(
        CyclePhase.objects.filter(cycle_id__in=cycle_ids, phase=DEADLINE_PHASE[kind]).values_list(
            "cycle_id", "closes_on"
        )
    )


def _participant_sections(roles, today) -> list[Section]:
    from talent_exchange.nominations.models import Nomination

    nominations = list(
        Nomination.objects.endorsed()
        .filter(person_id=roles.person_id, cycle__state__in=OPEN_PHASES)
        .select_related("cycle__program")
        .annotate(ranked=Count("rankings"))
    )
    closes = _deadlines([n.cycle_id for n in nominations], PARTICIPANT) if nominations else {}
    sections = []
    for nomination in nominations:
        cycle = nomination.cycle
        window = ranking_window(
            PARTICIPANT, cycle_state=cycle.state, closes_on=closes.get(cycle.pk), today=today
        )
        if not window.is_open:
            continue
        title = _("Rank your opportunities")
        if window.closes_on:
            title = _("Rank your opportunities (closes %(date)s)") % {
                "date": format_date(window.closes_on, "j M Y")
            }
        sections.append(
            Section(
                title=title,
                template="preferences/dashboard/participant.html",
                context={"nomination": nomination, "window": window},
                order=10,
            )
        )
    return sections


def _host_sections(roles, today) -> list[Section]:
    from talent_exchange.opportunities.models import Opportunity

    opportunities = list(
        Opportunity.objects.approved()
        .filter(host_organization_id__in=roles.coordinator_org_ids, cycle__state__in=OPEN_PHASES)
        .select_related("cycle__program", "host_organization")
        .annotate(ranked=Count("host_rankings"))
        .order_by("cycle_id", "title")
    )
    if not opportunities:
        return []
    closes = _deadlines({o.cycle_id for o in opportunities}, HOST)
    rows = [
        {
            "opportunity": o,
            "window": ranking_window(
                HOST, cycle_state=o.cycle.state, closes_on=closes.get(o.cycle_id), today=today
            ),
        }
        for o in opportunities
    ]
    return [
        Section(
            title=_("Rank candidates"),
            template="preferences/dashboard/host.html",
            context={"rows": rows},
            order=20,
        )
    ]


def cycle_links(cycle, user) -> list[tuple[str, str]]:
    if user.has_perm("preferences.view_cycle_preferences", cycle):
        return [(_("Preferences"), reverse("preferences:cycle", args=[cycle.pk]))]
    return []
