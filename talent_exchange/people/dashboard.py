"""The people app's part of the dashboard (core/dashboard.py): a coordinator's organisation
and its incomplete profiles, a participant's own profile, a supervisor's reports, and the
executives a board sees as due for a developmental assignment."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from talent_exchange.core.dashboard import Section, section
from talent_exchange.organizations.models import Organization

from .models import Person
from .presenters import missing_profile_parts, years_since_last_assignment

# An executive should take a developmental assignment at least every this many years
# (OPM's guideline is every 3 to 5 years; boards see people past the lower bound).
DEVELOPMENT_INTERVAL_YEARS = 3


@section("people.your_organisation")
def your_organisation(user, roles, today: date) -> Section | None:
    if not roles.is_coordinator:
        return None
    orgs = Organization.objects.filter(pk__in=roles.coordinator_org_ids).annotate(
        headcount=Count("people")
    )
    people = Person.objects.filter(organization_id__in=roles.coordinator_org_ids).prefetch_related(
        "skills"
    )
    incomplete: dict[int, list[Person]] = {}
    for person in people:
        if missing_profile_parts(person):
            incomplete.setdefault(person.organization_id, []).append(person)
    rows = [
        {"organization": org, "headcount": org.headcount, "incomplete": incomplete.get(org.pk, [])}
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
    people = (
        Person.objects.filter(organization_id__in=roles.board_org_ids)
        .select_related("organization")
        .prefetch_related("mobility_history")
    )
    due = []
    for person in people:
        years = years_since_last_assignment(person, today)
        if years is None or years >= DEVELOPMENT_INTERVAL_YEARS:
            due.append(
                {
                    "person": person,
                    "years": years,
                    "why": _("never on a developmental assignment")
                    if years is None
                    else _("last assignment ended %(years)s years ago") % {"years": years},
                }
            )
    due.sort(key=lambda row: (row["years"] is not None, -(row["years"] or 0)))
    return Section(
        _("Executives due for a developmental assignment"),
        "people/dashboard/due_for_development.html",
        {"rows": due},
        "dashboard-board",
    )
