"""The list pages' CPU per request, and their HTML kept for a byte-for-byte comparison (run by
hand, before and after a change to a list).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/te_bench_100000 \\
      .venv/bin/python bench/list_pages.py --repeat 15 --html /tmp/after
    DATABASE_URL=... .venv/bin/python bench/list_pages.py --html /tmp/after --language fr
    diff -r /tmp/before /tmp/after     # the same pages, from the other code

Signs in each page's account like bench/web_pages.py (second factor counted as done), warms
the page once, keeps one answer (CSRF tokens and nonces blanked) and its queries, then
prints the median and least CPU milliseconds of ``--repeat`` requests (the app's own CPU,
not PostgreSQL's). ``--language fr`` shows the pages in French whatever the accounts' saved
language (the middleware that applies it is bypassed; nothing is written to the database).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_exchange.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DEMO_MODE", "false")  # as in production
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)

import django

django.setup()

from django.db import connection
from django.test import Client
from profile_page import signed_in  # bench/: one signed-in client for every script

from talent_exchange.accounts import language as user_language
from talent_exchange.people.models import Skill
from talent_exchange.programs.models import Cycle


def pages() -> list[tuple[str, str, str]]:
    c = Cycle.objects.order_by("-id")[0].pk
    skill = Skill.objects.order_by("pk")[0].pk
    return [
        ("people list", "scale-admin", "/people/"),
        ("people search by name", "scale-admin", "/people/?q=smith"),
        ("people filter by skill", "scale-admin", f"/people/?skills={skill}"),
        ("people list: coordinator", "scale-coordinator", "/people/"),
        ("opportunities", "scale-admin", f"/opportunities/cycle/{c}/"),
        ("opportunities: coordinator", "scale-coordinator", f"/opportunities/cycle/{c}/"),
        ("nominations: administrator", "scale-admin", f"/nominations/cycle/{c}/"),
        ("nominations: coordinator", "scale-coordinator", f"/nominations/cycle/{c}/"),
        ("audit trail", "scale-auditor", "/audit/"),
        ("audit trail: people", "scale-auditor", "/audit/?kind=person"),
    ]


def _blanked(html: str) -> str:
    for pattern in (
        r'(csrfmiddlewaretoken" value=")[^"]+',
        r'(nonce=")[^"]+',
        r'("X-CSRFToken": ")[^"]+',
    ):
        html = re.sub(pattern, r"\1X", html)
    return html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", default="")
    parser.add_argument("--html", default="", help="a folder to keep each page's HTML in")
    parser.add_argument("--language", default="")
    args = parser.parse_args()
    if args.language:
        user_language.UserLanguageMiddleware.__call__ = (  # type: ignore[method-assign]
            lambda self, request: self.get_response(request)
        )
    headers = {"HTTP_ACCEPT_LANGUAGE": args.language} if args.language else {}
    folder = Path(args.html) if args.html else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    clients: dict[str, Client] = {}
    for name, username, url in pages():
        if args.only and args.only not in name:
            continue
        client = clients.get(username)
        if client is None:
            client = clients[username] = signed_in(username)
        assert client.get(url, **headers).status_code == 200, url
        statements: list[str] = []

        def note(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            response = client.get(url, **headers)
        if folder:
            suffix = f".{args.language}" if args.language else ""
            file = re.sub(r"\W+", "-", name).strip("-") + suffix + ".html"
            (folder / file).write_text(_blanked(response.content.decode()))
        cpu = []
        for _ in range(args.repeat):
            started = time.process_time()
            client.get(url, **headers)
            cpu.append((time.process_time() - started) * 1000)
        print(
            f"{name:28} median {statistics.median(cpu):6.1f} ms, least {min(cpu):6.1f} ms CPU, "
            f"{len(statements)} queries, {len(response.content) / 1024:.0f} KB",
            flush=True,
        )
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
