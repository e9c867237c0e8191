"""Readiness, request ids in JSON logs and tasks, and the protected metrics endpoint."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from talent_exchange.notifications.services import notify
from talent_exchange.operations import context, health
from talent_exchange.operations.models import TaskOrigin
from talent_exchange.settings.logs import logging_config
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# --- /readyz --------------------------------------------------------------------------------


def test_ready_when_database_queue_and_migrations_are(client):
    response = client.get(reverse("operations:ready"))
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": "ok", "queue": "ok", "migrations": "ok"},
    }


def test_not_ready_while_a_migration_is_missing(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    # as if this code were newer than the database: the app's latest migration not applied
    from django.db.migrations.loader import MigrationLoader

    [(_app, latest)] = MigrationLoader(connection).graph.leaf_nodes("operations")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'operations' AND name = %s", [latest]
        )
    response = client.get(reverse("operations:ready"))
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["migrations"] == "RuntimeError"
    assert body["checks"]["database"] == "ok"


def test_not_ready_when_the_queue_cannot_be_read(client, monkeypatch):
    monkeypatch.setattr(DBTaskResult._meta, "db_table", "no_such_table_here")
    response = client.get(reverse("operations:ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] != "ok"


# --- request ids ----------------------------------------------------------------------------


def test_every_response_names_its_request_id(client):
    first = client.get(reverse("operations:ready"))["X-Request-ID"]
    second = client.get(reverse("operations:ready"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxy_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get(reverse("operations:ready"), headers={"x-request-id": "abc-123_XYZ.42"})
    assert kept["X-Request-ID"] == "abc-123_XYZ.42"
    odd = client.get(reverse("operations:ready"), headers={"x-request-id": "a b\nfake log line"})
    assert odd["X-Request-ID"] != "a b\nfake log line" and len(odd["X-Request-ID"]) == 32


@pytest.fixture
def json_logs():
    """The production logging configuration (JSON lines), written to a buffer; restored after."""
    logging.config.dictConfig(logging_config("json", "INFO"))
    buffer = io.StringIO()
    for handler in logging.getLogger().handlers:
        handler.setStream(buffer)

    def lines() -> list[dict]:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return [json.loads(line) for line in text.splitlines() if line]

    yield lines
    logging.config.dictConfig(logging_config(settings.LOG_FORMAT, "WARNING"))


def test_logs_are_json_lines_with_the_request_id_and_no_secrets(json_logs):
    token = context.request_id.set("req-00000042")
    try:
        logging.getLogger("talent_exchange.test").warning(
            "Refused ada@example.org at /nominations/endorse/s3cr3t/"
        )
    finally:
        context.request_id.reset(token)
    (line,) = [entry for entry in json_logs() if entry["logger"] == "talent_exchange.test"]
    assert line["level"] == "WARNING" and line["request_id"] == "req-00000042"
    assert "ada@example.org" not in line["message"] and "s3cr3t" not in line["message"]
    assert line["time"]


def test_an_exception_in_a_json_log_is_redacted_too(json_logs):
    try:
        raise ValueError("bad token=abcdef for bob@example.org")
    except ValueError:
        logging.getLogger("talent_exchange.test").exception("failed")
    (line,) = [entry for entry in json_logs() if entry["logger"] == "talent_exchange.test"]
    assert "ValueError" in line["exc_info"]
    assert "abcdef" not in line["exc_info"] and "bob@example.org" not in line["exc_info"]


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
@override_settings(TASKS=DB_TASKS)
def test_the_request_id_follows_the_request_into_the_task(
    json_logs, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    token = context.request_id.set("req-into-the-worker")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify("accounts/password_reset", ["ada@example.org"], {"link": "x"}, key="t:rid")
    finally:
        context.request_id.reset(token)
    task = DBTaskResult.objects.get()
    assert TaskOrigin.objects.get(task_id=str(task.id)).request_id == "req-into-the-worker"
    json_logs()  # forget what the request logged
    call_command("worker", "--batch", "--no-startup-delay", verbosity=1)
    worker_lines = [entry for entry in json_logs() if str(task.id) in entry["message"]]
    assert worker_lines, "the worker logged nothing about the task"
    assert {entry["request_id"] for entry in worker_lines} == {"req-into-the-worker"}
    assert {entry["task_id"] for entry in worker_lines} == {str(task.id)}
    assert context.request_id.get() == ""  # nothing leaks into the next task


# --- /metrics -------------------------------------------------------------------------------


@override_settings(METRICS_TOKEN="scrape-me-" + "s" * 30)
def test_metrics_are_for_the_scraper_and_auditors_only(client):
    url = reverse("operations:metrics")
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"authorization": "Bearer wrong"}).status_code == 404
    participant = UserFactory()
    grant(participant, "participant")
    client.force_login(participant)
    assert client.get(url).status_code == 404
    client.logout()
    scraped = client.get(url, headers={"authorization": "Bearer scrape-me-" + "s" * 30})
    assert scraped.status_code == 200
    auditor = UserFactory()
    grant(auditor, "auditor")
    client.force_login(auditor)
    assert client.get(url).status_code == 200


@override_settings(METRICS_TOKEN="", TASKS=DB_TASKS)
def test_metrics_report_requests_the_queue_and_the_outbox(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify("accounts/password_reset", ["ada@example.org"], {"link": "x"}, key="t:metrics")
    auditor = UserFactory()
    grant(auditor, "auditor")
    client.force_login(auditor)
    client.get(reverse("operations:ready"))
    text = client.get(reverse("operations:metrics")).content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert "talent_exchange_task_queue_depth 1.0" in text
    assert 'talent_exchange_tasks{status="ready",task="deliver_notification"} 1.0' in text
    assert "talent_exchange_mail_outbox_waiting 1.0" in text
    assert "talent_exchange_task_failures 0.0" in text
    assert "talent_exchange_mail_outbox_oldest_age_seconds" in text
