"""The child of load_test.py: who signs in, and which pages each role clicks through.

Run against the scale dataset in DATABASE_URL; prints a JSON plan for bench/locustfile.py:
``{"password": …, "roles": {role: {"users": [user name, …], "pages": [[name, url, weight],
…]}}, "totp": {user name: authenticator secret}}`` (administrators and auditors sign in with
a second factor, each on an account of their own). A URL may hold ``{person}``,
``{surname}``, ``{page}``, ``{nomination}`` or ``{opportunity}``: the load test fills them in
per click from the plan's samples (a participant's ``{nomination}`` is their own), so users
do not all read the same rows."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

from allauth.mfa.models import Authenticator

from talent_exchange.accounts.models import RoleGrant, User
from talent_exchange.nominations.models import Nomination
from talent_exchange.nonprod.scale import PROGRAM_NAME, SCALE_PASSWORD
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Program

PARTICIPANTS_SAMPLED = 400
# How many simulated users of each role, out of every 100 (locustfile.py and cpu_mix.py).
MIX = {
    "participant": 45,
    "administrator": 10,
    "coordinator": 10,
    "host": 10,
    "panelist": 10,
    "auditor": 5,
    "board": 5,
    "supervisor": 5,
}
# Roles that sign in with a second factor (ADR 0014), the scale account each copies, and how
# many simulated users of that role a run of 100 users has (MIX).
TWO_FACTOR_ROLES = {"administrator": ("scale-admin", 10), "auditor": ("scale-auditor", 5)}


def _totp_secret(username: str) -> str:
    """A fixed authenticator secret per load-test account (the dataset is not production)."""
    return base64.b32encode(hashlib.sha256(f"load-test:{username}".encode()).digest()[:20]).decode()


def two_factor_accounts(template: str, role: str, count: int) -> dict[str, str]:
    """Accounts of administrators and auditors, each with an authenticator app: user name →
    its TOTP secret. They cannot share one account as the other roles do: allauth accepts a
    code once per account (its replay guard), and ten administrators sign in in the same
    thirty seconds. Each is a copy of the scale account's grants and password; made once,
    found again by later runs."""
    original = User.objects.get(username=template)
    grants = list(RoleGrant.objects.filter(user=original))
    secrets = {}
    for number in range(1, count + 1):
        username = f"load-{role}-{number:02d}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@scale.example.org",
                "first_name": original.first_name,
                "last_name": f"{original.last_name} {number}",
                "password": original.password,
            },
        )
        if created:
            RoleGrant.objects.bulk_create(
                [
                    RoleGrant(
                        user=user,
                        role=grant.role,
                        program_id=grant.program_id,
                        organization_id=grant.organization_id,
                        cycle_id=grant.cycle_id,
                    )
                    for grant in grants
                ]
            )
        secret = _totp_secret(username)
        Authenticator.objects.update_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": secret}}
        )
        secrets[username] = secret
    return secrets


def plan() -> dict:
    rng = random.Random(2026)
    program = Program.objects.get(name=PROGRAM_NAME)
    cycle = program.cycles.order_by("-id").first()
    c, p = cycle.pk, program.pk
    home = program.administering_organization
    person_ids = list(Person.objects.order_by("?").values_list("pk", flat=True)[:500])
    own_people = list(
        Person.objects.filter(organization=home).order_by("?").values_list("pk", flat=True)[:100]
    )
    surnames = sorted(set(Person.objects.order_by("?").values_list("last_name", flat=True)[:300]))
    # The host is the first agency's coordinator: the opportunities it posted and ranks.
    hosted = list(
        Opportunity.objects.filter(cycle=cycle, host_organization=home)
        .order_by("pk")
        .values_list("pk", flat=True)[:50]
    )
    opportunities = list(
        Opportunity.objects.filter(cycle=cycle).order_by("?").values_list("pk", flat=True)[:300]
    )
    nominees = list(
        Nomination.objects.filter(cycle=cycle, person__user__username__startswith="scale-nominee-")
        .order_by("pk")
        .values_list("person__user__username", "pk")
    )
    nominees = rng.sample(nominees, min(PARTICIPANTS_SAMPLED, len(nominees)))
    totp = {}
    for role, (template, count) in TWO_FACTOR_ROLES.items():
        totp.update(two_factor_accounts(template, role, count))
    roles = {
        "administrator": {
            "users": [name for name in totp if name.startswith("load-administrator-")],
            "pages": [
                ["dashboard", "/", 4],
                ["people list", "/people/", 2],
                ["people list, later page", "/people/?page={page}", 1],
                ["people search by name", "/people/?q={surname}", 2],
                ["person page", "/people/{person}/", 3],
                ["program page", f"/programs/{p}/", 1],
                ["cycle page", f"/programs/cycles/{c}/", 2],
                ["opportunities", f"/opportunities/cycle/{c}/", 2],
                ["opportunity page", "/opportunities/{opportunity}/", 2],
                ["nominations", f"/nominations/cycle/{c}/", 2],
                ["nomination page", "/nominations/{nomination}/", 2],
                ["preferences overview", f"/preferences/cycle/{c}/", 1],
                ["host ranking", "/preferences/opportunity/{opportunity}/", 1],
                ["interview scores", f"/interviews/cycle/{c}/scores/", 1],
                ["match runs", f"/matches/cycle/{c}/runs/", 1],
                ["match constraints", f"/matches/cycle/{c}/constraints/", 1],
                ["offers", "/matches/offers/", 1],
                ["placements", "/placements/", 1],
            ],
        },
        "coordinator": {
            "users": ["scale-coordinator"],
            "pages": [
                ["dashboard", "/", 4],
                ["people list", "/people/", 2],
                ["people search by name", "/people/?q={surname}", 1],
                ["person page", "/people/{own_person}/", 2],
                ["incomplete profiles", "/people/?profile=incomplete", 1],
                ["nominations", f"/nominations/cycle/{c}/", 2],
                ["opportunities", f"/opportunities/cycle/{c}/", 1],
                ["offers", "/matches/offers/", 1],
            ],
        },
        "host": {
            "users": ["scale-coordinator"],
            "pages": [
                ["dashboard", "/", 2],
                ["own opportunity", "/opportunities/{hosted}/", 2],
                ["host ranking", "/preferences/opportunity/{hosted}/", 4],
                ["host ranking, find", "/preferences/opportunity/{hosted}/?find={surname}", 1],
                ["preferences overview", f"/preferences/cycle/{c}/", 1],
            ],
        },
        "board": {
            "users": ["scale-board"],
            "pages": [
                ["dashboard", "/", 3],
                ["program results", f"/placements/programs/{p}/results/", 2],
                ["due for development", "/people/?profile=due", 2],
                ["person page", "/people/{person}/", 2],
                ["program page", f"/programs/{p}/", 1],
            ],
        },
        "supervisor": {
            "users": ["scale-supervisor"],
            # Supervisors endorse through the e-mailed link; in the app they see their dashboard.
            "pages": [["dashboard", "/", 1]],
        },
        "panelist": {
            "users": ["scale-panelist"],
            "pages": [
                ["dashboard", "/", 3],
                ["interviews", f"/interviews/cycle/{c}/", 2],
            ],
        },
        "auditor": {
            "users": [name for name in totp if name.startswith("load-auditor-")],
            "pages": [
                ["dashboard", "/", 2],
                ["audit trail", "/audit/", 2],
                ["audit trail: people", "/audit/?kind=person", 2],
                ["audit trail, later page", "/audit/?page={page}", 1],
                ["person page", "/people/{person}/", 1],
            ],
        },
        "participant": {
            "users": [username for username, _pk in nominees],
            "pages": [
                ["dashboard", "/", 4],
                ["own ranking", "/preferences/nomination/{nomination}/", 4],
                ["own nomination", "/nominations/{nomination}/", 2],
                ["opportunity page", "/opportunities/{opportunity}/", 2],
            ],
        },
    }
    return {
        "password": SCALE_PASSWORD,
        "mix": MIX,
        "totp": totp,
        "roles": roles,
        "samples": {
            "person": person_ids,
            "own_person": own_people,
            "surname": surnames,
            "page": list(range(2, 40)),
            "opportunity": opportunities,
            "hosted": hosted,
            "nomination": [pk for _u, pk in nominees],
        },
        "nomination_of": dict(nominees),
    }


if __name__ == "__main__":
    json.dump(plan(), sys.stdout)
