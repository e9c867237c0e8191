"""The people app's part of the dashboard (core/dashboard.py): a coordinator's organisation
and its incomplete profiles, a participant's own profile, a supervisor's reports, and the
executives a board sees as due for a developmental assignment."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from talent_exchange.core.dashboard import Section, section
from talent_exchange.organizations.models import Organization

from .models import MobilityRecord, Person
from .presenters import development_cutoff, missing_profile_parts

# Each box shows this many people, with a link to the whole (paginated) list.
SHOWN = 10


@section("people.your_organisation")
def your_organisation(user, roles, today: date) -> Section | None:
    if not roles.is_coordinator:
        return None
    org_ids = roles.coordinator_org_ids
    people = Person.objects.filter(organization_id__in=org_ids)
    incomplete_ids = people.incomplete().values("pk")
    orgs = Organization.objects.filter(pk__in=org_ids).annotate(
        headcount=Count("people"),
        incomplete_count=Count("people", filter=Q(people__in=incomplete_ids)),
    )
    first: dict[int, list[Person]] = {}
    ranked = people.incomplete().annotate(
        rank=Window(RowNumber(), partition_by="organization_id", order_by=["last_name", "pk"])
    )
    for person in ranked.filter(rank__lte=SHOWN):
        first.setdefault(person.organization_id, []).append(person)
    rows = [
        {
            "organization": org,
            "headcount": org.headcount,
            "incomplete_count": org.incomplete_count,
            "incomplete": first.get(org.pk, []),
        }
        for org in orgs
    ]
    if not rows:
        return None
    return Section(
        _("Your organisation"),
        "people/dashboard/organisation.html",
        {"rows": rows},
        "dashboard-coordinator",
    )


@section("people.own_profile")
def own_profile(user, roles, today: date) -> Section | None:
    if not (roles.is_participant and roles.person_id):
        return None
    person = Person.objects.with_card().prefetch_related("mobility_history").get(pk=roles.person_id)
    return Section(
        _("Your talent profile"),
        "people/dashboard/own_profile.html",
        {"person": person, "missing": missing_profile_parts(person)},
        "dashboard-participant",
    )


@section("people.reports")
def reports(user, roles, today: date) -> Section | None:
    if not (roles.supervisor_org_ids and roles.person_id):
        return None
    people = list(Person.objects.filter(supervisor_id=roles.person_id).with_card())
    return Section(
        _("People you supervise"),
        "people/dashboard/reports.html",
        {"people": people},
        "dashboard-supervisor",
    )


@section("people.due_for_development")
def due_for_development(user, roles, today: date) -> Section | None:
    if not roles.board_program_ids:
        return None
    people = Person.objects.filter(organization_id__in=roles.board_org_ids)
    due = people.due_for_development(development_cutoff(today))
    rows = [
        {"person": person, "years": None, "why": _("never on a developmental assignment")}
        for person in people.never_on_assignment().select_related("organization")[:SHOWN]
    ]
    if len(rows) < SHOWN:
        # then those whose last assignment ended longest ago: one pass over the records
        last_ends = (
            MobilityRecord.objects.filter(person__organization_id__in=roles.board_org_ids)
            .order_by()
            .values("person_id")
            .annotate(last=Max("ended_on"), current=Count("pk", filter=Q(ended_on__isnull=True)))
            .filter(current=0, last__lte=development_cutoff(today))
            .order_by("last", "person_id")[: SHOWN - len(rows)]
        )
        ended = {row["person_id"]: row["last"] for row in last_ends}
        found = Person.objects.select_related("organization").in_bulk(ended)
        for person_id, last in ended.items():
            years = round((today - last).days / 365.25, 1)
            rows.append(
                {
                    "person": found[person_id],
                    "years": years,
                    "why": _("last assignment ended %(years)s years ago") % {"years": years},
                }
            )
    return Section(
        _("Executives due for a developmental assignment"),
        "people/dashboard/due_for_development.html",
        {"rows": rows, "count": due.count() if rows else 0},
        "dashboard-board",
    )
