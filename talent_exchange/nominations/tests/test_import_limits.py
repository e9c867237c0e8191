"""The spreadsheet import reads within fixed bounds (issue 16, finding 4): a 2 KB workbook
that claims to be a million rows wide or unpacks to 64 MB is refused without being
materialised, a 200,000-character CSV cell is refused with its row and column instead of
failing the job, and every bad cell is reported by line and column, with nothing written."""

from __future__ import annotations

import tracemalloc

import pytest
from django.urls import reverse

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.nominations import importer
from talent_exchange.nominations.importer import import_nominations, read_table
from talent_exchange.nominations.models import ImportStatus, Nomination, NominationImport

from . import hostile_files as hostile

pytestmark = pytest.mark.django_db
HEADER = list(hostile.HEADER)


def _peak_megabytes(action) -> float:
    """The most memory Python allocated while ``action`` ran, in MB."""
    tracemalloc.start()
    try:
        action()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / (1024 * 1024)


def _refusal(name: str, data: bytes, world) -> str:
    with pytest.raises(ActionRefused) as refused:
        import_nominations(hostile.upload(name, data), world.cycle, actor=world.users["coord_a"])
    return refused.value.message


def test_a_workbook_claiming_a_huge_sheet_is_refused_without_padding(world, chain):
    data = hostile.xlsx_declaring("A1:XFD1048576")
    assert len(data) < 6000
    messages = []
    peak = _peak_megabytes(lambda: messages.append(_refusal("n.xlsx", data, world)))
    assert "1048576 rows by 16384 columns" in messages[0]
    assert peak < 30  # the padded sheet would be billions of cells
    assert not Nomination.objects.exists()


def test_a_declared_dimension_beyond_the_limits_is_refused(world, chain):
    """Fails on the old importer, which padded 6,000 rows to 52 columns and then imported."""
    message = _refusal("n.xlsx", hostile.xlsx_declaring("A1:AZ6000"), world)
    assert "6000 rows by 52 columns" in message and "at most 5001 rows and 64 columns" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world, chain):
    data = hostile.xlsx_bomb(unpacked_mb=64)
    assert len(data) < 200_000
    messages = []
    peak = _peak_megabytes(lambda: messages.append(_refusal("n.xlsx", data, world)))
    assert "unpacks to 64 MB" in messages[0]
    assert peak < 30


def test_formulas_are_reported_by_line_and_column_and_nothing_is_imported(world, chain):
    report = import_nominations(
        hostile.upload("n.xlsx", hostile.xlsx_with_formulas()),
        world.cycle,
        actor=world.users["coord_a"],
    )
    assert not report.ok and report.created == 0
    assert [(e.line, e.reason[:28]) for e in report.errors] == [
        (2, "Column A (work_email) holds "),
        (2, "Column B (rationale) holds a"),
        (2, "Column C (backfill_plan) hol"),
    ]
    assert all("holds a formula" in e.reason for e in report.errors)
    assert not Nomination.objects.exists()


def test_a_200000_character_csv_cell_is_refused_with_its_row_and_column(world, chain):
    message = _refusal("n.csv", hostile.csv_with_long_cell(200_000), world)
    assert message.startswith("Row 2, column B holds more than 5000 characters")


def test_the_job_of_a_hostile_csv_is_rejected_not_failed(world, chain):
    """The old importer let csv.Error escape: the job failed with a traceback."""
    job = NominationImport.objects.create(
        cycle=world.cycle,
        uploaded_by=world.users["coord_a"],
        filename="n.csv",
        content=hostile.csv_with_long_cell(200_000),
    )
    assert importer.execute_import(job.pk) == ImportStatus.REJECTED
    job.refresh_from_db()
    assert "Row 2, column B" in job.message


def test_a_long_cell_under_the_csv_limit_is_a_row_error(world, chain):
    data = hostile.csv([HEADER, ["a@example.org", "y" * 6000, "", "", ""]])
    report = import_nominations(
        hostile.upload("n.csv", data), world.cycle, actor=world.users["coord_a"]
    )
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "Column B (rationale) holds 6000 characters; a cell holds at most 5000.")
    ]


@pytest.mark.parametrize(
    ("builder", "expected"),
    [
        (hostile.csv_not_utf8, "Line 2, column B is not UTF-8 text"),
        (hostile.csv_with_nul, "Line 2, column B holds a NUL character"),
    ],
)
def test_unreadable_csv_says_where(world, chain, builder, expected):
    assert _refusal("n.csv", builder(), world).startswith(expected)


def test_formula_like_csv_text_stays_text():
    table = read_table(hostile.upload("n.csv", hostile.csv_with_formula_text()))
    assert table.errors == []
    assert table.rows[0][1]["rationale"] == "=1+1"
    assert table.rows[0][1]["endorser_2"] == "@SUM(A1)"


def _understated_xlsx(rows) -> bytes:
    """A workbook that claims one row, so only the row limit bounds the reading."""
    return hostile.xlsx_declaring("A1:E1", rows)


@pytest.mark.parametrize("make", [_understated_xlsx, hostile.csv])
def test_the_row_limit_stops_reading(world, chain, make, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows = [HEADER] + [[f"p{i}@example.org", "", "", "", ""] for i in range(4)]
    name = "n.csv" if make is hostile.csv else "n.xlsx"
    message = _refusal(name, make(rows), world)
    assert message == "The file has more than 3 rows; import at most 3 at once."
    ok = read_table(hostile.upload(name, make(rows[:4] + [["", "", "", "", ""]] * 3)))
    assert [line for line, _values in ok.rows] == [2, 3, 4]


def test_a_header_of_too_many_columns_is_refused(world, chain):
    header = ["work_email"] + [f"extra_{i}" for i in range(70)]
    message = _refusal("n.csv", hostile.csv([header, ["a@example.org"]]), world)
    assert "more than 64 columns" in message


@pytest.mark.parametrize("name", sorted(hostile.HOSTILE))
def test_every_hostile_file_ends_the_job_with_a_reason(world, chain, name):
    filename, data = hostile.HOSTILE[name]()
    job = NominationImport.objects.create(
        cycle=world.cycle, uploaded_by=world.users["coord_a"], filename=filename, content=data
    )
    assert importer.execute_import(job.pk) == ImportStatus.REJECTED
    job.refresh_from_db()
    assert job.message or job.errors
    assert not Nomination.objects.exists()


def test_the_import_page_states_the_limits_and_the_rule(world, chain, client_for):
    page = client_for(world.users["coord_a"]).get(
        reverse("nominations:import", args=[world.cycle.pk])
    )
    html = page.content.decode()
    assert "At most 5 MB, 5,000 rows after the header and 64 columns" in html
    assert "A cell holds at most 5,000 characters" in html
    assert "neither the nominee nor you may endorse" in html
