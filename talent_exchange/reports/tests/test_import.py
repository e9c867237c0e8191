import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talent_exchange.nominations.tests import hostile_files as hostile
from talent_exchange.people.models import MobilityRecord, Person
from talent_exchange.reports import importer, services
from talent_exchange.reports.models import HistoryImport, ImportStatus

pytestmark = pytest.mark.django_db

HEADER = (
    "work_email",
    "first_name",
    "last_name",
    "organization",
    "position_title",
    "years_of_service",
    "placement_title",
    "placement_type",
    "host_organization",
    "started_on",
    "ended_on",
)


def _row(
    email,
    org="City of Alpha",
    title="Deputy",
    started="2020-01-06",
    ended="2020-04-30",
    years="5",
    host="City of Beta",
):
    return (email, "Nia", "New", org, "Analyst", years, title, "secondment", host, started, ended)


def _upload(world, client_for, rows, name="past.xlsx"):
    client = client_for(world.users["admin"])
    data = hostile.xlsx([HEADER, *rows]) if name.endswith(".xlsx") else hostile.csv([HEADER, *rows])
    response = client.post(
        reverse("reports:upload", args=[world.program.pk]),
        {"kind": "spreadsheet", "file": SimpleUploadedFile(name, data)},
    )
    return client, response, HistoryImport.objects.order_by("-pk").first()


def test_dry_run_reports_every_bad_row_with_line_column_and_reason_and_writes_nothing(
    world, client_for
):
    people_before = Person.objects.count()
    rows = [
        _row("good.one@example.org"),
        _row("bad.org@example.org", org="Nowhere Town"),
        _row("bad.date@example.org", started="31/02/2020"),
        _row("bad.years@example.org", years="many"),
        _row("good.one@example.org", title="Second", started="2020-03-01", ended="2020-06-30"),
        _row("outside@example.org", org="Delta Ministry"),
    ]
    _client, _response, job = _upload(world, client_for, rows)
    assert job.status == ImportStatus.REFUSED
    errors = {(e["line"], e["column"]) for e in job.report["errors"]}
    assert errors == {(3, "D"), (4, "J"), (5, "F"), (6, "J"), (7, "D")}
    reasons = " ".join(e["reason"] for e in job.report["errors"])
    assert "no organisation has this name" in reasons and "overlaps" in reasons
    assert Person.objects.count() == people_before
    assert not MobilityRecord.objects.exists()


