"""Spreadsheet import: a valid file creates every nomination in one go; a file with bad rows
reports each with its line and reason and creates nothing."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.nominations import importer
from talent_exchange.nominations.importer import import_nominations
from talent_exchange.nominations.models import Endorsement, Nomination, NominationImport
from tests.factories import MobilityRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db
HEADER = ["work_email", "rationale", "backfill_plan", "endorser_1", "endorser_2"]


def _xlsx(rows, name="nominees.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _csv(rows, name="nominees.csv"):
    text = "\n".join(",".join(cell for cell in row) for row in rows)
    return SimpleUploadedFile(name, ("\ufeff" + text).encode())


@pytest.fixture
def staff(world, chain):
    people = [
        PersonFactory(organization=world.city_a, work_email=f"staff{i}@example.org")
        for i in range(4)
    ]
    return people


def _row(person, chain, **overrides):
    row = {
        "work_email": person.work_email,
        "rationale": "High potential",
        "backfill_plan": "Acting deputy",
        "endorser_1": chain["supervisor"].email,
        "endorser_2": chain["head"].email,
    }
    row.update(overrides)
    return [row[c] for c in HEADER]


@pytest.mark.parametrize("make", [_xlsx, _csv])
def test_a_valid_file_creates_every_nomination(
    world, chain, staff, make, django_capture_on_commit_callbacks
):
    rows = [HEADER] + [_row(p, chain) for p in staff]
    rows[2][0] = rows[2][0].upper()  # e-mail case does not matter
    with django_capture_on_commit_callbacks(execute=True):  # mail leaves after the commit
        report = import_nominations(make(rows), world.cycle, actor=world.users["coord_a"])
    assert report.ok and report.created == 4 == Nomination.objects.count()
    assert Endorsement.objects.count() == 8
    assert sorted(m.to[0] for m in mail.outbox) == [chain["supervisor"].email] * 4
    assert set(Nomination.objects.values_list("rationale", flat=True)) == {"High potential"}


@pytest.mark.parametrize("make", [_xlsx, _csv])
def test_three_bad_rows_are_each_reported_and_nothing_is_created(world, chain, staff, make):
    MobilityRecordFactory(person=staff[1], ended_on=None)  # on an assignment now
    nominations, endorsements = Nomination.objects.count(), Endorsement.objects.count()
    rows = [
        HEADER,
        _row(staff[0], chain),  # line 2: fine
        _row(staff[1], chain),  # line 3: on an assignment
        _row(world.person_b, chain),  # line 4: not in City A
        _row(staff[2], chain, endorser_2="nobody-here@example.org"),  # line 5: unknown endorser
        _row(staff[3], chain),  # line 6: fine
    ]
    report = import_nominations(make(rows), world.cycle, actor=world.users["coord_a"])
    assert not report.ok and report.created == 0
    assert [(e.line, e.reason) for e in report.errors] == [
        (3, "They are on an assignment now (it has not ended yet)."),
        (4, f"Nobody in your organisation has the work e-mail {world.person_b.work_email}."),
        (5, "No user has the e-mail nobody-here@example.org (endorser_2)."),
    ]
    assert Nomination.objects.count() == nominations and Endorsement.objects.count() == endorsements
    assert mail.outbox == []


def test_a_row_gets_every_reason_it_fails(world, chain, staff):
    MobilityRecordFactory(person=staff[0], ended_on=None)
    rows = [HEADER, _row(staff[0], chain, endorser_1="")]
    report = import_nominations(_csv(rows), world.cycle, actor=world.users["coord_a"])
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "Column endorser_1 (Supervisor) is empty."),
        (2, "They are on an assignment now (it has not ended yet)."),
    ]


def test_duplicate_rows_and_missing_columns(world, chain, staff):
    rows = [HEADER, _row(staff[0], chain), _row(staff[0], chain)]
    report = import_nominations(_csv(rows), world.cycle, actor=world.users["coord_a"])
    assert [(e.line, e.reason) for e in report.errors] == [
        (3, "The same person is already on line 2.")
    ]
    with pytest.raises(ActionRefused, match="missing: work_email"):
        import_nominations(
            _csv([["email"], ["x@example.org"]]), world.cycle, actor=world.users["coord_a"]
        )
    with pytest.raises(ActionRefused, match=r"\.xlsx"):
        import_nominations(
            SimpleUploadedFile("n.txt", b"x"), world.cycle, actor=world.users["coord_a"]
        )


def test_import_page_shows_the_errors_in_a_table(world, chain, staff, client_for):
    rows = [HEADER, _row(staff[0], chain, endorser_1=""), _row(staff[1], chain)]
    client = client_for(world.users["coord_a"])
    url = reverse("nominations:import", args=[world.cycle.pk])
    response = client.post(url, {"file": _xlsx(rows)}, follow=True)
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert '<th scope="row">2</th>' in html and "endorser_1 (Supervisor) is empty" in html
    assert "Nothing was imported: 1 problem" in html
    assert not Nomination.objects.exists()
    good = _xlsx([HEADER, _row(staff[0], chain), _row(staff[1], chain)])
    response = client.post(url, {"file": good}, follow=True)
    assert "2 nominations were created" in response.content.decode()
    assert Nomination.objects.count() == 2
    assert (
        client_for(world.users["participant"]).post(url, {"file": _xlsx(rows)}).status_code == 403
    )
    # another coordinator cannot read this import's report
    job = NominationImport.objects.first()
    other = client_for(world.users["coord_b"]).get(
        reverse("nominations:import_status", args=[job.pk])
    )
    assert other.status_code == 404


def test_import_runs_in_the_worker_with_progress(world, chain, staff, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for(world.users["coord_a"])
    rows = [HEADER] + [_row(p, chain) for p in staff]
    response = client.post(
        reverse("nominations:import", args=[world.cycle.pk]), {"file": _csv(rows)}
    )
    job = NominationImport.objects.get()
    assert response["Location"] == reverse("nominations:import_status", args=[job.pk])
    assert job.status == "queued" and not Nomination.objects.exists()  # nobody ran it yet
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Waiting for a worker" in page
    seen = []
    original = importer.import_nominations

    def watching(*args, progress, **kwargs):
        def spy(checked, total):
            progress(checked, total)
            seen.append(NominationImport.objects.values_list("status", "rows_checked").get())

        return original(*args, progress=spy, **kwargs)

    importer.import_nominations = watching
    try:
        assert importer.execute_import(job.pk) == "done"
    finally:
        importer.import_nominations = original
    assert seen == [("checking", 0), ("creating", 4)]
    job.refresh_from_db()
    assert (job.status, job.created_count, job.percent) == ("done", 4, 100)
    assert Nomination.objects.count() == 4
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
