"""Executive development on the dashboard: one's own plan and the plans waiting for one's
approval; for a board, the executives due or overdue under the program's mobility rule
(``compliance.mobility_status``: a stint shorter than the rule's minimum does not count;
counted from the program's ``mobility.status_index``, kept while nothing changes);
for a program administrator, the interchange reports due."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from talent_exchange.accounts.models import Role
from talent_exchange.core.compiled import CompiledQuery, instance
from talent_exchange.core.dashboard import Section, section
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Program, ProgramShape

from .compliance import Status
from .interchange import reports_due, retention_dates
from .mobility import rows_in_order, status_index
from .models import DevelopmentPlan, PlanStatus
from .presenters import verdict_display

SHOWN = 10


# What the box shows of one's own plans and of those waiting for one's approval: compiled
# once (core/compiled.py).
_OWN_PLANS = CompiledQuery(
    lambda person_id: (
        DevelopmentPlan.objects.filter(person_id=person_id)
        .order_by("-year")
        .values("pk", "year", "status", "program__name", "program__name_fr")[:3]
    ),
    person_id=int,
)
_PLANS_TO_APPROVE = CompiledQuery(
    lambda person_id: DevelopmentPlan.objects.filter(
        person__supervisor_id=person_id, status=PlanStatus.SUBMITTED
    ).values("pk", "year", "person__first_name", "person__last_name")[:SHOWN],
    person_id=int,
)


# Shown to a participant always, to anyone else with a plan of their own or one to approve.
@section(
    "development.plans",
    relevant=lambda probe: [
        DevelopmentPlan.objects.filter(
            Q(person_id=probe.person_id)
            | Q(person__supervisor_id=probe.person_id, status=PlanStatus.SUBMITTED)
        ),
        probe.grants(Role.PARTICIPANT),
    ],
)
def plans(user, roles, today: date) -> Section | None:
    if not roles.person_id:
        return None
    own = [
        instance(DevelopmentPlan, row, program=instance(Program, row, "program__"))
        for row in _OWN_PLANS.rows(person_id=roles.person_id)
    ]
    waiting = [
        instance(DevelopmentPlan, row, person=instance(Person, row, "person__"))
        for row in _PLANS_TO_APPROVE.rows(person_id=roles.person_id)
    ]
    if not own and not waiting and not roles.is_participant:
        return None
    return Section(
        _("Development plans"),
        "development/dashboard/plans.html",
        {"own": own, "waiting": waiting},
        "dashboard-development",
    )


@section("development.mobility_due")
def mobility_due(user, roles, today: date) -> list[Section] | None:
    if not roles.board_program_ids:
        return None
    boxes = []
    for program in Program.objects.filter(pk__in=roles.board_program_ids).order_by("name"):
        index = status_index(program, today, head=True)
        rows = rows_in_order(program, today, index.due_or_overdue()[:SHOWN])
        boxes.append(
            Section(
                _("Executives due for a developmental assignment: %(program)s")
                % {"program": program},
                "development/dashboard/mobility_due.html",
                {
                    "program": program,
                    "rows": [(r.person, verdict_display(r.verdict)) for r in rows],
                    "count": index.count(Status.OVERDUE) + index.count(Status.DUE),
                    "overdue": index.count(Status.OVERDUE),
                    "due": index.count(Status.DUE),
                    "exempt": index.count(Status.EXEMPT),
                },
                "dashboard-board",
            )
        )
    return boxes or None


@section("development.interchange_reports")
def interchange_reports(user, roles, today: date) -> Section | None:
    if not roles.admin_program_ids:
        return None
    interchange = Program.objects.filter(
        pk__in=roles.admin_program_ids, shape=ProgramShape.INTERCHANGE
    ).values_list("pk", flat=True)
    if not interchange:
        return None
    rows = reports_due(interchange, today)
    retention = sorted(retention_dates(interchange), key=lambda pair: pair[1])
    if not rows and not retention:
        return None
    return Section(
        _("Assignment reports due"),
        "development/dashboard/interchange_reports.html",
        {"rows": rows[:SHOWN], "count": len(rows), "retention": retention[:SHOWN]},
    )
