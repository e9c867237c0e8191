"""Time the compliance dashboard and the talent search of a program of N executives (run by
hand; 1,000 by default, the issue's targets are 10,000 executives and 100,000 profiles on
PostgreSQL).

    DJANGO_SETTINGS_MODULE=talent_exchange.settings.test \
        .venv/bin/python bench/development_bench.py --people 1000 [--repeat 5]

Without ``DATABASE_URL`` it builds a SQLite database in a temporary directory (migrations
first, which take a minute); with it (PostgreSQL) it uses that database, which must be empty
or a copy you can throw away. It creates one program of ``--people`` executives in
``people/100`` organisations, each with one to three mobility records (some shorter than the
rule's 120 days), a rule and a few exceptions, then requests each page ``--repeat`` times
as the program's board member through Django's test client and prints the median time and
the number of SQL queries (which must not grow with N).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="te-dev-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_exchange.settings.test")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    board, program = build(args.people)
    measure(board, program, args.repeat, args.people)


def build(size: int):
    import random

    from django.utils import timezone

    from talent_exchange.accounts.models import RoleGrant, User
    from talent_exchange.development.models import MobilityException, MobilityRule
    from talent_exchange.organizations.models import Organization
    from talent_exchange.people.models import MobilityRecord, Person
    from talent_exchange.programs.models import Program

    rng = random.Random(11)
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"Bench agency {i}", kind="agency") for i in range(max(size // 100, 2))]
    )
    program = Program.objects.create(
        name="Bench SES program", shape="executive_development", administering_organization=orgs[0]
    )
    program.participating_organizations.set(orgs)
    MobilityRule.objects.create(program=program, interval_years=5, min_days=120)
    people = Person.objects.bulk_create(
        [
            Person(
                first_name=f"Exec{i}",
                last_name=f"Bench{i:06d}",
                work_email=f"exec{i}@bench.example",
                organization=orgs[i % len(orgs)],
                position_title=rng.choice(["Director", "Deputy Director", "Chief of Staff"]),
                years_of_service=rng.randint(3, 30),
                would_take_1=rng.choice(["Regional Director", "Chief Operating Officer"]),
            )
            for i in range(size)
        ]
    )
    today = timezone.localdate()
    records = []
    for person in people:
        for _ in range(rng.randint(1, 3)):
            start = today - timedelta(days=rng.randint(30, 3000))
            length = rng.choice([14, 60, 130, 200, 400])
            records.append(
                MobilityRecord(
                    person=person,
                    assignment_type=rng.choice(["detail", "rotation", "ipa", "liaison"]),
                    title="Bench assignment",
                    host_organization=rng.choice(orgs),
                    started_on=start,
                    ended_on=start + timedelta(days=length - 1),
                )
            )
    MobilityRecord.objects.bulk_create(records)
    board = User.objects.create_user("bench-board", "board@bench.example", "x")
    RoleGrant.objects.create(user=board, role="board_reviewer", program=program)
    MobilityException.objects.bulk_create(
        [
            MobilityException(
                person=p,
                program=program,
                reason="small_agency",
                explanation="bench",
                starts_on=today - timedelta(days=10),
                ends_on=today + timedelta(days=300),
                status="approved",
                requested_by=board,
            )
            for p in people[:: max(size // 20, 1)]
        ]
    )
    return board, program


def measure(board, program, repeat: int, size: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from talent_exchange.accounts.two_factor import SATISFIED, SESSION_KEY

    client = Client()
    client.force_login(board)
    session = client.session
    session[SESSION_KEY] = SATISFIED
    session.save()
    pages = {
        "compliance dashboard": reverse("development:compliance", args=[program.pk]),
        "compliance export (xlsx)": reverse(
            "development:compliance_export", args=[program.pk, "xlsx"]
        ),
        "talent search (name)": reverse("development:talent") + "?q=Bench0004",
        "talent search (would take, years)": reverse("development:talent")
        + "?would_take=regional&min_years=10",
        "board dashboard": "/",
    }
    print(f"{size} executives, {connection.vendor}, {repeat} runs each (after a warm-up)")
    print(f"{'page':40} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        print(f"{name:40} {statistics.median(times):10.1f} {max(times):8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
