"""Demo data of executive development (its content in data/demo.json): for the Alberta-style
program, a mobility rule (every 5 years, 120 days), plans in each state, a 14-day acting stint
that does not count, an approved exception, the board's annual session with a decision and a
succession plan; and a US SES-style program of two demo agencies with its executives, plans
and a succession plan. Idempotent: what exists is left as it is."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import TextIOBase
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from talent_exchange.accounts.models import User
from talent_exchange.core.history import attribute_to
from talent_exchange.organizations.models import Kind, Organization
from talent_exchange.people.models import MobilityRecord, Person
from talent_exchange.programs.models import Program, ProgramShape

from .frameworks import load_shipped
from .models import (
    Board,
    Competency,
    DevelopmentPlan,
    FrameworkVersion,
    MobilityException,
    MobilityRule,
    PlanItem,
    ReviewDecision,
    ReviewSession,
    SuccessionCandidate,
    SuccessionPlan,
)

DATA = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))


def seed_development(stdout: TextIOBase | None = None, *, today: date | None = None) -> int:
    """Seed the development demo; returns the number of rows created."""
    today = today or timezone.localdate()
    if not Program.objects.filter(name=DATA["alberta"]["program"]).exists():
        return 0  # the base demo is not there
    seeder = _Seeder(today)
    with transaction.atomic():
        load_shipped()
        seeder.program(DATA["alberta"], Program.objects.get(name=DATA["alberta"]["program"]))
        seeder.program(DATA["ses"], seeder.ses_program(DATA["ses"]))
    if stdout is not None and seeder.created:
        stdout.write(f"Executive development: {seeder.created} rows.\n")
    return seeder.created


def _email(executive: dict, domain: str) -> str:
    return f"{executive['first_name']}.{executive['last_name']}@{domain}".lower()


class _Seeder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.created = 0
        self.actor = (
            User.objects.filter(is_superuser=True).first()
            or User.objects.filter(username="alberta").first()
        )

    def make(self, model: Any, lookup: dict, defaults: dict | None = None) -> Any:
        row = model.objects.filter(**lookup).first()
        if row is not None:
            return row
        row = model(**lookup, **(defaults or {}))
        attribute_to(row, self.actor)
        row.save()
        self.created += 1
        return row

    def person(self, name: list[str]) -> Person:
        return Person.objects.get(first_name=name[0], last_name=name[1])

    def ses_program(self, data: dict) -> Program:
        agencies = [
            self.make(
                Organization,
                {"name": a["name"]},
                {
                    "short_name": a["short_name"],
                    "kind": Kind.AGENCY,
                    "jurisdiction": "United States (demo)",
                },
            )
            for a in data["agencies"]
        ]
        program = self.make(
            Program,
            {"name": data["program"]},
            {
                "short_name": data["short_name"],
                "shape": ProgramShape.EXECUTIVE_DEVELOPMENT,
                "administering_organization": agencies[0],
                "min_assignment_months": 4,
                "max_assignment_months": 12,
            },
        )
        joined = set(program.participating_organizations.values_list("pk", flat=True))
        if {a.pk for a in agencies} - joined:
            program.participating_organizations.add(*agencies)
        domains = [a["domain"] for a in data["agencies"]]
        for e in data["executives"]:
            agency = agencies[e["agency"]]
            person = self.make(
                Person,
                {"work_email": _email(e, domains[e["agency"]])},
                {
                    "first_name": e["first_name"],
                    "last_name": e["last_name"],
                    "organization": agency,
                    "position_title": e["title"],
                    "classification": "SES",
                    "years_of_service": e["years"],
                    "would_take_1": e["would_take"][0],
                    "would_take_2": e["would_take"][1],
                    "would_take_3": e["would_take"][2],
                },
            )
            for kind, title, host, days_ago, length in e["mobility"]:
                start = self.today - timedelta(days=days_ago)
                self.make(
                    MobilityRecord,
                    {"person": person, "title": title},
                    {
                        "assignment_type": kind,
                        "host_organization": agencies[host] if host is not None else None,
                        "host_name": "" if host is not None else "Interagency team",
                        "started_on": start,
                        "ended_on": start + timedelta(days=length - 1),
                    },
                )
        return program

    def program(self, data: dict, program: Program) -> None:
        framework = FrameworkVersion.objects.get(
            framework=data["framework"][0], version=data["framework"][1]
        )
        rule = data["rule"]
        self.make(
            MobilityRule,
            {"program": program},
            {
                "interval_years": rule["interval_years"],
                "min_days": rule["min_days"],
                "goal_share": Decimal(rule["goal_share"]),
                "framework": framework,
            },
        )
        year = self.today.year
        for spec in data["plans"]:
            person = self.person(spec["person"])
            plan = self.make(
                DevelopmentPlan,
                {"person": person, "program": program, "year": year},
                {
                    "framework": framework,
                    "status": spec["status"],
                    "goals": spec["goals"],
                    "reviewed_on": self.today if spec["status"] == "approved" else None,
                },
            )
            for code, activity, description, cost in spec["items"]:
                self.make(
                    PlanItem,
                    {"plan": plan, "description": description},
                    {
                        "competency": Competency.objects.get(version=framework, code=code),
                        "activity_type": activity,
                        "cost": Decimal(cost),
                        "starts_on": self.today + timedelta(days=60),
                        "ends_on": self.today + timedelta(days=240),
                        "success_criteria": "",
                    },
                )
        stint = data.get("acting_stint")
        if stint:
            start = self.today - timedelta(days=45)
            self.make(
                MobilityRecord,
                {"person": self.person(stint["person"]), "title": stint["title"]},
                {
                    "assignment_type": "detail",
                    "started_on": start,
                    "ended_on": start + timedelta(days=stint["days"] - 1),
                    "host_name": "",
                },
            )
        exception = data.get("exception")
        if exception and self.actor is not None:
            self.make(
                MobilityException,
                {"person": self.person(exception["person"]), "program": program},
                {
                    "reason": exception["reason"],
                    "explanation": exception["explanation"],
                    "starts_on": self.today - timedelta(days=30),
                    "ends_on": self.today + timedelta(days=exception["days"]),
                    "status": "approved",
                    "requested_by": self.actor,
                    "decided_by": self.actor,
                    "decided_at": timezone.now(),
                },
            )
        board = self.make(
            Board,
            {"program": program},
            {"name": data["board"], "chair": User.objects.filter(username="board").first()},
        )
        decision = data.get("decision")
        if decision and self.actor is not None:
            session = self.make(
                ReviewSession, {"board": board, "year": year}, {"held_on": self.today}
            )
            self.make(
                ReviewDecision,
                {"session": session, "person": self.person(decision["person"])},
                {
                    "decision": decision["decision"],
                    "notes": decision["notes"],
                    "decided_by": board.chair or self.actor,
                },
            )
        agencies = list(program.participating_organizations.order_by("pk"))
        for spec in data["succession"]:
            org = (
                Organization.objects.get(name=spec["org"])
                if "org" in spec
                else agencies[spec["agency"]]
            )
            plan = self.make(
                SuccessionPlan,
                {"program": program, "organization": org, "position_title": spec["position"]},
                {
                    "incumbent": self.person(spec["incumbent"]) if spec["incumbent"] else None,
                    "incumbent_risk_of_loss": spec["risk"],
                },
            )
            for name, readiness, risk, needed in spec["candidates"]:
                self.make(
                    SuccessionCandidate,
                    {"plan": plan, "person": self.person(name)},
                    {"readiness": readiness, "risk_of_loss": risk, "development_needed": needed},
                )
