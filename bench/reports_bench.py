"""Measure the reports app at one or more program sizes (run by hand; not a timed test).

    .venv/bin/python bench/reports_bench.py --sizes 500             # quick, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/te_reports_bench \\
        .venv/bin/python bench/reports_bench.py --sizes 1000,10000    # the issue's targets

For each size N, in a child process and a fresh database (a temporary SQLite file, or the
PostgreSQL database of ``DATABASE_URL``, emptied first), it builds one program with N
placements between 20 organisations (their participants, nominations, opportunities, one
match run, accepted offers, an outcome at 6, 12 and 24 months and a final evaluation each;
a learning session per cohort with every participant invited and their attendance; a
development plan with one item per participant; a cost arrangement with one component per
placement), then measures:

- the program dashboard, as its administrator (server time through the test client, and
  the number of SQL queries: it must not grow with N);
- the full history export to a file (time, lines, Python's peak allocation);
- the import of that file into the emptied database (time, peak allocation), then a second
  export, which must equal the first apart from its header.

Targets (issue 14, PostgreSQL, N = 10,000): dashboard < 1 s, export < 60 s, import < 120 s,
memory bounded (the peak must not grow like the file).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500", help="placements per program, comma-separated")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="talent_exchange.settings.test")
        if not env.get("DATABASE_URL"):
            env["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / f"reports-bench-{size}.sqlite3")
        done = subprocess.run(  # noqa: S603 (this script, with a number)
            [sys.executable, __file__, "--child", str(size)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.exit(done.stderr)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(
        f"{'placements':>10} {'dashboard s':>11} {'queries':>7} {'export s':>8} {'cpu':>6} "
        f"{'lines':>8} {'export MB':>9} {'import s':>8} {'cpu':>6} {'import MB':>9} "
        f"{'same':>5} {'load':>5}"
    )
    for r in rows:
        print(
            f"{r['size']:>10} {r['dashboard_s']:>11.3f} {r['queries']:>7} {r['export_s']:>8.2f} "
            f"{r['export_cpu_s']:>6.1f} {r['lines']:>8} {r['export_peak_mb']:>9.1f} "
            f"{r['import_s']:>8.2f} {r['import_cpu_s']:>6.1f} {r['import_peak_mb']:>9.1f} "
            f"{r['same']!s:>5} {r['load']:>5.2f}"
        )


def measure(size: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    admin, auditor, program = build(size)
    client = Client()
    client.force_login(admin)
    url = reverse("reports:dashboard", args=[program.pk])
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        dashboard = time.perf_counter() - started

    from talent_exchange.reports import history
    from talent_exchange.reports.tests.roundtrip import empty_database

    # Times are taken without tracemalloc (it makes Python two to three times slower); the
    # peaks are measured on a second run of the same work: the export again, the import as
    # a dry run (the same writes, rolled back).
    folder = Path(tempfile.mkdtemp())
    first = folder / "first.jsonl"
    started = time.perf_counter()
    cpu = time.process_time()
    with open(first, "w", encoding="utf-8") as out:
        result = history.export_history(program, auditor, out, audit=False)
    export_s = time.perf_counter() - started
    export_cpu = time.process_time() - cpu
    tracemalloc.start()
    with open(folder / "again.jsonl", "w", encoding="utf-8") as out:
        history.export_history(program, auditor, out, audit=False)
    export_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    name = program.name
    from talent_exchange.matches.models import ResultBlock

    blocks = ResultBlock.objects.count()
    empty_database()
    tracemalloc.start()
    with open(first, "rb") as stream:
        dry = history.import_history(stream, None, dry_run=True, keep_rows=False)
    import_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert dry.ok and not dry.committed, dry.errors[:3]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    cpu = time.process_time()
    with open(first, "rb") as stream:
        imported = history.import_history(stream, None, dry_run=False, keep_rows=False)
    import_s = time.perf_counter() - started
    import_cpu = time.process_time() - cpu
    load = max(load, os.getloadavg()[0])
    assert imported.ok, imported.errors[:3]
    from talent_exchange.accounts.tests.factories import grant
    from talent_exchange.programs.models import Program

    grant(auditor, "auditor")  # role grants are not in the format: empty_database removed it
    second = folder / "second.jsonl"
    with open(second, "w", encoding="utf-8") as out:
        history.export_history(Program.objects.get(name=name), auditor, out, audit=False)
    same = first.read_text().splitlines()[1:] == second.read_text().splitlines()[1:]
    same = same and ResultBlock.objects.count() == blocks  # derived rows written again
    return {
        "size": size,
        "dashboard_s": dashboard,
        "queries": len(queries),
        "export_s": export_s,
        "export_cpu_s": export_cpu,
        "import_cpu_s": import_cpu,
        "load": load,  # the 1-minute load average around the import (the higher end)
        "lines": result.lines,
        "export_peak_mb": export_peak / 2**20,
        "import_s": import_s,
        "import_peak_mb": import_peak / 2**20,
        "same": same,
    }


def build(size: int):
    """One program of ``size`` placements, written in bulk."""
    from django.utils import timezone

    from talent_exchange.accounts.tests.factories import UserFactory, grant
    from talent_exchange.matches.models import MatchRun, Offer, OfferStatus
    from talent_exchange.matches.tests.factories import MatchRunFactory
    from talent_exchange.nominations.models import Nomination, NominationStatus
    from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
    from talent_exchange.organizations.models import Kind, Organization
    from talent_exchange.people.models import Person
    from talent_exchange.placements.models import Evaluation, Outcome, Placement, Status
    from talent_exchange.programs.tests.factories import CycleFactory, ProgramFactory

    orgs = Organization.objects.bulk_create(
        Organization(name=f"Agency {i:02d}", kind=Kind.values[0]) for i in range(20)
    )
    program = ProgramFactory(
        name="Bench Exchange", administering_organization=orgs[0], organizations=orgs
    )
    admin, auditor = UserFactory(username="bench-admin"), UserFactory(username="bench-auditor")
    grant(admin, "program_admin", program=program)
    grant(auditor, "auditor")
    cycles = [CycleFactory(program=program, name=f"{2020 + i} cohort") for i in range(4)]
    people = Person.objects.bulk_create(
        Person(
            first_name=f"P{i}",
            last_name="Bench",
            work_email=f"p{i}@bench.example",
            organization=orgs[i % 20],
            position_title="Manager",
        )
        for i in range(size)
    )
    now = timezone.now()
    placements = []
    for c, cycle in enumerate(cycles):
        mine = [i for i in range(size) if i % 4 == c]
        run = MatchRunFactory(cycle=cycle, started_by=admin)
        opportunities = Opportunity.objects.bulk_create(
            Opportunity(
                cycle=cycle,
                host_organization=orgs[(i + 1 + i // 20) % 20],
                title=f"Assignment {i}",
                description="A stretch assignment.",
                assignment_type="exchange",
                duration_months=6,
                start_earliest=date(2020 + c, 3, 1),
                start_latest=date(2020 + c, 3, 1),
                status=OpportunityStatus.APPROVED,
                posted_by=admin,
            )
            for i in mine
        )
        nominations = Nomination.objects.bulk_create(
            Nomination(
                cycle=cycle,
                person=people[i],
                home_organization=people[i].organization,
                status=NominationStatus.ENDORSED,
                nominated_by=admin,
            )
            for i in mine
        )
        offers = Offer.objects.bulk_create(
            Offer(
                run=run,
                nomination=n,
                opportunity=o,
                status=OfferStatus.ACCEPTED,
                respond_by=date(2020 + c, 2, 1),
            )
            for n, o in zip(nominations, opportunities, strict=True)
        )
        start = date(2020 + c, 3, 1)
        placements += Placement.objects.bulk_create(
            Placement(
                offer=offer,
                program=program,
                cycle=cycle,
                person=n.person,
                home_organization=n.home_organization,
                host_organization=o.host_organization,
                title=o.title,
                status=Status.RETURNED,
                start_date=start,
                end_date=start + timedelta(days=180),
                planned_end_date=start + timedelta(days=180),
                returned_on=start + timedelta(days=181),
            )
            for offer, n, o in zip(offers, nominations, opportunities, strict=True)
        )
        del run
    Outcome.objects.bulk_create(
        Outcome(
            placement=p,
            months_after=m,
            due_on=p.end_date + timedelta(days=30 * m),
            promoted=(p.pk + m) % 3 == 0,
            new_role=p.pk % 2 == 0,
            still_with_home=True,
            recorded_at=now,
        )
        for p in placements
        for m in (6, 12, 24)
    )
    Evaluation.objects.bulk_create(
        Evaluation(
            placement=p,
            stage="final",
            respondent="participant",
            due_on=p.end_date,
            rating=1 + p.pk % 5,
            submitted_at=now,
        )
        for p in placements
    )
    other_apps(program, cycles, placements, admin)
    assert MatchRun.objects.count() == 4
    return admin, auditor, program


def other_apps(program, cycles, placements, admin) -> None:
    """The learning, development and money records of the bench's program, in bulk."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from talent_exchange.development.frameworks import SHIPPED, load_framework
    from talent_exchange.development.models import DevelopmentPlan, PlanItem
    from talent_exchange.finance.models import CostArrangement, CostComponent
    from talent_exchange.learning.models import Invitation, Session

    sessions = {
        cycle.pk: Session.objects.create(
            program=program,
            cycle=cycle,
            title=f"Kick-off {cycle.name}",
            starts_at=datetime(2020 + c, 2, 15, 14, tzinfo=UTC),
            ends_at=datetime(2020 + c, 2, 15, 16, tzinfo=UTC),
            organiser=admin,
        )
        for c, cycle in enumerate(cycles)
    }
    Invitation.objects.bulk_create(
        Invitation(
            session=sessions[p.cycle_id],
            person_id=p.person_id,
            response="yes",
            attendance="present" if p.pk % 5 else "absent",
        )
        for p in placements
    )
    framework = load_framework(SHIPPED / "us-ecq-2025.json")
    competency = framework.competencies.first()
    plans = DevelopmentPlan.objects.bulk_create(
        DevelopmentPlan(
            person_id=p.person_id,
            program=program,
            year=p.start_date.year,
            framework=framework,
            status="approved",
            goals="Lead a cross-agency team.",
        )
        for p in placements
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            competency=competency,
            activity_type="detail",
            description="The exchange assignment",
            placement=p,
        )
        for plan, p in zip(plans, placements, strict=True)
    )
    arrangements = CostArrangement.objects.bulk_create(
        CostArrangement(
            placement=p,
            basis="reimbursable",
            authority="interchange",
            payer_id=p.host_organization_id,
            payee_id=p.home_organization_id,
            billing_frequency="monthly",
        )
        for p in placements
        if p.host_organization_id != p.home_organization_id
    )
    CostComponent.objects.bulk_create(
        CostComponent(arrangement=a, kind="salary", amount=Decimal("30000.00"))
        for a in arrangements
    )


if __name__ == "__main__":
    main()
