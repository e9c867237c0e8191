"""The programs app's part of the dashboard (core/dashboard.py): a coordinator's invitations
to join a program, and the cycles an administrator runs, with their phase and next step."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from talent_exchange.accounts.models import Role
from talent_exchange.core.compiled import CompiledQuery, instance
from talent_exchange.core.dashboard import Section, section

from .models import (
    Cycle,
    CyclePhase,
    Phase,
    Program,
    ProgramInvitation,
    allowed_transitions,
)
from .presenters import onboarding_checklist

# What another app's dashboard row reads, with values(), to name a cycle as Cycle.__str__
# does and to know its phase: cycle_of(row) makes the cycle from it.
CYCLE_FIELDS = (
    "state",
    "name",
    "name_fr",
    "program__name",
    "program__name_fr",
    "program__short_name",
)
CYCLE_NAMES = tuple(f"cycle__{name}" for name in CYCLE_FIELDS)


def cycle_of(row: dict, prefix: str = "cycle__") -> Cycle:
    """The (unsaved) cycle and program a row read with CYCLE_NAMES names."""
    return instance(Cycle, row, prefix, program=instance(Program, row, f"{prefix}program__"))


@section(
    "programs.invitations",
    relevant=lambda probe: ProgramInvitation.objects.pending().filter(
        organization__in=probe.grants(Role.COORDINATOR).values("organization")
    ),
)
def invitations(user, roles, today: date) -> Section | None:
    """A coordinator sees the invitations to join a program that wait for their answer."""
    if not roles.coordinator_org_ids:
        return None
    waiting = list(
        ProgramInvitation.objects.awaiting_answer_from(user).select_related(
            "program", "organization", "invited_by"
        )
    )
    if not waiting:
        return None
    return Section(
        title=_("Invitations waiting for your answer (%(n)d)") % {"n": len(waiting)},
        template="programs/dashboard/invitations.html",
        context={"invitations": waiting},
    )


@section("programs.cycles_you_run")
def cycles_you_run(user, roles, today: date) -> Section | None:
    if not (roles.is_program_admin or roles.is_superuser):
        return None
    cycles = (
        Cycle.objects.filter(program__in=Program.objects.administered_by(user))
        .exclude(state="closed")
        .select_related("program")
        .prefetch_related(Prefetch("phases", queryset=CyclePhase.objects.order_by("opens_on")))
    )
    rows = []
    for cycle in cycles:
        current = next((p for p in cycle.phases.all() if p.phase == cycle.state), None)
        next_phase = Phase(allowed_transitions(cycle.state)[0]).label
        rows.append(
            {
                "cycle": cycle,
                "current": current,
                "next_phase": next_phase,
                "overdue": bool(current and current.closes_on < today),
                "days_left": (current.closes_on - today).days if current else None,
            }
        )
    return Section(
        _("Cycles you run"), "programs/dashboard/cycles.html", {"rows": rows}, "dashboard-admin"
    )


@section("programs.getting_started")
def getting_started(user, roles, today: date) -> Section | None:
    """A program administrator (or a platform operator with nothing to run yet) sees what to
    do first: the first-run checklist of each of their programs that is not ready."""
    if roles.is_superuser and not Program.objects.exists():
        return Section(
            _("Getting started"),
            "programs/dashboard/getting_started.html",
            {"rows": [], "no_program": True},
            "dashboard-getting-started",
        )
    if not roles.is_program_admin:
        return None
    programs = Program.objects.filter(pk__in=roles.admin_program_ids).with_setup_progress()
    rows = []
    for program in programs:
        steps = onboarding_checklist(program)
        if steps:
            rows.append({"program": program, "next": next(s for s in steps if not s.done)})
    if not rows:
        return None
    return Section(
        _("Getting your programs ready"),
        "programs/dashboard/getting_started.html",
        {"rows": rows},
        "dashboard-getting-started",
    )


# What a coordinator does in each phase of a cycle their organisation takes part in.
COORDINATOR_STEPS: dict[str, StrOrPromise] = {
    Phase.NOMINATIONS: gettext_lazy("Nominate your employees and follow their endorsements."),
    Phase.OPPORTUNITIES: gettext_lazy("Post your organisation's assignment opportunities."),
    Phase.PREFERENCES: gettext_lazy("Make sure your nominees rank the opportunities."),
    Phase.INTERVIEWS: gettext_lazy("Rank the candidates interviewed for your opportunities."),
    Phase.MATCHING: gettext_lazy("Nothing to do: the administrator runs the match."),
    Phase.PLACEMENTS: gettext_lazy("Answer the offers and sign your placements' agreements."),
}


# Every open cycle a coordinator's organisations take part in, with the day its current
# phase closes: one statement, compiled once (core/compiled.py).
_YOUR_CYCLES = CompiledQuery(
    lambda org_ids: (
        Cycle.objects.open()
        .filter(program__participating_organizations__in=org_ids)
        .distinct()
        .annotate(
            due=Subquery(
                CyclePhase.objects.filter(cycle_id=OuterRef("pk"), phase=OuterRef("state")).values(
                    "closes_on"
                )[:1]
            )
        )
        .order_by("program__name", "name")
        .values("pk", *CYCLE_FIELDS, "due")[:25]
    ),
    org_ids=frozenset,
)


@section("programs.your_cycles")
def your_cycles(user, roles, today: date) -> Section | None:
    """A coordinator sees every open cycle their organisations take part in, with what
    they must do next and by when (one query)."""
    if not roles.coordinator_org_ids:
        return None
    rows = [
        {
            "cycle": cycle_of(row, prefix=""),
            "step": COORDINATOR_STEPS.get(row["state"], ""),
            "due": row["due"],
            "overdue": bool(row["due"] and row["due"] < today),
        }
        for row in _YOUR_CYCLES.rows(org_ids=roles.coordinator_org_ids)
    ]
    return Section(
        _("Cycles your organisation takes part in"),
        "programs/dashboard/your_cycles.html",
        {"rows": rows},
        "dashboard-your-cycles",
    )
