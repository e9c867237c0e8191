"""The program's status index: the counts and the order that the compliance page and the
board's dashboard read instead of deciding every executive's status on each request. It must
say what deciding every status would say, and never outlive a change to what it counts."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent_exchange.development.compliance import Status
from talent_exchange.development.mobility import (
    ALL,
    compliance_of,
    rows_in_order,
    status_index,
)
from talent_exchange.development.tests.factories import (
    MobilityExceptionFactory,
    MobilityRuleFactory,
)
from talent_exchange.development.tests.test_views import (  # noqa: F401  (fixtures)
    TODAY,
    _days_ago,
    rule,
    three_states,
)
from tests.factories import MobilityRecordFactory, PersonFactory


def _decided(program, day):
    """What deciding every executive's status says: the counts and the pages' order."""
    result = compliance_of(program, day)
    counts = Counter(str(row.verdict.status) for row in result.rows)
    order = [
        row.person.pk
        for row in sorted(
            result.rows,
            key=lambda r: (r.verdict.status != Status.OVERDUE, r.person.last_name, r.person.pk),
        )
    ]
    return counts, order


def _indexed(program, day):
    index = status_index(program, day)
    return Counter({str(s): index.count(s) for s in Status if index.count(s)}), list(
        index.order[ALL]
    )


@pytest.mark.parametrize("years_later", [0, 1, 4, 6])
def test_the_index_says_what_deciding_every_status_says(three_states, years_later):  # noqa: F811
    world = three_states
    for i in range(12):  # more people, some with assignments of every age
        person = PersonFactory(organization=world.city_b, last_name=f"Zed{i % 4}")
        if i % 3:
            MobilityRecordFactory(
                person=person, started_on=_days_ago(200 + 300 * i), ended_on=_days_ago(300 * i)
            )
    day = TODAY + datetime.timedelta(days=365 * years_later)
    counts, order = _decided(world.program, day)
    assert _indexed(world.program, day) == (counts, order)
    index = status_index(world.program, day)
    for status in Status:
        assert list(index.order[status]) == [pk for pk in order if pk in set(index.order[status])]
    assert list(index.due_or_overdue()) == list(index.order[Status.OVERDUE]) + list(
        index.order[Status.DUE]
    )


def test_a_new_assignment_is_counted_at_the_next_request(three_states):  # noqa: F811
    world = three_states
    before = status_index(world.program, TODAY)
    assert world.person_a.pk in before.order[Status.OVERDUE]
    MobilityRecordFactory(person=world.person_a, started_on=_days_ago(300), ended_on=None)
    after = status_index(world.program, TODAY)
    assert world.person_a.pk in after.order[Status.COMPLIANT]
    assert after.count(Status.OVERDUE) == before.count(Status.OVERDUE) - 1


def test_an_exception_a_rule_and_a_move_are_counted_at_the_next_request(three_states):  # noqa: F811
    world = three_states
    assert world.person_a.pk in status_index(world.program, TODAY).order[Status.OVERDUE]
    MobilityExceptionFactory(
        person=world.person_a,
        program=world.program,
        status="approved",
        starts_on=_days_ago(1),
        ends_on=_days_ago(-30),
    )
    assert world.person_a.pk in status_index(world.program, TODAY).order[Status.EXEMPT]
    # the rule: with a minimum of 300 days, person_b's 200-day rotation no longer counts…
    stored = world.program.mobility_rule
    stored.min_days = 300
    stored.save()
    assert world.person_b.pk in status_index(world.program, TODAY).order[Status.OVERDUE]
    # …a person moving to an organisation outside the program leaves its index
    world.person_b.organization = world.outsider_org
    world.person_b.save()
    assert world.person_b.pk not in status_index(world.program, TODAY).order[ALL]


def test_the_board_dashboard_and_the_page_show_the_rows_decided_now(three_states, client_for):  # noqa: F811
    world = three_states
    board = client_for(world.users["board"])
    page = board.get("/").content.decode()
    assert "Overdue: 1 · due soon: 0 · exempt: 1." in page
    MobilityRecordFactory(person=world.person_a, started_on=_days_ago(300), ended_on=None)
    page = board.get("/").content.decode()
    assert "Overdue: 0 · due soon: 0 · exempt: 1." in page
    assert "Everyone is within the program" in page
    listed = board.get(
        reverse("development:compliance", args=[world.program.pk]), {"status": "compliant"}
    ).content.decode()
    assert listed.count('<tr data-status="compliant">') == 2


def test_rows_come_in_the_order_asked_and_skip_people_gone(three_states):  # noqa: F811
    world = three_states
    ids = [world.person_b.pk, world.person_a.pk, 999_999]
    rows = rows_in_order(world.program, TODAY, ids)
    assert [r.person.pk for r in rows] == [world.person_b.pk, world.person_a.pk]
    assert rows[1].verdict.status == Status.OVERDUE


def test_the_board_dashboard_costs_the_same_for_any_size(three_states, client_for):  # noqa: F811
    world = three_states
    board = client_for(world.users["board"])
    board.get("/")
    with CaptureQueriesContext(connection) as small:
        board.get("/")
    for i in range(40):
        person = PersonFactory(organization=world.city_b, last_name=f"Extra{i:02d}")
        MobilityRecordFactory(person=person, started_on=_days_ago(4000), ended_on=_days_ago(3800))
    board.get("/")  # the index is computed again once
    with CaptureQueriesContext(connection) as large:
        board.get("/")
    assert len(large) == len(small)


def test_a_program_without_a_rule_is_indexed_with_the_default_rule(world):
    assert not hasattr(world.program, "mobility_rule") or world.program.mobility_rule is None
    assert _indexed(world.program, TODAY) == _decided(world.program, TODAY)
    MobilityRuleFactory(program=world.program, interval_years=50, min_days=1)
    assert _indexed(world.program, TODAY) == _decided(world.program, TODAY)


def test_the_index_goes_through_the_shared_database_cache(three_states, settings):  # noqa: F811
    """Production keeps the index in Django's database cache (settings.base.CACHES, its
    table made by operations' migration 0002): the whole index and the dashboard's head
    come back from it as they went in."""
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "te_cache_test",
        }
    }
    call_command("createcachetable", verbosity=0)
    world = three_states
    computed = status_index(world.program, TODAY)
    with CaptureQueriesContext(connection) as read:
        again = status_index(world.program, TODAY)
    assert again == computed
    assert any("te_cache_test" in q["sql"] for q in read.captured_queries)
    head = status_index(world.program, TODAY, head=True)
    assert head.counts == computed.counts
    assert list(head.due_or_overdue()) == list(computed.due_or_overdue())[:25]
    caches["default"].clear()


def test_the_data_call_counts_a_new_rotation_at_the_next_request(three_states):  # noqa: F811
    from talent_exchange.development.mobility import data_call, fiscal_year_bounds, fiscal_year_of

    world = three_states
    year = fiscal_year_of(TODAY)
    before = data_call(world.program, year)
    start, _end = fiscal_year_bounds(year)
    MobilityRecordFactory(
        person=world.person_b,
        assignment_type="detail",
        host_organization=world.outsider_org,
        started_on=start,
        ended_on=start + datetime.timedelta(days=150),
    )
    after = data_call(world.program, year)
    assert after.rotated == before.rotated + 1
    # and an organisation's kind changes where a rotation went
    world.outsider_org.kind = "non_profit"
    world.outsider_org.save()
    assert data_call(world.program, year).by_destination != after.by_destination
