"""Placement boxes on the dashboard and the placements link on a cycle's page
(core/dashboard.py). Each section costs a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from talent_exchange.accounts.models import Role
from talent_exchange.core.dashboard import Section, cycle_links, section
from talent_exchange.programs.models import Program

from .models import RUNNING, CheckIn, Placement, Signature, Status

SOON = timedelta(days=7)


@section(
    "placements.own",
    relevant=lambda probe: Placement.objects.filter(person_id=probe.person_id).exclude(
        status=Status.CLOSED
    ),
)
def own(user, roles, today: date) -> Section | None:
    placement = _own_placement(roles.person_id, today) if roles.person_id else None
    if not placement:
        return None
    return Section(_("Your placement"), "placements/dashboard_participant.html", placement)


# The test leaves out "due within a week" (a date computed from today): a superset.
@section(
    "placements.checkins_due",
    relevant=lambda probe: CheckIn.objects.filter(
        placement__coach_id=probe.person_id,
        placement__status__in=RUNNING,
        held_on__isnull=True,
    ),
)
def checkins_due(user, roles, today: date) -> Section | None:
    due = _checkins_due(roles.person_id, today) if roles.person_id else None
    if not due:
        return None
    context = {"rows": due, "today": today}
    return Section(_("Check-ins due"), "placements/dashboard_checkins.html", context)


# The test leaves out the signatures already given: a superset.
@section(
    "placements.to_sign",
    relevant=lambda probe: Placement.objects.filter(
        Q(home_organization__in=probe.grants(Role.COORDINATOR).values("organization"))
        | Q(host_organization__in=probe.grants(Role.COORDINATOR).values("organization")),
        status=Status.AGREEMENT,
        agreement__frozen_at__isnull=True,
    ),
)
def to_sign(user, roles, today: date) -> Section | None:
    rows = (
        _to_sign_for_organisations(roles.coordinator_org_ids) if roles.coordinator_org_ids else []
    )
    if not rows:
        return None
    return Section(_("Agreements to sign"), "placements/dashboard_to_sign.html", {"rows": rows})


@section("placements.attention")
def attention(user, roles, today: date) -> Section | None:
    if not (roles.admin_program_ids or roles.is_superuser):
        return None
    return Section(
        _("Placements needing attention"),
        "placements/dashboard_attention.html",
        {
            "rows": _needing_attention(roles, today),
            "programs": Program.objects.filter(pk__in=roles.admin_program_ids),
        },
    )


@cycle_links("placements")
def links(cycle, user) -> list[tuple[str, str]]:
    if not user.has_perm("placements.list_placements"):
        return []
    shown = [(_("Placements"), reverse("placements:list") + f"?cycle={cycle.pk}")]
    if user.has_perm("placements.view_program_results", cycle.program):
        shown.append(
            (_("Placement results"), reverse("placements:results", args=[cycle.program_id]))
        )
    shown.append((_("Lessons learned"), reverse("placements:lessons", args=[cycle.program_id])))
    return shown


def _signed_by(party: str):
    return Exists(
        Signature.objects.filter(
            agreement__placement=OuterRef("pk"),
            version=OuterRef("agreement__version"),
            party=party,
        )
    )


def _own_placement(person_id: int, today: date) -> dict | None:
    placement = (
        Placement.objects.filter(person_id=person_id)
        .exclude(status=Status.CLOSED)
        .select_related("host_organization", "agreement")
        .annotate(participant_signed=_signed_by("participant"))
        .order_by("-start_date")
        .first()
    )
    if placement is None:
        return None
    next_checkin = (
        CheckIn.objects.filter(placement=placement, held_on__isnull=True).order_by("due_on").first()
    )
    return {
        "placement": placement,
        "must_sign": placement.status == Status.AGREEMENT and not placement.participant_signed,
        "next_checkin": next_checkin,
        "overdue": bool(next_checkin and next_checkin.due_on < today),
    }


def _checkins_due(person_id: int, today: date) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(
            placement__coach_id=person_id,
            placement__status__in=RUNNING,
            held_on__isnull=True,
            due_on__lte=today + SOON,
        )
        .select_related("placement__person")
        .order_by("due_on")[:20]
    )


def _to_sign_for_organisations(org_ids) -> list[Placement]:
    return list(
        Placement.objects.filter(status=Status.AGREEMENT, agreement__frozen_at__isnull=True)
        .filter(
            (Q(home_organization_id__in=org_ids) & ~_signed_by("home"))
            | (Q(host_organization_id__in=org_ids) & ~_signed_by("host"))
        )
        .select_related("person", "host_organization")
        .order_by("start_date")[:20]
    )


def _needing_attention(roles, today: date) -> list[Placement]:
    """Placements of the administrator's programs with something late: an overdue check-in
    or evaluation, or an agreement not fully signed two weeks before the start."""
    placements = Placement.objects.all()
    if not roles.is_superuser:
        placements = placements.filter(program_id__in=roles.admin_program_ids)
    overdue_checkins = Count(
        "checkins",
        filter=Q(checkins__held_on__isnull=True, checkins__due_on__lt=today),
        distinct=True,
    )
    overdue_evaluations = Count(
        "evaluations",
        filter=Q(evaluations__submitted_at__isnull=True, evaluations__due_on__lt=today),
        distinct=True,
    )
    outcomes_due = Count(
        "outcomes",
        filter=Q(outcomes__recorded_at__isnull=True, outcomes__due_on__lte=today),
        distinct=True,
    )
    unsigned = Q(
        status=Status.AGREEMENT,
        agreement__frozen_at__isnull=True,
        start_date__lte=today + timedelta(days=14),
    )
    return list(
        placements.annotate(
            overdue_checkins=overdue_checkins,
            overdue_evaluations=overdue_evaluations,
            outcomes_due=outcomes_due,
        )
        .filter(
            unsigned
            | Q(status__in=RUNNING, overdue_checkins__gt=0)
            | Q(status__in=RUNNING, overdue_evaluations__gt=0)
            | Q(status=Status.RETURNED, outcomes_due__gt=0)
        )
        .select_related("person", "host_organization")
        .order_by("start_date")[:25]
    )
