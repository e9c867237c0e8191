"""``/readyz`` for load balancers and ``/metrics`` for Prometheus (``/healthz``, liveness,
is core's)."""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from . import health
from .metrics import database_registry


@login_not_required
@require_GET
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """200 when this server can take traffic, 503 (with the failing checks) when not."""
    checks = health.readiness()
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"ready": ok, "checks": checks}, status=200 if ok else 503)


@login_not_required
@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for the scraper holding ``METRICS_TOKEN`` (``Authorization:
    Bearer …``) or a signed-in auditor or superuser; nobody else learns it exists."""
    if not _may_read_metrics(request):
        return HttpResponse(status=404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = generate_latest(registry) + generate_latest(database_registry())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def _may_read_metrics(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return request.user.is_authenticated and request.user.has_perm("operations.view_metrics")
