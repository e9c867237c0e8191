"""The reports app's own contributions to the registry (registry.py): the dashboard's
figures and the program reports every program has. Other apps add theirs in their own
``reports.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent_exchange.placements.models import Evaluation, Outcome, Placement, Respondent

from . import charts, figures
from .registry import Column, Figure, Report, figure, report

# ---------------------------------------------------------------------------------------------
# Figures of the program dashboard
# ---------------------------------------------------------------------------------------------


@figure("reports.funnel")
def funnel_figure(program, filters: dict, user) -> Figure:
    data = figures.funnel(program, filters)
    steps = data["steps"]
    if data["cycle"] is None:
        summary = _("The program has no cycle yet.")
    else:
        first, last = steps[1][1], steps[-1][1]
        summary = _(
            "In %(cycle)s, %(opportunities)s opportunities were approved and %(nominations)s "
            "people nominated; %(started)s of them have started an assignment."
        ) % {
            "cycle": data["cycle"].name,
            "opportunities": steps[0][1],
            "nominations": first,
            "started": last,
        }
    return Figure(
        _("Pipeline of the cycle"),
        "reports/figures/funnel.html",
        {**data, "chart": charts.funnel([(str(label), n) for label, n in steps])},
        summary=summary,
    )


def _flow(program, filters: dict) -> dict[str, Any]:
    # the flow figure and the reciprocity figure read the same query once per page
    key = "_flow"
    if key not in filters:
        filters[key] = figures.flow(program, filters)
    return filters[key]


@figure("reports.flow")
def flow_figure(program, filters: dict, user) -> Figure:
    data = _flow(program, filters)
    if data["top_link"]:
        top = data["top_link"]
        summary = _(
            "%(total)s placements between %(orgs)s organisations; the largest flow is from "
            "%(home)s to %(host)s (%(n)s)."
        ) % {
            "total": data["total"],
            "orgs": len(data["organisations"]),
            "home": top["home"],
            "host": top["host"],
            "n": top["n"],
        }
    else:
        summary = _("No placements match these filters.")
    matrix = charts.flow_matrix(data["matrix_names"], data["matrix_counts"], data["matrix_ids"])
    return Figure(
        _("Exchange flow between organisations"),
        "reports/figures/flow.html",
        {**data, "chart": matrix},
        summary=summary,
    )


@figure("reports.reciprocity")
def reciprocity_figure(program, filters: dict, user) -> Figure:
    data = _flow(program, filters)
    organisations = data["organisations"]
    uneven = [o for o in organisations if abs(o["balance"]) > program.balance_tolerance]
    if not organisations:
        summary = _("No placements match these filters.")
    else:
        summary = _(
            "%(uneven)s of %(n)s organisations host more or fewer than they send beyond the "
            "program's tolerance of %(tolerance)s."
        ) % {"uneven": len(uneven), "n": len(organisations), "tolerance": program.balance_tolerance}
    return Figure(
        _("Reciprocity: sent and hosted per organisation"),
        "reports/figures/reciprocity.html",
        {
            "organisations": data["organisations_shown"],
            "hidden": data["organisations_hidden"],
            "chart": charts.balance(data["organisations_shown"]),
        },
        summary=summary,
    )


@figure("reports.cohorts")
def cohorts_figure(program, filters: dict, user) -> Figure:
    data = figures.cohorts(program, filters)
    groups = []
    for cohort in data["cohorts"]:
        twelve = next(m for m in cohort["milestones"] if m["months"] == 12)
        groups.append(
            (cohort["name"], [(str(label), share) for label, _n, share in twelve["measures"]])
        )
    recorded = sum(m["recorded"] for c in data["cohorts"] for m in c["milestones"])
    summary = (
        _(
            "%(cohorts)s cohorts; %(recorded)s outcomes recorded. The chart shows, 12 months "
            "after return, the share promoted, in a new role and still with their home "
            "organisation."
        )
        % {"cohorts": len(data["cohorts"]), "recorded": recorded}
        if data["cohorts"]
        else _("No cohort has placements that match these filters.")
    )
    return Figure(
        _("Outcomes by cohort"),
        "reports/figures/cohorts.html",
        {**data, "chart": charts.grouped(groups, 100)},
        summary=summary,
    )


@figure("reports.ratings")
def ratings_figure(program, filters: dict, user) -> Figure:
    data = figures.ratings(program, filters)
    groups = [
        (
            row["cycle"],
            [
                (str(label), cell[1])
                for label, cell in zip(data["respondents"], row["cells"], strict=True)
            ],
        )
        for row in data["rows"]
    ]
    summary = (
        _("Average final ratings (1 to 5) by cohort and by who answered.")
        if data["rows"]
        else _("No final evaluation has been submitted for these placements.")
    )
    return Figure(
        _("Evaluation ratings"),
        "reports/figures/ratings.html",
        {**data, "chart": charts.grouped(groups, 5)},
        summary=summary,
    )


# ---------------------------------------------------------------------------------------------
# Downloadable reports
# ---------------------------------------------------------------------------------------------


def _visible_placements(program, filters: dict, user):
    return figures.placements(program, filters).filter(
        pk__in=Placement.objects.visible_to(user).values("pk")
    )


def _participant_rows(program, filters: dict, user) -> Iterator[tuple]:
    rows = (
        _visible_placements(program, filters, user)
        .order_by("cycle__created_at", "person__last_name", "person__first_name", "pk")
        .values_list(
            "cycle__name",
            "person__last_name",
            "person__first_name",
            "person__work_email",
            "home_organization__name",
            "host_organization__name",
            "title",
            "assignment_type",
            "status",
            "start_date",
            "end_date",
            "returned_on",
        )
    )
    yield from rows.iterator(chunk_size=2000)


@report("reports.participants")
def participants_report() -> Report:
    return Report(
        title=gettext_lazy("Participants and placements"),
        description=gettext_lazy("One row per placement you may see, with its participant."),
        columns=[
            Column("cycle", gettext_lazy("Cycle"), width=24),
            Column("last_name", gettext_lazy("Last name")),
            Column("first_name", gettext_lazy("First name")),
            Column("work_email", gettext_lazy("Work e-mail"), width=30),
            Column("home", gettext_lazy("Home organisation"), width=30),
            Column("host", gettext_lazy("Host organisation"), width=30),
            Column("assignment", gettext_lazy("Assignment"), width=36),
            Column("type", gettext_lazy("Type")),
            Column("status", gettext_lazy("Status")),
            Column("start", gettext_lazy("Start date"), "date"),
            Column("end", gettext_lazy("End date"), "date"),
            Column("returned", gettext_lazy("Returned on"), "date"),
        ],
        rows=_participant_rows,
        count=lambda program, filters, user: _visible_placements(program, filters, user).count(),
    )


OUTCOME_COLUMNS = ("promoted", "new_role", "still_with_home", "obligation_fulfilled")


def _outcome_rows(program, filters: dict, user) -> Iterator[tuple]:
    kept = figures.placements(program, filters)
    aggregates: dict[str, Any] = {"recorded": Count("pk", filter=Q(recorded_at__isnull=False))}
    for field in OUTCOME_COLUMNS:
        aggregates[field] = Count("pk", filter=Q(recorded_at__isnull=False, **{field: True}))
    rows = (
        Outcome.objects.filter(placement__in=kept)
        .order_by()
        .values("placement__cycle__name", "placement__cycle__created_at", "months_after")
        .annotate(placements=Count("placement", distinct=True), **aggregates)
        .order_by("placement__cycle__created_at", "placement__cycle__name", "months_after")
    )
    for row in rows:
        yield (
            row["placement__cycle__name"],
            row["months_after"],
            row["placements"],
            row["recorded"],
            *(row[field] for field in OUTCOME_COLUMNS),
        )


@report("reports.outcomes")
def outcomes_report() -> Report:
    return Report(
        title=gettext_lazy("Outcomes by cohort"),
        description=gettext_lazy(
            "Per cohort and milestone (6, 12, 24 months after return): outcomes recorded and "
            "how many say yes to each measure."
        ),
        columns=[
            Column("cohort", gettext_lazy("Cohort"), width=26),
            Column("months", gettext_lazy("Months after return"), "int"),
            Column("placements", gettext_lazy("Placements"), "int"),
            Column("recorded", gettext_lazy("Outcomes recorded"), "int"),
            Column("promoted", gettext_lazy("Promoted"), "int"),
            Column("new_role", gettext_lazy("In a new role"), "int"),
            Column("retained", gettext_lazy("Still with the home organisation"), "int"),
            Column("obligation", gettext_lazy("Return-service obligation met"), "int"),
        ],
        rows=_outcome_rows,
        count=lambda program, filters, user: len(figures.OUTCOME_MONTHS) * 50,
    )


def _organisation_rows(program, filters: dict, user) -> Iterator[tuple]:
    for row in figures.flow(program, filters)["organisations"]:
        yield (row["name"], row["sent"], row["hosted"], row["balance"])


@report("reports.organisations")
def organisations_report() -> Report:
    return Report(
        title=gettext_lazy("Sent, hosted and balance per organisation"),
        description=gettext_lazy(
            "Placements each organisation sent and hosted; the balance is hosted minus sent."
        ),
        columns=[
            Column("organisation", gettext_lazy("Organisation"), width=40),
            Column("sent", gettext_lazy("Sent"), "int"),
            Column("hosted", gettext_lazy("Hosted"), "int"),
            Column("balance", gettext_lazy("Balance"), "int"),
        ],
        rows=_organisation_rows,
        count=lambda program, filters, user: 100,
    )


def _lessons(program, filters: dict):
    return Evaluation.objects.shared_lessons().filter(
        placement__in=figures.placements(program, filters)
    )


def _lesson_rows(program, filters: dict, user) -> Iterator[tuple]:
    respondents = dict(Respondent.choices)
    rows = (
        _lessons(program, filters)
        .order_by("submitted_at", "pk")
        .values_list(
            "placement__cycle__name",
            "placement__host_organization__name",
            "placement__title",
            "respondent",
            "submitted_at",
            "lessons_learned",
        )
    )
    for cycle, host, title, respondent, submitted, lessons in rows.iterator(chunk_size=2000):
        yield (cycle, host, title, str(respondents.get(respondent, respondent)), submitted, lessons)


@report("reports.lessons")
def lessons_report() -> Report:
    return Report(
        title=gettext_lazy("Lessons learned"),
        description=gettext_lazy(
            "Lessons learned that participants and coaches shared with the program."
        ),
        columns=[
            Column("cycle", gettext_lazy("Cycle"), width=24),
            Column("host", gettext_lazy("Host organisation"), width=30),
            Column("assignment", gettext_lazy("Assignment"), width=36),
            Column("respondent", gettext_lazy("From"), width=24),
            Column("submitted", gettext_lazy("Submitted"), "datetime"),
            Column("lessons", gettext_lazy("Lessons learned"), width=80),
        ],
        rows=_lesson_rows,
        count=lambda program, filters, user: _lessons(program, filters).count(),
    )
