"""Disclosure accounting, a person's own data export, and the retention purge."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db.models import Count, Sum
from django.urls import reverse

from talent_exchange.placements.models import Placement, Status
from talent_exchange.privacy import services
from talent_exchange.privacy.models import RecordView, RetentionPurge
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


# --- who viewed my record ---------------------------------------------------------------------


def test_each_view_of_a_profile_by_someone_else_is_recorded(world, client_for):
    person = world.person_a  # the participant's own record
    url = reverse("people:detail", args=[person.pk])
    assert client_for(world.users["admin"]).get(url).status_code == 200
    assert client_for(world.users["auditor"]).get(url).status_code == 200
    assert client_for(world.users["participant"]).get(url).status_code == 200  # their own
    assert client_for(world.users["coord_b"]).get(url).status_code == 404  # not visible
    views = list(RecordView.objects.filter(person=person).order_by("pk"))
    assert [v.viewer for v in views] == [world.users["admin"], world.users["auditor"]]
    assert all(v.what == "talent profile" for v in views)
    assert "Auditor" in views[1].viewer_roles


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("participant", "person_a", 200),  # their own record
        ("participant", "person_b", 404),  # someone else's: not even found
        ("auditor", "person_a", 200),
        ("auditor", "outsider", 200),
        ("admin", "person_a", 403),  # sees the profile, not who else did
        ("coord_a", "person_a", 403),
        ("supervisor", "person_a", 403),
        ("nobody", "person_a", 404),
    ],
)
def test_who_viewed_a_record_is_for_the_person_and_auditors(
    world, client_for, role, target, status
):
    person = getattr(world, target)
    url = reverse("privacy:record_views", args=[person.pk])
    assert client_for(world.users[role]).get(url).status_code == status


def test_the_person_sees_who_viewed_their_record(world, client_for):
    client_for(world.users["admin"]).get(reverse("people:detail", args=[world.person_a.pk]))
    page = client_for(world.users["participant"]).get(
        reverse("privacy:record_views", args=[world.person_a.pk])
    )
    text = page.content.decode()
    admin = world.users["admin"]
    assert (admin.get_full_name() or admin.username) in text
    assert "talent profile" in text
    profile = client_for(world.users["participant"]).get(
        reverse("people:detail", args=[world.person_a.pk])
    )
    assert reverse("privacy:record_views", args=[world.person_a.pk]) in profile.content.decode()


def test_the_record_view_list_costs_the_same_queries_for_5_and_50_views(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["auditor"])
    url = reverse("privacy:record_views", args=[world.person_a.pk])
    counts = []
    for n in (5, 50):
        RecordView.objects.all().delete()
        RecordView.objects.bulk_create(
            RecordView(person=world.person_a, viewer_name=f"v{i}", what="x") for i in range(n)
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- my data ----------------------------------------------------------------------------------


def test_a_person_downloads_their_own_data_and_nobody_elses(world, client_for):
    response = client_for(world.users["participant"]).get(reverse("privacy:my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["account"]["username"] == "participant"
    assert data["talent_profile"]["work_email"] == world.person_a.work_email
    text = response.content.decode()
    assert world.person_b.work_email not in text  # nobody else's record
    assert "pbkdf2" not in text and "md5$" not in text and '"password"' not in text


def test_the_export_includes_records_about_the_person(world, client_for):
    from tests.factories import MobilityRecordFactory

    MobilityRecordFactory(person=world.person_a, title="Secondment to Parks")
    client_for(world.users["admin"]).get(reverse("people:detail", args=[world.person_a.pk]))
    data = services.export_for(world.users["participant"])
    about = data["records_about_you"]
    assert [r["title"] for r in about["people.mobilityrecord"]] == ["Secondment to Parks"]
    assert len(about["privacy.recordview"]) == 1  # who viewed it is theirs to know


def test_a_user_without_a_profile_gets_their_account():
    user = UserFactory(username="lonely")
    data = services.export_for(user)
    assert data["account"]["username"] == "lonely" and data["talent_profile"] is None


def test_signed_out_people_cannot_download_anything(client):
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


# --- the retention purge ----------------------------------------------------------------------


@pytest.fixture
def placements(world):
    from talent_exchange.placements.tests.factories import placement_in

    today = datetime.date(2030, 6, 1)
    world.program.retention_years = 7
    world.program.save()
    old = placement_in(world, person=world.person_a, host=world.city_b)
    recent = placement_in(world, person=world.person_b, host=world.city_a, title="Parks")
    Placement.objects.filter(pk=old.pk).update(
        status=Status.CLOSED,
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2022, 1, 1),
        returned_on=datetime.date(2022, 1, 10),
    )
    Placement.objects.filter(pk=recent.pk).update(
        status=Status.CLOSED,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 1, 1),
        returned_on=datetime.date(2026, 1, 5),
        end_reason="Bea moved to another city",
    )
    old.refresh_from_db()
    old.end_reason = "Personal health reasons of Ada"  # a new version in the audit trail
    old.save()
    recent.refresh_from_db()
    recent.save()
    return today, old, recent


def _aggregates():
    return {
        "by_status": dict(
            Placement.objects.values_list("status").annotate(n=Count("pk")).order_by()
        ),
        "per_program": dict(
            Placement.objects.values_list("program").annotate(n=Count("pk")).order_by()
        ),
        "dates": list(
            Placement.objects.order_by("pk").values_list("start_date", "end_date", "returned_on")
        ),
        "years": Placement.objects.aggregate(s=Sum("program__retention_years"))["s"],
    }


def test_the_purge_removes_personal_details_keeps_aggregates_and_the_trail(placements):
    today, old, recent = placements
    history = Placement.history.model.objects
    versions_before = history.filter(id=old.pk).count()
    trail_before = list(
        history.order_by("history_id").values_list(
            "history_id", "history_date", "history_type", "history_user_id", "status"
        )
    )
    aggregates = _aggregates()

    assert services.purge_expired(today) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert "Ada" not in old.end_reason
    assert recent.end_reason == "Bea moved to another city"  # within its retention period
    assert not history.filter(id=old.pk, end_reason__contains="Ada").exists()
    assert history.filter(id=recent.pk, end_reason__contains="Bea").exists()
    assert history.filter(id=old.pk).count() == versions_before >= 2  # every version kept
    assert trail_before == list(  # who changed what, and when: unchanged
        history.order_by("history_id").values_list(
            "history_id", "history_date", "history_type", "history_user_id", "status"
        )
    )
    assert _aggregates() == aggregates
    assert RetentionPurge.objects.get().placement == old
    assert services.purge_expired(today) == 0  # once


def test_a_longer_retention_period_keeps_the_details(placements):
    today, old, _recent = placements
    old.program.retention_years = 10
    old.program.save()
    assert services.purge_expired(today) == 0
    old.refresh_from_db()
    assert "Ada" in old.end_reason


def test_the_scheduled_command_purges(placements, monkeypatch):
    from django.core.management import call_command
    from django.utils import timezone

    today, old, _recent = placements
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    call_command("purge_expired_records")
    old.refresh_from_db()
    assert "Ada" not in old.end_reason


def test_auditors_read_the_purges_in_the_admin_and_nobody_changes_them():
    auditor = UserFactory()
    grant(auditor, "auditor")
    assert auditor.has_perm("privacy.view_retentionpurge")
    assert not auditor.has_perm("privacy.delete_recordview")