def test_commit_imports_all_and_a_reimport_changes_nothing(world, client_for):
    rows = [_row("good.one@example.org"), _row(world.person_a.work_email, org="", title="Tour")]
    client, _response, job = _upload(world, client_for, rows, name="past.csv")
    assert job.status == ImportStatus.CHECKED, job.report
    assert [r["fate"] for r in job.report["rows"]] == ["created", "updated"]
    client.post(reverse("reports:upload_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    assert MobilityRecord.objects.count() == 2
    assert Person.objects.filter(work_email="good.one@example.org").exists()
    _client, _response, again = _upload(world, client_for, rows, name="past.csv")
    assert {r["fate"] for r in again.report["rows"]} == {"unchanged"}


def test_a_formula_cell_is_an_error_not_a_value(world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(
        reverse("reports:upload", args=[world.program.pk]),
        {"kind": "spreadsheet", "file": SimpleUploadedFile("f.xlsx", hostile.xlsx_with_formulas())},
    )
    job = HistoryImport.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.REFUSED
    assert not MobilityRecord.objects.exists()


def test_coordinators_may_not_import(world, client_for):
    url = reverse("reports:upload", args=[world.program.pk])
    assert client_for(world.users["coord_a"]).get(url).status_code == 403


def _history_upload(client, program, text, name="history.jsonl"):
    return client.post(
        reverse("reports:upload", args=[program.pk]),
        {"kind": "history", "file": SimpleUploadedFile(name, text.encode())},
    )


def test_a_history_file_on_the_site_is_for_platform_operators_and_its_own_program(
    world, client_for
):
    from talent_exchange.accounts.tests.factories import UserFactory
    from talent_exchange.programs.tests.factories import ProgramFactory

    from .roundtrip import export_text

    text = export_text(world.program, world.users["auditor"])
    response = _history_upload(client_for(world.users["admin"]), world.program, text)
    assert "Only a platform operator may import a history file." in response.content.decode()
    assert not HistoryImport.objects.exists()

    operator = UserFactory(username="operator", is_superuser=True)
    client = client_for(operator)
    _history_upload(client, world.program, text)
    job = HistoryImport.objects.get()
    assert job.status == ImportStatus.CHECKED, job.report
    assert {r["fate"] for r in job.report["rows"]} == {"unchanged"}
    client.post(reverse("reports:upload_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED

    other = ProgramFactory(name="Another exchange")
    _history_upload(client, other, text)
    refused = HistoryImport.objects.order_by("-pk").first()
    assert refused.status == ImportStatus.REFUSED
    assert "not of “Another exchange”" in refused.report["refused"]


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _key(page: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page)
    assert found, "the form has no one-time key"
    return found.group(1)


def test_the_dry_run_and_the_import_run_in_the_worker_and_the_page_follows_them(
    world, client_for, settings
):
    settings.TASKS = DUMMY_TASKS  # nobody runs the tasks until the test does
    rows = [_row("good.one@example.org"), _row("good.two@example.org", title="Other")]
    client, response, job = _upload(world, client_for, rows, name="past.csv")
    page_url = reverse("reports:upload_detail", args=[job.pk])
    assert response["Location"] == page_url
    assert job.status == ImportStatus.CHECKING and not job.report  # not checked in the request
    page = client.get(page_url).content.decode()
    assert 'id="import-progress-bar"' in page and 'hx-trigger="every 2s"' in page
    assert 'role="status">0% of the rows checked; nothing is written yet' in page
    assert "import-commit" not in page
    poll = client.get(page_url, headers={"HX-Request": "true"})
    assert "HX-Refresh" not in poll and 'id="import-progress"' in poll.content.decode()

    assert services.execute_import(job.pk) == ImportStatus.CHECKED
    job.refresh_from_db()
    assert [r["fate"] for r in job.report["rows"]] == ["created", "created"]
    assert job.progress == 100 and not Person.objects.filter(work_email__startswith="good.")
    assert client.get(page_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"

    page = client.get(page_url).content.decode()
    client.post(reverse("reports:upload_commit", args=[job.pk]), {"submission_key": _key(page)})
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING and not MobilityRecord.objects.exists()
    assert "every row is written, or none" in client.get(page_url).content.decode()
    assert services.execute_import(job.pk) == ImportStatus.COMMITTED
    job.refresh_from_db()
    assert job.committed_by == world.users["admin"] and job.committed_at is not None
    assert MobilityRecord.objects.count() == 2
    assert "Every row was imported." in client.get(page_url).content.decode()
    # the task, run again (a retry), does nothing more
    assert services.execute_import(job.pk) == ImportStatus.COMMITTED
    assert MobilityRecord.objects.count() == 2


def test_an_import_that_stops_with_an_error_is_failed_with_a_reason(
    world, client_for, settings, monkeypatch
):
    settings.TASKS = DUMMY_TASKS
    client, _response, job = _upload(world, client_for, [_row("good.one@example.org")])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "import_spreadsheet", broken)
    with pytest.raises(RuntimeError):
        services.execute_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "RuntimeError" in job.error
    page = client.get(reverse("reports:upload_detail", args=[job.pk])).content.decode()
    assert "nothing was written" in page and "Upload a corrected file" in page
    assert 'id="import-progress-bar"' not in page and "hx-trigger" not in page


def test_sending_the_upload_or_the_import_twice_makes_one_import(world, client_for):
    client = client_for(world.users["admin"])
    url = reverse("reports:upload", args=[world.program.pk])
    key = _key(client.get(url).content.decode())
    data = hostile.csv([HEADER, _row("good.one@example.org")])
    responses = [
        client.post(
            url,
            {
                "kind": "spreadsheet",
                "file": SimpleUploadedFile("past.csv", data),
                "submission_key": key,
            },
        )
        for _ in range(2)
    ]
    job = HistoryImport.objects.get()  # one upload, one check
    assert [r["Location"] for r in responses] == [
        reverse("reports:upload_detail", args=[job.pk])
    ] * 2
    commit = reverse("reports:upload_commit", args=[job.pk])
    key = _key(client.get(responses[0]["Location"]).content.decode())
    for _ in range(2):
        client.post(commit, {"submission_key": key})
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    assert MobilityRecord.objects.count() == 1
    assert job.report["rows"][0]["fate"] == "created"  # the first import's report stays
    # a second press from another copy of the page (another key) is refused with a reason
    response = client.post(commit, {"submission_key": uuid.uuid4().hex}, follow=True)
    assert "This file was already imported" in response.content.decode()
    assert MobilityRecord.objects.count() == 1 and HistoryImport.objects.count() == 1


def test_a_file_over_the_size_limit_is_refused_next_to_the_field(world, client_for):
    client = client_for(world.users["admin"])
    data = b"work_email\n" + b"x" * importer.MAX_BYTES
    response = client.post(
        reverse("reports:upload", args=[world.program.pk]),
        {"kind": "spreadsheet", "file": SimpleUploadedFile("big.csv", data)},
    )
    assert response.status_code == 200
    assert "The file is larger than 5 MB" in response.content.decode()
    assert not HistoryImport.objects.exists()


def test_too_many_rows_are_refused_with_a_reason_and_nothing_is_written(world, client_for):
    from talent_exchange.nominations.importer import MAX_ROWS

    rows = [
        (f"p{i}@example.org", "", "", "", "", "", "", "", "", "", "") for i in range(MAX_ROWS + 1)
    ]
    _client, _response, job = _upload(world, client_for, rows, name="many.csv")
    assert job.status == ImportStatus.REFUSED
    assert f"more than {MAX_ROWS} rows" in job.report["refused"]
    assert not Person.objects.filter(work_email="p1@example.org")


@pytest.mark.django_db(transaction=True)
def test_the_progress_shows_while_the_import_transaction_is_open(world):
    """The page reads the progress from another connection: on PostgreSQL the figure is
    written on a connection of its own, never waiting for a lock; SQLite (one writer) shows
    it when the transaction ends."""
    from django.db import connection, transaction

    job = HistoryImport.objects.create(
        program=world.program,
        kind="spreadsheet",
        uploaded_by=world.users["admin"],
        filename="past.csv",
        content=b"",
        status=ImportStatus.CHECKING,
    )
    progress = services.ImportProgress(job.pk)
    try:
        progress(10, 100)  # outside a transaction: written at once
        assert HistoryImport.objects.get().progress == 10
        with transaction.atomic():
            progress(50, 100)
            seen = HistoryImport.objects.get().progress
            HistoryImport.objects.select_for_update().get()  # the import holds the row
            progress(80, 100)  # skipped, not waited for
            assert HistoryImport.objects.get().progress == seen
        if connection.vendor == "postgresql":
            assert seen == 50
        else:
            assert seen == 10
    finally:
        progress.close()
