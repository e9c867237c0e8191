"""Prometheus metrics. Requests and latencies come from django-prometheus' middleware (per
process; with several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR``); the state of the
task queue and the mail outbox is read from the database when scraped, so every server
reports the same figures."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class OperationsCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        from talent_exchange.notifications.models import Notification

        now = timezone.now()
        by_status = GaugeMetricFamily(
            "talent_exchange_tasks",
            "Background tasks kept in the queue, by status and task.",
            labels=["status", "task"],
        )
        counts = (
            DBTaskResult.objects.values("status", "task_path")
            .annotate(n=Count("id"))
            .order_by("status", "task_path")
        )
        depth = 0
        failed = 0
        for row in counts:
            task = row["task_path"].rsplit(".", 1)[-1]
            by_status.add_metric([row["status"].lower(), task], row["n"])
            depth += row["n"] if row["status"] == "READY" else 0
            failed += row["n"] if row["status"] == "FAILED" else 0
        yield by_status
        yield GaugeMetricFamily(
            "talent_exchange_task_queue_depth", "Tasks waiting for a worker.", value=depth
        )
        yield GaugeMetricFamily(
            "talent_exchange_task_failures",
            "Failed tasks among the kept results (pruned with prune_db_task_results).",
            value=failed,
        )
        oldest_task = DBTaskResult.objects.filter(status="READY").aggregate(t=Min("enqueued_at"))
        yield GaugeMetricFamily(
            "talent_exchange_task_queue_oldest_age_seconds",
            "How long the oldest waiting task has waited (0 when none waits).",
            value=_age(now, oldest_task["t"]),
        )
        waiting = Notification.objects.unsent()
        outbox = waiting.aggregate(n=Count("pk"), oldest=Min("created_at"))
        yield GaugeMetricFamily(
            "talent_exchange_mail_outbox_waiting", "E-mails stored but not yet sent.", outbox["n"]
        )
        yield GaugeMetricFamily(
            "talent_exchange_mail_outbox_oldest_age_seconds",
            "How long the oldest unsent e-mail has waited (0 when none waits).",
            value=_age(now, outbox["oldest"]),
        )
        yield GaugeMetricFamily(
            "talent_exchange_mail_outbox_retrying",
            "Unsent e-mails whose delivery has failed at least once.",
            value=waiting.filter(attempts__gt=0).count(),
        )


def _age(now, then) -> float:
    return max(0.0, (now - then).total_seconds()) if then else 0.0


def database_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(OperationsCollector())
    return registry
