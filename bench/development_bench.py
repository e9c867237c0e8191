"""Time the talent search and the compliance dashboard at two sizes, side by side (run by hand,
on PostgreSQL; issue 11's targets: search under 300 ms at 100,000 profiles, the compliance
dashboard of a program of 10,000 executives under 1 s with a fixed number of queries).

    .venv/bin/python bench/development_bench.py                    # 1,000 and 100,000 profiles
    .venv/bin/python bench/development_bench.py --sizes 1000,20000 --repeat 5 --explain

For each size N the scale dataset (``talent-exchange seed_scale``: N people in N/200
organisations, a few participants — the cycle is not measured here) is built once into its
own PostgreSQL database ``te_dev_bench_<N>`` (kept between runs: drop it to rebuild). The
first run also adds, to that database only, what the development pages read and the scale
dataset lacks: French text on one profile in five (a French skill and a French job one would
take, as a bilingual talent file has), a designation on one in twenty, and a "Bench SES
program" over the first organisations — min(N, 10,000) executives — with its mobility rule
(every 5 years, 120 days), an approved exception for one executive in twenty and a board
member. Then, in a child process per size, each search and the dashboard are requested
``--repeat`` times after one warm-up through Django's test client, with production-like
settings (DEBUG off): the table gives the median server time, the app's CPU time (median;
steadier than the wall clock on a busy machine), the time PostgreSQL spent on the queries,
the number of queries, and the ratio of the medians between the two sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BENCH_PROGRAM = "Bench SES program"
BENCH_BOARD = "dev-bench-board"
EXECUTIVES = 10_000
PER_ORGANIZATION = 200  # seed_scale's people per organisation

# (name, user, path and query): the searches, in English and French, and the dashboard.
SEARCHES = [
    ("name with a typo (smoth)", "scale-admin", "/development/talent/?q=smoth"),
    ("name with a typo (willaims)", "scale-admin", "/development/talent/?q=willaims"),
    ("skill, English (budgeting)", "scale-admin", "/development/talent/?q=budgeting"),
    ("skill, English stem (negotiating)", "scale-admin", "/development/talent/?q=negotiating"),
    (
        "skill, French (gestion des risques)",
        "scale-admin",
        "/development/talent/?q=gestion+risques",
    ),
    (
        "three jobs, English (deputy director public works)",
        "scale-admin",
        "/development/talent/?would_take=deputy+director+public+works",
    ),
    (
        "three jobs, French (directrice des finances)",
        "scale-admin",
        "/development/talent/?would_take=directrice+des+finances",
    ),
    (
        "filters: designation, 25+ years, moved since 2020",
        "scale-admin",
        "/development/talent/?designation=security&min_years=25&moved_since=2020",
    ),
    (
        "skill + organisation + 10+ years",
        "scale-admin",
        "/development/talent/?q=budgeting&min_years=10&organization={org}",
    ),
    (
        "coordinator: skill in their organisation",
        "scale-coordinator",
        "/development/talent/?q=budgeting",
    ),
    ("compliance dashboard", BENCH_BOARD, "/development/programs/{program}/compliance/"),
    (
        "compliance dashboard, overdue",
        BENCH_BOARD,
        "/development/programs/{program}/compliance/?status=overdue",
    ),
]

FRENCH_SKILLS = ["Gestion des risques", "Planification stratégique", "Relations de travail"]
FRENCH_JOBS = [
    "Directrice des finances",
    "Directeur général des opérations",
    "Gestionnaire de projets stratégiques",
    "Conseillère principale en politiques",
]


def _database_url(size: int) -> str:
    return f"{PG}/te_dev_bench_{size}"


def _env(size: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talent_exchange.settings.local",
        "DATABASE_URL": _database_url(size),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "PYTHONPATH": str(ROOT),
    }


def _psql(sql: str) -> str:
    return subprocess.run(  # noqa: S603
        ["psql", f"{PG}/postgres", "-Atqc", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def ensure_dataset(size: int) -> None:
    name = f"te_dev_bench_{size}"
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):  # noqa: S608  (an int)
        _psql(f"CREATE DATABASE {name}")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=_env(size), check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", "prepare", "--size", str(size)],
        env=_env(size),
        check=True,
    )


def measure(size: int, repeat: int, explain: bool) -> list[dict]:
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            __file__,
            "--child",
            "measure",
            "--size",
            str(size),
            "--repeat",
            str(repeat),
            *(["--explain"] if explain else []),
        ],
        env=_env(size),
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout)


# --- in the child, bound to one size's database ------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(size: int) -> None:
    """Build the scale dataset if missing, then what the development pages read (once)."""
    _setup_django()
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from talent_exchange.accounts.models import RoleGrant, User
    from talent_exchange.development.models import MobilityException, MobilityRule
    from talent_exchange.nonprod.scale import PROGRAM_NAME, ScaleSize, seed_scale
    from talent_exchange.organizations.models import Organization
    from talent_exchange.people.models import Designation, Person, Skill, SkillKind
    from talent_exchange.people.search import refresh_search_vectors
    from talent_exchange.programs.models import Program

    if not Program.objects.filter(name=PROGRAM_NAME).exists():
        started = time.perf_counter()
        print(f"Building the scale dataset of {size:,} people…", file=sys.stderr, flush=True)
        seed_scale(
            ScaleSize(
                people=size,
                organizations=max(5, size // PER_ORGANIZATION),
                participants=100,
                rankings_per_participant=4,
            )
        )
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    if Program.objects.filter(name=BENCH_PROGRAM).exists():
        return
    started = time.perf_counter()
    rng = random.Random(11)
    today = timezone.localdate()
    with transaction.atomic():
        people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        french = [
            Skill.objects.get_or_create(
                name=name, defaults={"kind": SkillKind.SKILL, "is_vocabulary": True}
            )[0]
            for name in FRENCH_SKILLS
        ]
        chosen = people[::5]
        by_job: dict[str, list[int]] = {}
        for pk in chosen:
            by_job.setdefault(rng.choice(FRENCH_JOBS), []).append(pk)
        for job, ids in by_job.items():
            Person.objects.filter(pk__in=ids).update(would_take_2=job)
        through = Person.skills.through
        through.objects.bulk_create(
            [through(person_id=pk, skill_id=rng.choice(french).pk) for pk in chosen],
            batch_size=10_000,
            ignore_conflicts=True,
        )
        designation, _created = Designation.objects.get_or_create(
            name="National Security Professional"
        )
        Person.designations.through.objects.bulk_create(
            [
                Person.designations.through(person_id=pk, designation_id=designation.pk)
                for pk in people[::20]
            ],
            batch_size=10_000,
            ignore_conflicts=True,
        )
        refresh_search_vectors()  # bulk writes send no signals
        orgs = list(
            Organization.objects.filter(name__startswith="Scale Agency ").order_by("name")[
                : max(1, EXECUTIVES // PER_ORGANIZATION)
            ]
        )
        program = Program.objects.create(
            name=BENCH_PROGRAM, shape="executive_development", administering_organization=orgs[0]
        )
        program.participating_organizations.set(orgs)
        MobilityRule.objects.create(program=program, interval_years=5, min_days=120)
        board = User.objects.create_user(BENCH_BOARD, "board@bench.example", None)
        RoleGrant.objects.create(user=board, role="board_reviewer", program=program)
        executives = list(
            Person.objects.filter(organization__in=orgs).order_by("pk").values_list("pk", flat=True)
        )
        MobilityException.objects.bulk_create(
            [
                MobilityException(
                    person_id=pk,
                    program=program,
                    reason="small_agency",
                    explanation="bench",
                    starts_on=today - timedelta(days=10),
                    ends_on=today + timedelta(days=300),
                    status="approved",
                    requested_by=board,
                )
                for pk in executives[::20]
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  development data for {len(executives):,} executives, French text on "
        f"{len(chosen):,} profiles, in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )


def run_measure(size: int, repeat: int, explain: bool) -> None:
    _setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from talent_exchange.accounts.models import User
    from talent_exchange.accounts.two_factor import SATISFIED, SESSION_KEY
    from talent_exchange.people.models import Person
    from talent_exchange.programs.models import Program

    program = Program.objects.get(name=BENCH_PROGRAM)
    org = program.administering_organization_id
    executives = Person.objects.filter(
        organization__in=program.participating_organizations.all()
    ).count()
    clients: dict[str, Client] = {}
    results = []
    for name, username, template in SEARCHES:
        url = template.format(program=program.pk, org=org)
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client(SERVER_NAME="127.0.0.1")
            client.force_login(User.objects.get(username=username))
            session = client.session
            session[SESSION_KEY] = SATISFIED
            session.save()
        walls, cpus, sqls, count, status, found = [], [], [], 0, 0, ""
        for attempt in range(repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                wall = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
            status = response.status_code
            if attempt == 0:  # the warm-up
                page = response.content.decode()
                found = _result_count(page)
                continue
            walls.append(wall)
            cpus.append(cpu)
            sqls.append(sum(float(q["time"]) for q in captured.captured_queries))
            count = len(captured)
        results.append(
            {
                "page": name,
                "url": url,
                "status": status,
                "median": statistics.median(walls),
                "cpu": statistics.median(cpus),
                "sql": statistics.median(sqls),
                "queries": count,
                "found": found,
                "executives": executives if "compliance" in name else None,
            }
        )
        if explain and "talent" in url:
            _explain(name, url)
    print(json.dumps(results))


def _result_count(page: str) -> str:
    import re

    match = re.search(r"<caption>([\d,]+) (?:person|people)</caption>", page)
    if match:
        return match.group(1)
    capped = re.search(r"<caption>More than ([\d,]+) people", page)
    return f"> {capped.group(1)}" if capped else ("0" if "Nobody matches" in page else "")


def _explain(name: str, url: str) -> None:
    """EXPLAIN ANALYZE of the search's main query (the page's rows), to stderr."""
    from urllib.parse import parse_qs, urlsplit

    from django.db import connection

    from talent_exchange.accounts.models import User
    from talent_exchange.development.forms import TalentSearchForm
    from talent_exchange.development.views import talent_results

    user = User.objects.get(username="scale-admin")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    form = TalentSearchForm(query, user=user)
    assert form.is_valid(), form.errors
    rows = talent_results(user, form.cleaned_data)[:25]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    sys.stderr.write(f"\n--- {name}\n{plan}\n")


# --- the parent -------------------------------------------------------------------------------


def print_table(sizes: list[int], results: dict[int, list[dict]]) -> None:
    small, large = sizes[0], sizes[-1]
    by_page = {size: {r["page"]: r for r in results[size]} for size in sizes}
    print(
        f"| page | ms ({small:,}) | CPU ms | SQL ms | queries | found "
        f"| ms ({large:,}) | CPU ms | SQL ms | queries | found | ratio |"
    )
    print("|" + "---|" * 12)
    for row in results[small]:
        cells = [row["page"]]
        for size in (small, large):
            r = by_page[size].get(row["page"])
            if r is None or r["status"] != 200:
                cells += ["–", "–", "–", str(r["status"]) if r else "–", "–"]
                continue
            cells += [
                f"{r['median'] * 1000:,.0f}",
                f"{r['cpu'] * 1000:,.0f}",
                f"{r['sql'] * 1000:,.0f}",
                str(r["queries"]),
                r["found"] or "–",
            ]
        a, b = by_page[small].get(row["page"]), by_page[large].get(row["page"])
        ratio = f"{b['median'] / a['median']:.1f}×" if a and b and a["median"] else "–"
        print("| " + " | ".join([*cells, ratio]) + " |")
    for size in sizes:
        executives = max((r["executives"] or 0) for r in results[size])
        print(f"\nAt {size:,} profiles the compliance program has {executives:,} executives.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each search")
    parser.add_argument("--child", choices=["prepare", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "prepare":
        prepare(args.size)
        return
    if args.child == "measure":
        run_measure(args.size, args.repeat, args.explain)
        return
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    for size in sizes:
        ensure_dataset(size)
    results = {}
    loads = []
    for size in sizes:
        print(f"Measuring at {size:,} profiles…", flush=True)
        loads.append(os.getloadavg()[0])
        results[size] = measure(size, args.repeat, args.explain)
    loads.append(os.getloadavg()[0])
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {min(loads):.1f}–"
        f"{max(loads):.1f} (1 min) on {os.cpu_count()} cores; in-process server time, "
        f"median of {args.repeat} after a warm-up\n"
    )
    print_table(sizes, results)
    target = ROOT / "bench" / "results"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"development-{datetime.now(UTC):%Y%m%d-%H%M}.json"
    path.write_text(json.dumps({"sizes": sizes, "loads": loads, "results": results}, indent=1))
    print(f"\nWritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
