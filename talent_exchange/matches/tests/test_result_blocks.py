"""A run's rows are also stored in blocks, so that a page of a national run reads one or two
blocks instead of the whole result (issue 17: nothing that shows a run parses all of it)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.matches import presenters
from talent_exchange.matches.models import (
    ROWS_PER_BLOCK,
    MatchRun,
    ResultBlock,
    RowKind,
    stored_rows,
)

from .factories import MatchRunFactory, small_market

pytestmark = pytest.mark.django_db

N_ASSIGNMENTS = 2 * ROWS_PER_BLOCK + 345


def _result(n: int, unmatched: int = 3) -> dict:
    return {
        "status": "stable",
        "assignments": [
            {"participant": f"n{i}", "slot": f"o{i % 7}", "reason": f"rank {i % 5}"}
            for i in range(n)
        ],
        "unmatched": [
            {"participant": f"n{n + i}", "reason": "ranked nothing"} for i in range(unmatched)
        ],
        "metrics": {"matched": n, "unmatched": unmatched},
        "problems": [],
    }


@pytest.fixture
def big_run():
    return MatchRunFactory(result=_result(N_ASSIGNMENTS))


def test_saving_a_result_stores_its_rows_in_blocks(big_run):
    blocks = ResultBlock.objects.filter(run=big_run)
    assert sorted(blocks.values_list("kind", "index")) == [
        (RowKind.ASSIGNMENTS, 0),
        (RowKind.ASSIGNMENTS, 1),
        (RowKind.ASSIGNMENTS, 2),
        (RowKind.UNMATCHED, 0),
    ]
    # A new result replaces the blocks; it never adds to them.
    big_run.result = _result(10, unmatched=0)
    big_run.save()
    assert list(blocks.values_list("kind", "index")) == [(RowKind.ASSIGNMENTS, 0)]


def test_a_page_reads_only_its_blocks_in_one_query(big_run, django_assert_num_queries):
    run = MatchRun.objects.defer("market_data", "result_data").get(pk=big_run.pk)
    everything = _result(N_ASSIGNMENTS)["assignments"]
    with django_assert_num_queries(2):  # the page's blocks; the first unmatched
        page = presenters.result_page(run, "21", 100, 200)
        rows = list(page.page)
    assert rows == everything[2000:2100]
    assert page.page.paginator.num_pages == 24
    assert [r["participant"] for r in page.unmatched] == [f"n{N_ASSIGNMENTS + i}" for i in range(3)]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, N_ASSIGNMENTS + 10), length=st.integers(0, 2 * ROWS_PER_BLOCK + 50))
def test_any_slice_of_the_stored_rows_is_that_slice_of_the_result(big_run, start, length):
    rows = stored_rows(big_run, RowKind.ASSIGNMENTS)
    assert len(rows) == N_ASSIGNMENTS
    assert (
        rows[start : start + length]
        == _result(N_ASSIGNMENTS)["assignments"][start : start + length]
    )


def test_the_worker_stores_the_blocks_with_the_result(world, client_for):
    """A run through the worker (inline in tests) writes its rows in blocks, in the same
    transaction as the result: every stored row is the result's."""
    m = small_market(world)
    client_for(world.users["admin"]).post(
        reverse("matches:runs", args=[m.cycle.pk]),
        {"mode": "stable", "balance_tolerance": "", "round": 1},
    )
    run = MatchRun.objects.get(cycle=m.cycle)
    result = run.result or {}
    assert result["assignments"]
    for kind in RowKind:
        rows = stored_rows(run, kind)
        assert rows[0 : len(rows)] == result.get(kind.value, [])
