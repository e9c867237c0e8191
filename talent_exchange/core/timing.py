"""Server time and CPU time of each request, for load tests (off unless ``SERVER_TIMING``).

The answer carries a ``Server-Timing`` header (``app;dur=`` wall-clock milliseconds in the
app, ``cpu;dur=`` CPU milliseconds of this process), which bench/locustfile.py sums per page.
Under gunicorn's sync workers a process serves one request at a time, so the process's CPU
time is the request's. Database time spent in PostgreSQL's own processes is not included.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        wall, cpu = time.perf_counter(), time.process_time()
        response = self.get_response(request)
        app_ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        response["Server-Timing"] = f"app;dur={app_ms:.1f}, cpu;dur={cpu_ms:.1f}"
        return response
