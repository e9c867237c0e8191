import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from talent_exchange.programs.models import Program
from talent_exchange.reports import history
from talent_exchange.reports.models import Export, ExportStatus

from .factories import populate, populate_other_apps
from .roundtrip import empty_database, export_text, without_header

pytestmark = pytest.mark.django_db


def test_export_is_json_lines_with_header_and_end(world):
    populate(world, 3)
    lines = [
        json.loads(line) for line in export_text(world.program, world.users["auditor"]).splitlines()
    ]
    assert lines[0]["format"] == history.FORMAT and lines[0]["version"] == history.VERSION
    assert lines[-1]["section"] == "end"
    sections = {line["section"] for line in lines[1:-1]}
    assert {
        "organizations",
        "people",
        "cycles",
        "offers",
        "placements",
        "agreements",
        "outcomes",
    } <= sections
    assert lines[-1]["counts"]["placements"] == 3


def test_reimport_changes_nothing(world):
    populate_other_apps(world, populate(world, 3))
    text = export_text(world.program, world.users["auditor"])
    result = history.import_history(io.StringIO(text), world.users["admin"], dry_run=False)
    assert result.ok, result.errors[:3]
    fates = {fate for counts in result.counts.values() for fate in counts}
    assert fates == {"unchanged"}


def test_round_trip_into_an_empty_database_gives_the_same_export(world):
    populate_other_apps(world, populate(world, 4))
    first = export_text(world.program, world.users["auditor"])
    for section in ("invitations", "plan_items", "invoices", "postings", "backfill_plans"):
        assert f'"section":"{section}"' in first, section
    empty_database()
    assert not Program.objects.exists()
    result = history.import_history(io.StringIO(first), None, dry_run=False)
    assert result.ok, result.errors[:5]
    assert result.committed
    program = Program.objects.get(name=world.program.name)
    second = export_text(program, world.users["auditor"])
    assert without_header(second) == without_header(first)


def test_a_dry_run_writes_nothing(world):
    populate(world, 2)
    text = export_text(world.program, world.users["auditor"])
    empty_database()
    result = history.import_history(io.StringIO(text), None, dry_run=True)
    assert result.ok and not result.committed
    assert result.counts["placements"] == {"created": 2}
    assert not Program.objects.exists()


def test_a_bad_record_is_reported_by_line_and_nothing_is_written(world):
    populate(world, 2)
    lines = export_text(world.program, world.users["auditor"]).splitlines()
    empty_database()
    broken = [json.loads(line) for line in lines]
    target = next(i for i, line in enumerate(broken) if line.get("section") == "placements")
    broken[target]["fields"]["person"] = "people/9999"
    text = "\n".join(json.dumps(line) for line in broken)
    result = history.import_history(io.StringIO(text), None, dry_run=False)
    assert not result.ok and not result.committed
    assert result.errors[0].line == target + 1
    assert "people/9999" in result.errors[0].reason
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda r: r["key"].update(name=["a", "list"]), "plain values"),
        (lambda r: r["key"].update(name={"an": "object"}), "plain values"),
        (lambda r: r.update(key="not an object"), "a key and fields"),
        (lambda r: r.pop("fields"), "a key and fields"),
    ],
)
def test_a_hostile_record_outline_is_reported_by_line_and_nothing_is_written(world, damage, reason):
    populate(world, 1)
    lines = export_text(world.program, world.users["auditor"]).splitlines()
    empty_database()
    records = [json.loads(line) for line in lines]
    target = next(i for i, line in enumerate(records) if line.get("section") == "organizations")
    damage(records[target])
    text = "\n".join(json.dumps(line) for line in records)
    result = history.import_history(io.StringIO(text), None, dry_run=False)
    assert not result.ok and not result.committed
    assert result.errors[0].line == target + 1
    assert reason in result.errors[0].reason
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ('{"format": "other"}\n', "not a Talent Exchange history file"),
        ('{"format": "talent-exchange-history", "version": 99}\n', "version 99"),
        ("not json\n", "not JSON"),
    ],
)
def test_a_file_in_another_format_or_version_is_refused(text, reason):
    with pytest.raises(history.FormatError, match=reason):
        history.import_history(io.StringIO(text), None)


def test_a_cut_short_file_is_refused(world):
    populate(world, 1)
    text = "\n".join(export_text(world.program, world.users["auditor"]).splitlines()[:-3])
    with pytest.raises(history.FormatError, match="cut short"):
        history.import_history(io.StringIO(text), None)


