"""The dashboard's relevance tests (core/dashboard.py) never hide a section that has something
to show: every user of the demo (every role, every workflow state it seeds), on dates from
before its cycles open to after its placements end, sees the same dashboard with the tests
as with every builder called."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from talent_exchange.accounts.models import User
from talent_exchange.accounts.roles import forget_roles, roles_of
from talent_exchange.core import dashboard
from tests.demo import DEMO_TODAY

# "20 seconds ago" moves while the test runs; the rest must be the same
_TIME = re.compile(r"<time [^>]*>[^<]*</time>")
DATES = [DEMO_TODAY + timedelta(days=d) for d in (-60, 0, 10, 400)]


def _shown(user, today, *, skip_irrelevant: bool) -> list[tuple[str, str, str, str]]:
    request = RequestFactory().get("/")
    request.user = user
    forget_roles(user)
    built = dashboard.sections_for(user, roles_of(user), today, skip_irrelevant=skip_irrelevant)
    return [
        (
            str(s.title),
            s.template,
            s.testid,
            _TIME.sub("", render_to_string(s.template, {"ctx": s.context}, request=request)),
        )
        for s in built
    ]


@pytest.mark.django_db
def test_every_demo_user_sees_the_same_dashboard_with_the_relevance_tests(seeded_demo):
    users = list(User.objects.order_by("pk"))
    User.objects.create_superuser("relevance-root", "root@example.org", "x")
    users.append(User.objects.get(username="relevance-root"))
    assert len(users) > 20
    skipped = 0
    for today in DATES:
        for user in users:
            forget_roles(user)
            relevant = dashboard.relevant_sections(user, roles_of(user), today)
            # Where a builder shows something, its test said so (the finer message).
            for key, answer in relevant.items():
                if not answer:
                    skipped += 1
                    built = dashboard._sections[key](user, roles_of(user), today)
                    assert not built, f"{key} hidden from {user.username} on {today}"
            assert _shown(user, today, skip_irrelevant=True) == _shown(
                user, today, skip_irrelevant=False
            ), f"{user.username} on {today}"
    assert skipped > 0  # the tests do skip sections


@pytest.mark.django_db
def test_the_relevance_tests_are_one_statement_for_every_section(seeded_demo):
    user = User.objects.order_by("pk").first()
    roles = roles_of(user)
    dashboard.relevant_sections(user, roles, DEMO_TODAY)  # written once per process
    with CaptureQueriesContext(connection) as queries:
        answers = dashboard.relevant_sections(user, roles, DEMO_TODAY)
    assert len(queries) == 1
    assert set(answers) == set(dashboard._relevance_tests)
