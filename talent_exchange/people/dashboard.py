"""The people app's part of the dashboard (core/dashboard.py): a coordinator's organisation
and its incomplete profiles, a participant's own profile and a supervisor's reports."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from talent_exchange.core.compiled import CompiledQuery, instance
from talent_exchange.core.dashboard import Section, section
from talent_exchange.organizations.models import Organization

from .models import Person
from .presenters import PROFILE_PARTS, missing_profile_parts, with_profile_parts

# Each box shows this many people, with a link to the whole (paginated) list.
SHOWN = 10


def _organisations(org_ids):
    """A coordinator's organisations with their headcount and incomplete profiles."""
    incomplete_ids = Person.objects.filter(organization_id__in=org_ids).incomplete().values("pk")
    return (
        Organization.objects.filter(pk__in=org_ids)
        .annotate(
            headcount=Count("people"),
            incomplete_count=Count("people", filter=Q(people__in=incomplete_ids)),
        )
        .values("pk", "name", "headcount", "incomplete_count")
    )


def _first_incomplete(org_ids):
    """The first SHOWN people of each organisation whose profile needs completing."""
    ranked = (
        Person.objects.filter(organization_id__in=org_ids)
        .incomplete()
        .annotate(
            rank=Window(RowNumber(), partition_by="organization_id", order_by=["last_name", "pk"])
        )
    )
    return ranked.filter(rank__lte=SHOWN).values("pk", "first_name", "last_name", "organization_id")


# Compiled once (core/compiled.py).
_ORGANISATIONS = CompiledQuery(_organisations, org_ids=frozenset)
_FIRST_INCOMPLETE = CompiledQuery(_first_incomplete, org_ids=frozenset)


@section("people.your_organisation")
def your_organisation(user, roles, today: date) -> Section | None:
    if not roles.is_coordinator:
        return None
    org_ids = roles.coordinator_org_ids
    if not org_ids:
        return None
    first: dict[int, list[Person]] = {}
    for row in _FIRST_INCOMPLETE.rows(org_ids=org_ids):
        first.setdefault(row["organization_id"], []).append(instance(Person, row))
    rows = [
        {
            "organization": instance(Organization, org),
            "headcount": org["headcount"],
            "incomplete_count": org["incomplete_count"],
            "incomplete": first.get(org["pk"], []),
        }
        for org in _ORGANISATIONS.rows(org_ids=org_ids)
    ]
    if not rows:
        return None
    return Section(
        _("Your organisation"),
        "people/dashboard/organisation.html",
        {"rows": rows},
        "dashboard-coordinator",
    )


# What missing_profile_parts reads of one's own profile: compiled once (core/compiled.py).
_PROFILE_PARTS = CompiledQuery(
    lambda person_id: with_profile_parts(Person.objects.filter(pk=person_id)).values(
        "pk", *(attr for attr, _label in PROFILE_PARTS if attr != "skills"), "has_skills"
    ),
    person_id=int,
)


@section("people.own_profile")
def own_profile(user, roles, today: date) -> Section | None:
    if not (roles.is_participant and roles.person_id):
        return None
    (row,) = _PROFILE_PARTS.rows(person_id=roles.person_id)
    person = instance(Person, row)
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
    reports = Person.objects.filter(supervisor_id=roles.person_id)
    people = list(
        reports.only("first_name", "last_name", "position_title").order_by(
            "last_name", "first_name", "pk"
        )[: SHOWN + 1]
    )
    total = reports.count() if len(people) > SHOWN else len(people)
    return Section(
        _("People you supervise"),
        "people/dashboard/reports.html",
        {"people": people[:SHOWN], "total": total},
        "dashboard-supervisor",
    )


# The board's list of executives due for a developmental assignment is the development
# app's (development/dashboard.py): it applies the program's mobility rule, under which a
# stint shorter than the rule's minimum does not count.