def test_a_coordinators_export_holds_only_their_organisations_people(world):
    populate(world, 4)
    text = export_text(world.program, world.users["coord_a"])
    people = [json.loads(line) for line in text.splitlines() if '"section":"people"' in line]
    assert people
    emails = {p["key"]["work_email"] for p in people}
    from talent_exchange.people.models import Person

    orgs = set(Person.objects.filter(work_email__in=emails).values_list("organization", flat=True))
    assert orgs == {world.city_a.pk}
    everyone = export_text(world.program, world.users["auditor"])
    assert everyone.count('"section":"people"') > len(people)


def test_the_button_exports_records_it_in_the_audit_trail_and_mails_a_link(
    world, client_for, django_capture_on_commit_callbacks
):
    populate(world, 2)
    client = client_for(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_history", args=[world.program.pk]))
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE
    assert export.history.filter(history_user=world.users["admin"]).count() == 2
    message = next(m for m in mail.outbox if "export" in m.subject.lower())
    assert f"/reports/exports/{export.pk}/" in message.body
    download = client.get(reverse("reports:export_file", args=[export.pk]))
    body = b"".join(download.streaming_content).decode()
    assert body.splitlines()[0].startswith('{"exported_at"')
    assert '"section":"audit_trail"' in body


def test_participants_may_not_export(world, client_for):
    url = reverse("reports:export_history", args=[world.program.pk])
    assert client_for(world.users["participant"]).post(url).status_code == 403


def test_the_commands_export_and_import(world, tmp_path):
    populate(world, 2)
    target = tmp_path / "history.jsonl"
    call_command(
        "export_history",
        str(world.program.pk),
        "--as",
        world.users["auditor"].email,
        "-o",
        str(target),
        "--no-audit",
    )
    out = io.StringIO()
    call_command("import_history", str(target), stdout=out)
    assert "Checked: nothing was written" in out.getvalue()
    assert Export.objects.filter(report="history").count() == 1


def test_the_schema_in_docs_is_the_current_one():
    from pathlib import Path

    written = json.loads(
        (Path(__file__).parents[3] / "docs/history-format.schema.json").read_text()
    )
    assert written == json.loads(json.dumps(history.json_schema())), (
        "docs/history-format.schema.json is stale: write it again from history.json_schema()"
    )


def test_every_line_of_an_export_follows_the_schema(world):
    import jsonschema

    populate(world, 2)
    schema = history.json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    by_section = {s["title"].split(" ")[0]: s for s in schema["oneOf"]}
    text = io.StringIO()
    history.export_history(world.program, world.users["auditor"], text)
    for number, line in enumerate(text.getvalue().splitlines(), start=1):
        record = json.loads(line)
        part = by_section["header"] if number == 1 else by_section[record["section"]]
        errors = list(jsonschema.Draft202012Validator(part).iter_errors(record))
        errors = errors or list(validator.iter_errors(record))
        assert not errors, (number, line[:200], [e.message[:200] for e in errors[:2]])


def test_the_history_as_a_workbook_has_a_sheet_per_section(
    world, client_for, django_capture_on_commit_callbacks
):
    import openpyxl

    populate(world, 2)
    client = client_for(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_history", args=[world.program.pk]), {"format": "xlsx"})
    export = Export.objects.get()
    assert export.format == "xlsx" and export.status == ExportStatus.DONE, export.error
    body = b"".join(client.get(reverse("reports:export_file", args=[export.pk])).streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert {"organizations", "people", "placements", "outcomes"} <= set(book.sheetnames)
    placements = book["placements"]
    header = [c.value for c in placements[1]]
    assert header[0] == "ref" and "start_date" in header
    assert placements.max_row == 3
    start = placements.cell(2, header.index("start_date") + 1)
    assert start.is_date


def _imported_with_queries(text: str, actor) -> tuple[int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    empty_database()
    with CaptureQueriesContext(connection) as queries:
        result = history.import_history(io.StringIO(text), actor, dry_run=False)
    assert result.ok, result.errors[:3]
    return len(queries), result.counts


def test_the_import_writes_each_section_in_batches(world):
    """The import's queries do not grow with the records of a section: a file of 2
    placements (their people, nominations, offers, outcomes, plans…) and one of 6 cost the
    same number of queries."""
    populate_other_apps(world, populate(world, 2))
    small = export_text(world.program, world.users["auditor"])
    populate(world, 4)
    large = export_text(world.program, world.users["auditor"])
    few, few_counts = _imported_with_queries(small, world.users["admin"])
    many, many_counts = _imported_with_queries(large, world.users["admin"])
    assert few_counts["placements"] == {"created": 2}
    assert many_counts["placements"] == {"created": 6}
    assert many == few


def test_a_changed_record_is_updated_with_a_history_row_naming_the_importer(world):
    from talent_exchange.placements.models import Outcome

    populate(world, 2)
    lines = [
        json.loads(line) for line in export_text(world.program, world.users["auditor"]).splitlines()
    ]
    target = next(i for i, line in enumerate(lines) if line.get("section") == "outcomes")
    lines[target]["fields"]["promoted"] = not lines[target]["fields"]["promoted"]
    text = "\n".join(json.dumps(line) for line in lines)
    result = history.import_history(io.StringIO(text), world.users["admin"], dry_run=False)
    assert result.ok, result.errors[:3]
    assert result.counts["outcomes"].get("updated") == 1
    assert set(result.counts["placements"]) == {"unchanged"}
    changed = Outcome.history.order_by("-history_id").first()
    assert changed.history_type == "~"
    assert changed.history_user == world.users["admin"]
    assert changed.history_change_reason == "Imported from a history file"
    assert changed.promoted == lines[target]["fields"]["promoted"]


def test_each_new_record_gets_one_history_row_naming_the_importer(world):
    """The rows an import creates (with COPY on PostgreSQL, bulk inserts elsewhere) each get
    one history row, as simple-history's bulk_history_create makes it: created, by the
    importer, with the reason and the record's values."""
    from talent_exchange.placements.models import Placement

    populate(world, 3)
    text = export_text(world.program, world.users["auditor"])
    empty_database()
    result = history.import_history(io.StringIO(text), world.users["admin"], dry_run=False)
    assert result.ok, result.errors[:3]
    placements = list(Placement.objects.order_by("pk"))
    assert len(placements) == 3
    # the rows of the records the import removed stay (empty_database deletes raw)
    rows = list(
        Placement.history.filter(history_change_reason="Imported from a history file").order_by(
            "history_id"
        )
    )
    assert [row.id for row in rows] == [p.pk for p in placements]  # one each
    for row, placement in zip(rows, placements, strict=True):
        assert row.history_type == "+"
        assert row.history_user == world.users["admin"]
        assert row.history_change_reason == "Imported from a history file"
        assert (row.status, row.start_date, row.person_id, row.offer_id) == (
            placement.status,
            placement.start_date,
            placement.person_id,
            placement.offer_id,
        )


def test_a_record_the_database_refuses_is_named_by_its_line(world):
    """A batch that breaks a database rule is written again record by record: the record at
    fault is reported with its line, the others are not, and nothing is written."""
    populate_other_apps(world, populate(world, 2))
    lines = [
        json.loads(line) for line in export_text(world.program, world.users["auditor"]).splitlines()
    ]
    empty_database()
    target = next(i for i, line in enumerate(lines) if line.get("section") == "invoices")
    lines[target]["fields"]["recipient"] = lines[target]["fields"]["issuer"]  # a check constraint
    text = "\n".join(json.dumps(line) for line in lines)
    result = history.import_history(io.StringIO(text), None, dry_run=False)
    assert not result.committed
    assert result.errors[0].line == target + 1
    assert {e.section for e in result.errors} <= {
        "invoices",
        "invoice_lines",
        "invoice_transitions",
        "payments",
        "postings",
    }
    assert not Program.objects.exists()


def test_a_file_with_sections_this_site_does_not_know_is_refused():
    header = {
        "format": history.FORMAT,
        "version": history.VERSION,
        "program": "P",
        "sections": ["organizations", "telepathy"],
    }
    with pytest.raises(history.FormatError, match="telepathy"):
        history.import_history(io.StringIO(json.dumps(header) + "\n"), None)


def test_every_declared_section_is_registered_and_every_model_of_the_apps_has_one():
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    from talent_exchange.reports.registry import HISTORY_ORDER, Section, history_sections

    from .roundtrip import LEFT_OUT

    assert [s.name for s in history.sections()] == HISTORY_ORDER
    in_the_format = {s.model for s in history.sections()} | set(LEFT_OUT)
    for label in ("learning", "development", "finance"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.object_name.startswith("Historical"):
                continue  # simple-history's own tables
            assert model._meta.label in in_the_format, model._meta.label
    with pytest.raises(ImproperlyConfigured):
        history_sections("x", Section("undeclared", "learning.Circle", lambda p: None, ("name",)))


def test_a_section_refers_only_to_sections_before_it():
    from django.contrib.auth import get_user_model

    seen: set[str] = set()
    for section in history.sections():
        model = history._model(section)
        for f in history._fields(model, section):
            if f.is_relation and f.related_model is not get_user_model():
                assert f.related_model._meta.label in seen | {model._meta.label}, (
                    section.name,
                    f.name,
                )
        seen.add(model._meta.label)
