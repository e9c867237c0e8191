"""Every importer against every hostile spreadsheet (the builders in
talent_exchange/nominations/tests/hostile_files.py): a workbook that claims the largest sheet
Excel allows, a zip bomb, formulas, a 200,000-character cell, a CSV that is not UTF-8, a NUL,
bytes that are not a workbook. Each goes in through the upload page, as a user would send it,
and the worker runs it. Whatever the file, the import ends with a clear refusal (never a
failed job with a traceback), writes nothing, and Python's allocations stay under 50 MB.

A module that reads spreadsheets and is not registered in IMPORTERS fails the discovery
test, so the next importer is probed from its first day."""

from __future__ import annotations

import re
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import talent_exchange
from talent_exchange.nominations.models import ImportStatus, Nomination, NominationImport
from talent_exchange.nominations.tests import hostile_files as hostile
from talent_exchange.nominations.tests.factories import EndorsementStepFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEAK_MB = 50


@dataclass(frozen=True)
class Importer:
    module: str  # the file that reads the spreadsheet, relative to the package
    prepare: Callable  # (world, client_for) -> a function that uploads (filename, bytes)
    written: Callable[[], int]  # rows of what it imports
    valid: Callable  # (world) -> (filename, bytes) it must accept: the probe reaches parsing


def _nominations_upload(world, client_for):
    world.cycle.state = "nominations"
    world.cycle.save()
    EndorsementStepFactory(program=world.program, order=1, title="Supervisor")
    client = client_for(world.users["coord_a"])
    url = reverse("nominations:import", args=[world.cycle.pk])

    def send(filename: str, data: bytes):
        response = client.post(url, {"file": SimpleUploadedFile(filename, data)})
        job = NominationImport.objects.order_by("-pk").first()
        return response, job

    return send


def _nominations_valid(world):
    nominee = PersonFactory(organization=world.city_a, work_email="valid.nominee@example.org")
    row = (nominee.work_email, "High potential", "Acting deputy", world.users["supervisor"].email)
    return "nominees.xlsx", hostile.xlsx([hostile.HEADER[:4], row])


class _ReportsImport:
    """The reports app's import (checked, then committed), read as the probe reads a
    nominations import: committed is DONE, refused (the file or a row) is REJECTED."""

    def __init__(self, job):
        self.job = job

    def refresh_from_db(self):
        self.job.refresh_from_db()

    @property
    def status(self):
        from talent_exchange.reports.models import ImportStatus as Reports

        return {Reports.COMMITTED: ImportStatus.DONE, Reports.REFUSED: ImportStatus.REJECTED}.get(
            self.job.status, self.job.status
        )

    @property
    def message(self):
        return self.job.report.get("refused", "")

    @property
    def errors(self):
        return [(e["line"], e["reason"]) for e in self.job.report.get("errors", [])]


def _reports_upload(world, client_for):
    from talent_exchange.reports.models import HistoryImport

    client = client_for(world.users["admin"])
    url = reverse("reports:upload", args=[world.program.pk])

    def send(filename: str, data: bytes):
        before = HistoryImport.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = client.post(
            url, {"kind": "spreadsheet", "file": SimpleUploadedFile(filename, data)}
        )
        job = HistoryImport.objects.order_by("-pk").first()
        if job is None or job.pk == before:
            return response, None
        if job.can_commit:
            client.post(reverse("reports:upload_commit", args=[job.pk]))
        return response, _ReportsImport(job)

    return send


def _reports_valid(world):
    header = ("work_email", "placement_title", "started_on", "ended_on")
    return "past.xlsx", hostile.xlsx(
        [header, (world.person_a.work_email, "Tour", "2020-01-06", "")]
    )


def _mobility_records() -> int:
    from talent_exchange.people.models import MobilityRecord

    return MobilityRecord.objects.count()


IMPORTERS = {
    "reports": Importer(
        module="reports/importer.py",
        prepare=_reports_upload,
        written=_mobility_records,
        valid=_reports_valid,
    ),
    "nominations": Importer(
        module="nominations/importer.py",
        prepare=_nominations_upload,
        written=lambda: Nomination.objects.count(),
        valid=_nominations_valid,
    ),
}

# What reading a spreadsheet looks like in our code.
READS_SPREADSHEETS = re.compile(r"load_workbook|csv\.reader|csv\.DictReader|DictReader\(")


def test_every_module_that_reads_spreadsheets_is_a_registered_importer():
    root = Path(talent_exchange.__file__).parent
    readers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and READS_SPREADSHEETS.search(path.read_text())
    }
    assert readers == {i.module for i in IMPORTERS.values()}


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_a_valid_file_is_imported(world, client_for, importer):
    """The control: the same path with a good file creates rows, so a refusal below is the
    file's doing, not a closed door."""
    spec = IMPORTERS[importer]
    send = spec.prepare(world, client_for)
    _response, job = send(*spec.valid(world))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.status, job.message, job.errors)
    assert spec.written() == 1


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@pytest.mark.parametrize("hostile_file", sorted(hostile.HOSTILE))
def test_a_hostile_file_is_refused_clearly_within_bounded_memory(
    world, client_for, importer, hostile_file
):
    spec = IMPORTERS[importer]
    send = spec.prepare(world, client_for)
    filename, data = hostile.HOSTILE[hostile_file]()
    before = spec.written()
    tracemalloc.start()
    try:
        response, job = send(filename, data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code in (200, 302), response.status_code
    assert peak / (1024 * 1024) < PEAK_MB
    assert spec.written() == before, "a hostile file wrote rows"
    if job is None:  # refused at the upload, on the page
        assert response.status_code == 200 and "usa-error-message" in response.content.decode()
        return
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED, (job.status, job.message)
    reasons = [job.message] + [reason for _line, reason in job.errors]
    assert any(r.strip() for r in reasons), "refused without saying why"
    assert "Traceback" not in " ".join(reasons) and "Error" not in job.message
