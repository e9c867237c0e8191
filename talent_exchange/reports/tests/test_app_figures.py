"""The figures and reports the money, development and learning apps add to the program
dashboard (finance/reports.py, development/reports.py, learning/reports.py): absent when
the program has no such data, right against the data, a fixed number of queries, scoped by
the permission layer, formula cells written as text."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from talent_exchange.development.mobility import compliance_of, executives
from talent_exchange.development.tests.factories import MobilityRuleFactory
from talent_exchange.finance.models import Invoice
from talent_exchange.learning.tests.factories import InvitationFactory, SessionFactory
from talent_exchange.people.tests.factories import PersonFactory
from talent_exchange.reports.registry import figures_for

from .factories import populate, populate_other_apps

pytestmark = pytest.mark.django_db

APP_FIGURES = ("finance.money", "development.compliance", "learning.attendance")


def _dashboard(world, client_for, who="admin") -> str:
    url = reverse("reports:dashboard", args=[world.program.pk])
    return client_for(world.users[who]).get(url).content.decode()


def _past_session(world, marks: list[str], title="Peer support"):
    session = SessionFactory(
        program=world.program,
        cycle=world.cycle,
        title=title,
        organiser=world.users["admin"],
        starts_at=timezone.now() - timedelta(days=3),
    )
    for mark in marks:
        InvitationFactory(
            session=session,
            person=PersonFactory(organization=world.city_a),
            response="yes",
            attendance=mark,
        )
    return session


def _invoice(world, issuer, recipient, total, paid="0.00", memo_ref="B-1", status="issued"):
    return Invoice.objects.create(
        program=world.program,
        cycle=world.cycle,
        kind="cost",
        issuer=issuer,
        recipient=recipient,
        currency="USD",
        total=Decimal(total),
        paid=Decimal(paid),
        status=status,
        number=None if status == "draft" else Invoice.objects.filter(issuer=issuer).count() + 1,
        reference="" if status == "draft" else memo_ref,
        issued_on=None if status == "draft" else timezone.localdate(),
    )


def _everything(world, size: int) -> None:
    placements = populate(world, size)
    populate_other_apps(world, placements)
    MobilityRuleFactory(program=world.program)
    _past_session(world, ["present"] * size + ["absent", "excused"])
    for i in range(size):
        _invoice(world, world.city_a, world.city_b, "100.00", memo_ref=f"X-{i}")


def test_the_app_figures_are_absent_when_the_program_has_none_of_their_data(world, client_for):
    populate(world, 2)
    page = _dashboard(world, client_for)
    for key in APP_FIGURES:
        assert f'data-testid="figure-{key}"' not in page
    assert 'data-testid="figure-reports.funnel"' in page


def test_the_app_figures_show_with_their_tables(world, client_for):
    _everything(world, 2)
    page = _dashboard(world, client_for)
    for key, table in zip(
        APP_FIGURES, ("money-table", "compliance-table", "attendance-table"), strict=True
    ):
        assert f'data-testid="figure-{key}"' in page
        assert f'data-testid="{table}"' in page
    assert page.count("<svg") >= 8


def test_money_in_and_out_add_up_per_organisation(world):
    from talent_exchange.finance.reports import money

    _invoice(world, world.city_a, world.city_b, "300.00", paid="100.00", memo_ref="A-1")
    _invoice(world, world.city_a, world.city_b, "200.00", memo_ref="A-2")
    _invoice(world, world.city_b, world.city_a, "50.00", memo_ref="B-1")
    _invoice(world, world.city_b, world.city_a, "999.00", status="draft")  # not money yet
    rows = {r["name"]: r for r in money(world.program, {}, world.users["admin"])}
    a, b = rows[world.city_a.name], rows[world.city_b.name]
    assert (a["money_in"], a["received"], a["money_out"], a["paid"]) == (
        Decimal("500.00"),
        Decimal("100.00"),
        Decimal("50.00"),
        Decimal("0.00"),
    )
    assert (b["money_in"], b["money_out"], b["paid"]) == (
        Decimal("50.00"),
        Decimal("500.00"),
        Decimal("100.00"),
    )
    assert a["balance"] == -b["balance"] == Decimal("450.00")
    shown = {f.key: f for f in figures_for(world.program, {}, world.users["admin"])}
    summary = str(shown["finance.money"].summary)
    assert "550.00 USD" in summary and "450.00 USD is still to be paid" in summary
    # filtered to City A: every invoice involves it; to a period before them: none
    assert money(world.program, {"organization": world.city_a}, world.users["admin"])
    early = {"end": timezone.localdate() - timedelta(days=1)}
    assert money(world.program, early, world.users["admin"]) == []


def test_attendance_counts_present_against_invitations_held(world):
    from talent_exchange.learning.reports import attendance

    _past_session(world, ["present", "present", "absent", "excused", ""])
    SessionFactory(program=world.program, organiser=world.users["admin"])  # still to come
    rows = attendance(world.program, {}, world.users["admin"])
    assert len(rows) == 1
    row = rows[0]
    assert (row["sessions"], row["counted"], row["present"], row["absent"]) == (1, 4, 2, 1)
    assert (row["excused"], row["unrecorded"], row["percent"]) == (1, 1, 50)


def test_compliance_counts_match_the_compliance_page(world, client_for):
    MobilityRuleFactory(program=world.program)
    page = _dashboard(world, client_for, "board")
    assert 'data-testid="figure-development.compliance"' in page
    result = compliance_of(world.program, timezone.localdate())
    assert len(result.rows) == executives(world.program).count() > 0
    figure = next(
        f
        for f in figures_for(world.program, {}, world.users["admin"])
        if f.key == "development.compliance"
    )
    counted = dict(figure.context["counts"])
    assert sum(counted.values()) == len(result.rows)
    assert counted["Overdue"] == len(result.by_status.get("overdue", []))


@pytest.mark.parametrize("who", ["admin", "board", "auditor"])
def test_each_reader_sees_what_the_permission_layer_allows(world, client_for, who):
    _everything(world, 2)
    page = _dashboard(world, client_for, who)
    # invoices: administrators and auditors of the program; the board sees none of them
    assert ('data-testid="figure-finance.money"' in page) == (who != "board")
    # invitations: administrators and auditors (a board member only their own)
    assert ('data-testid="figure-learning.attendance"' in page) == (who != "board")
    # compliance: administrators, auditors and the board
    assert 'data-testid="figure-development.compliance"' in page


def test_a_coordinator_gets_neither_the_dashboard_nor_the_app_reports(world, client_for):
    _everything(world, 2)
    client = client_for(world.users["coord_a"])
    assert client.get(reverse("reports:dashboard", args=[world.program.pk])).status_code == 403
    for key in ("finance.invoices", "learning.attendance", "development.compliance"):
        url = reverse("reports:download", args=[world.program.pk, key]) + "?format=csv"
        assert client.get(url).status_code == 403


def test_the_board_downloads_no_invoice_it_may_not_see(world, client_for):
    _everything(world, 2)
    url = reverse("reports:download", args=[world.program.pk, "finance.invoices"]) + "?format=csv"
    admin = b"".join(client_for(world.users["admin"]).get(url).streaming_content).decode()
    board = b"".join(client_for(world.users["board"]).get(url).streaming_content).decode()
    assert "X-0" in admin and "A-1" in admin
    assert board.count("\n") == 1  # the header only


@pytest.mark.parametrize("size", [2, 6])
def test_the_dashboard_with_every_app_costs_a_fixed_number_of_queries(world, client_for, size):
    _everything(world, size)
    client = client_for(world.users["admin"])
    url = reverse("reports:dashboard", args=[world.program.pk])
    client.get(url)  # warm the session and roles
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    for key in APP_FIGURES:
        assert f'data-testid="figure-{key}"' in page.content.decode()
    assert len(queries) == QUERIES_WITH_EVERY_APP, [q["sql"][:120] for q in queries]


QUERIES_WITH_EVERY_APP = 30  # the same at both sizes (the data call comes from the cache once warm)


@pytest.mark.parametrize(
    "key, column",
    [("learning.attendance", 1), ("finance.ledger", 5), ("development.compliance", 0)],
)
def test_formula_cells_of_the_app_reports_come_out_as_text(world, client_for, key, column):
    from talent_exchange.finance.models import Posting

    _everything(world, 2)
    hostile = '=HYPERLINK("http://evil")'
    _past_session(world, ["present"], title=hostile)
    invoice = Invoice.objects.filter(program=world.program).first()
    Posting.objects.create(
        program=world.program,
        debtor=world.city_a,
        creditor=world.city_b,
        amount=Decimal("1.00"),
        currency="USD",
        invoice=invoice,
        memo=hostile,
        posted_on=timezone.localdate(),
    )
    person = executives(world.program).first()
    person.first_name = hostile
    person.save()
    client = client_for(world.users["admin"])
    base = reverse("reports:download", args=[world.program.pk, key])
    book = load_workbook(io.BytesIO(client.get(base + "?format=xlsx").content))
    cells = [row[column] for row in book.worksheets[0].iter_rows(min_row=2)]
    hit = [c for c in cells if str(c.value).startswith(("=", hostile[:5]))] or [
        c for c in cells if hostile in str(c.value)
    ]
    assert hit, [c.value for c in cells]
    assert all(c.data_type == "s" for c in hit)
    csv = b"".join(client.get(base + "?format=csv").streaming_content).decode()
    assert f",{hostile}" not in csv and '=HYPERLINK(""' not in csv.replace("'=", "")
