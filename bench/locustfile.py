"""Signed-in users of every role clicking through the pages they use (run by load_test.py).

Each simulated user signs in once with the scale dataset's password, then requests one of
its role's pages about once a second (think time 0.5–1.5 s), chosen by weight, with ids drawn
from the plan (``LOAD_PLAN``, written by load_plan.py). Users are spread over the servers in
``LOAD_SERVERS`` (comma-separated base URLs). The app runs with production settings behind
what it takes for a TLS proxy: every request says ``X-Forwarded-Proto: https``.

Statistics start once every user is signed in and last ``LOAD_DURATION`` seconds (the file
``LOAD_STARTED`` is written at that moment). A page that answers with an error, or sends
the user back to the sign-in page, counts as a failure. When the app adds a ``Server-Timing``
header (``SERVER_TIMING=true``), its CPU time per request is gathered by page and written to
``LOAD_TIMINGS`` at the end."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import defaultdict

import gevent
import pyotp
from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
SERVERS = os.environ.get("LOAD_SERVERS", "http://127.0.0.1:8100").split(",")
# How many simulated users of each role, out of every 100 (load_plan.MIX).
MIX: dict[str, int] = PLAN["mix"]
_TIMING = re.compile(r"(\w+);dur=([\d.]+)")
_timings: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_MIXED = [role for role, share in MIX.items() for _ in range(share)]
random.Random(2026).shuffle(_MIXED)
_ROLES = itertools.cycle(_MIXED)
_COUNTER = itertools.count()
# The n-th simulated user of a role signs in as the role's n-th account (modulo their number).
_ROLE_COUNTERS: dict[str, itertools.count] = defaultdict(itertools.count)
_TWO_FACTOR_STEP = "/accounts/2fa/authenticate/"
_SIGNED_IN = itertools.count(1)


def _start_measuring(environment) -> None:
    """Everyone is signed in: the statistics start now (sign-ins are a morning rush of
    password hashing, not the steady clicking measured), and end ``LOAD_DURATION`` later."""
    environment.runner.stats.reset_all()
    _timings.clear()
    started = os.environ.get("LOAD_STARTED")
    if started:
        with open(started, "w") as out:
            out.write("started")
    duration = float(os.environ.get("LOAD_DURATION", "0"))
    if duration:
        gevent.spawn_later(duration, environment.runner.quit)


@events.request.add_listener
def _server_timing(name, response, exception, **kwargs):
    headers = getattr(response, "headers", None) or {}
    header = headers.get("Server-Timing")
    if not header or exception:
        return
    values = dict(_TIMING.findall(header))
    row = _timings[name]
    row[0] += 1
    row[1] += float(values.get("cpu", 0))
    row[2] += float(values.get("app", 0))


@events.quitting.add_listener
def _write_timings(environment, **kwargs):
    path = os.environ.get("LOAD_TIMINGS")
    if path:
        with open(path, "w") as out:
            json.dump(
                {
                    name: {"n": n, "cpu_ms": cpu, "app_ms": app}
                    for name, (n, cpu, app) in _timings.items()
                },
                out,
            )


class SignedInUser(FastHttpUser):
    wait_time = between(0.5, 1.5)
    host = SERVERS[0]
    # Pages are small: keep-alive connections, no pool per user beyond one.
    concurrency = 1
    # A hundred sign-ins at once queue for the workers' password hashing.
    network_timeout = 180.0
    connection_timeout = 60.0

    def on_start(self) -> None:
        index = next(_COUNTER)
        self.role = next(_ROLES)
        spec = PLAN["roles"][self.role]
        self.username = spec["users"][next(_ROLE_COUNTERS[self.role]) % len(spec["users"])]
        self.base = SERVERS[index % len(SERVERS)]
        self.origin = "https://" + self.base.split("://", 1)[1]
        self.pages = spec["pages"]
        self.weights = [weight for _name, _url, weight in self.pages]
        self.own_nomination = PLAN["nomination_of"].get(self.username)
        self.signed_in = False
        try:
            self.sign_in()
        finally:  # a failed sign-in is counted (as a failure) and tried again on the next click
            if next(_SIGNED_IN) == self.environment.runner.target_user_count:
                _start_measuring(self.environment)

    def _headers(self, path: str) -> dict[str, str]:
        # The app's cookies are Secure (production settings); the client speaks plain HTTP to
        # the app server as a TLS proxy would, so it sends them itself.
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookiejar)
        return {"X-Forwarded-Proto": "https", "Referer": self.origin + path, "Cookie": cookies}

    def sign_in(self) -> None:
        path = "/accounts/login/"
        with self.client.get(
            self.base + path,
            name="sign in (form)",
            headers=self._headers(path),
            catch_response=True,
        ) as response:
            match = _CSRF.search(response.text or "")
            if not match:
                response.failure("no sign-in form")
                return
        with self.client.post(
            self.base + path,
            name="sign in",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": match.group(1),
            },
            headers={**self._headers(path), "Origin": self.origin},
            # The redirect is not followed: its relative address would go to the first server.
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location") or ""
            if response.status_code != 302 or "/accounts/login/" in location:
                response.failure(f"sign-in refused ({response.status_code})")
                return
        if _TWO_FACTOR_STEP in location:
            self.second_factor()
        else:
            self.signed_in = True

    def second_factor(self) -> None:
        """Administrators and auditors answer allauth's second step with their app's code."""
        path = _TWO_FACTOR_STEP
        with self.client.get(
            self.base + path,
            name="sign in (second factor form)",
            headers=self._headers(path),
            catch_response=True,
        ) as response:
            match = _CSRF.search(response.text or "")
            if not match:
                response.failure("no second-factor form")
                return
        secret = PLAN["totp"].get(self.username)
        if not secret:
            return
        with self.client.post(
            self.base + path,
            name="sign in (second factor)",
            data={"code": pyotp.TOTP(secret).now(), "csrfmiddlewaretoken": match.group(1)},
            headers={**self._headers(path), "Origin": self.origin},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location") or ""
            if response.status_code == 302 and "/accounts/" not in location:
                self.signed_in = True
            else:
                response.failure(f"second factor refused ({response.status_code})")

    def _fill(self, url: str) -> str:
        samples = PLAN["samples"]

        def value(match: re.Match) -> str:
            key = match.group(1)
            if key == "nomination" and self.own_nomination:
                return str(self.own_nomination)
            return str(random.choice(samples[key]))

        return re.sub(r"\{(\w+)\}", value, url)

    def visit(self) -> None:
        if not self.signed_in:
            self.sign_in()
            return
        name, url, _weight = random.choices(self.pages, weights=self.weights)[0]
        path = self._fill(url)
        with self.client.get(
            self.base + path,
            name=f"{self.role}: {name}",
            headers=self._headers(path),
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "/accounts/login/" in str(response.url):
                response.failure("signed out")

    tasks = [visit]
