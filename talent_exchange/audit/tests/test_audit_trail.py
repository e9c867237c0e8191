"""Every change to personnel data leaves a record: who, when, what changed."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from talent_exchange.audit.trail import entries, history_of, latest_changes, recent_changes
from talent_exchange.people.models import Person

pytestmark = pytest.mark.django_db


def _edit(client, person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "work_email": person.work_email,
        "organization": person.organization_id,
        "position_title": person.position_title,
        "years_of_service": person.years_of_service,
        "classification": person.classification,
    }
    data.update(changes)
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_editing_a_person_records_who_when_and_what(world, client_for):
    coordinator = world.users["coord_a"]
    _edit(client_for(coordinator), world.person_a, position_title="Assistant to the City Manager")
    latest = Person.history.filter(id=world.person_a.pk).order_by("-history_date").first()
    assert latest.history_user == coordinator
    assert latest.history_type == "~"
    [entry] = entries("person", [latest])
    assert entry.actor == f"{coordinator.get_full_name()} (coord_a)"
    changed = {c.field: (c.old, c.new) for c in entry.changes}
    assert changed["position_title"] == ("Management Analyst", "Assistant to the City Manager")
    assert "updated_at" not in changed


def test_adding_skills_is_recorded(world, client_for):
    from tests.factories import SkillFactory

    skill = SkillFactory(name="Budgeting")
    _edit(
        client_for(world.users["coord_a"]),
        world.person_a,
        skills=[skill.pk],
        new_skills="Grant writing",
    )
    world.person_a.refresh_from_db()
    assert {s.name for s in world.person_a.skills.all()} == {"Budgeting", "Grant writing"}
    records = Person.history.filter(id=world.person_a.pk).order_by("-history_date")
    skill_changes = [
        c for e in entries("person", records) for c in e.changes if c.field == "skills"
    ]
    assert skill_changes, "the skills change is in the trail"
    assert "Grant writing" in skill_changes[0].new and "Budgeting" in skill_changes[0].new


def test_the_audit_page_and_export_show_the_change(world, client_for):
    _edit(client_for(world.users["coord_a"]), world.person_a, last_name="Alvarez")
    auditor = client_for(world.users["auditor"])
    page = auditor.get(reverse("audit:log"), {"kind": "person"}).content.decode()
    assert "Alvarez" in page and "coord_a" in page
    export = auditor.get(reverse("audit:export"), {"kind": "person"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["when", "actor", "records"]
    assert any(r[6] == "last_name" and r[7] == "Alpha" and r[8] == "Alvarez" for r in rows[1:])


def test_the_audit_page_filters_by_actor_and_rejects_bad_dates(world, client_for):
    _edit(client_for(world.users["coord_a"]), world.person_a, last_name="Alvarez")
    auditor = client_for(world.users["auditor"])
    page = auditor.get(reverse("audit:log"), {"kind": "person", "actor": "nobody-here"})
    assert "No changes match" in page.content.decode()
    bad = auditor.get(reverse("audit:log"), {"since": "2026-05-01", "until": "2026-01-01"})
    assert "The end date is before the start date." in bad.content.decode()


def test_deleting_is_recorded(world):
    pk = world.outsider.pk
    world.outsider.delete()
    record = history_of("person", world.users["auditor"]).filter(id=pk).first()
    assert record.history_type == "-"


def test_recent_changes_merges_kinds_newest_first(world):
    changes = recent_changes(world.users["auditor"], limit=5)
    assert len(changes) == 5
    assert [c.at for c in changes] == sorted((c.at for c in changes), reverse=True)


def _digest(changes):
    return [(e.at, e.actor, e.kind, e.object_id, e.object_label, e.action) for e in changes]


def test_the_dashboards_digest_is_the_recent_changes_in_a_few_queries(
    world, client_for, django_assert_max_num_queries
):
    """The auditor's dashboard box: the same entries as ``recent_changes`` (without the
    fields changed), in one statement, the actors and one query per kind shown — flat in
    the number of changes."""
    auditor = world.users["auditor"]
    for size in (1, 4):
        for i in range(size):
            _edit(client_for(world.users["coord_a"]), world.person_a, years_of_service=20 + i)
        with django_assert_max_num_queries(2 + 6):
            digest = latest_changes(auditor, limit=10)
        assert len(digest) == 10
        assert _digest(digest) == _digest(recent_changes(auditor, limit=10))
        assert digest[0].kind == "person" and digest[0].actor.endswith("(coord_a)")
    coordinator = world.users["coord_a"]  # reads through visible_history, as before
    assert _digest(latest_changes(coordinator, limit=5)) == _digest(
        recent_changes(coordinator, limit=5)
    )


def test_audit_page_query_count_does_not_grow_with_rows(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["auditor"])
    for i in range(3):
        _edit(client_for(world.users["coord_a"]), world.person_a, years_of_service=10 + i)
    client = client_for(world.users["auditor"])
    with django_assert_max_num_queries(13):
        client.get(reverse("audit:log"), {"kind": "person"})


def test_a_kind_whose_history_leaves_fields_out_is_shown(world, client_for):
    """Match runs keep history without their market snapshot and result."""
    from talent_exchange.matches.models import MatchRun

    MatchRun.objects.create(
        cycle=world.cycle, mode="stable", status="succeeded", started_by=world.users["admin"]
    )
    client = client_for(world.users["auditor"])
    page = client.get(reverse("audit:log"), {"kind": "matchrun"})
    [entry] = page.context["rows"]
    fields = {c.field for c in entry.changes}
    assert "status" in fields and not fields & {"market_data", "result_data", "summary"}
    export = client.get(reverse("audit:export"), {"kind": "matchrun"})
    assert b"succeeded" in b"".join(export.streaming_content)
