"""The request id: one per request, carried into every log line and into the tasks the
request enqueues (see signals.py), so an operator can follow one action from the page to the
worker.

A request id comes from the ``X-Request-ID`` header the reverse proxy sets (when it is a
plain token of at most 64 characters) or is made here; the response carries it back.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="")
task_id: ContextVar[str] = ContextVar("task_id", default="")

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(value: str | None) -> str:
    """The proxy's id when it is a safe token, else a new one (a client cannot put text of
    its choice into our logs)."""
    if value and _VALID.match(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accept_request_id(request.headers.get(HEADER))
        token = request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        return response


class LogContext(logging.Filter):
    """Adds ``request_id`` and ``task_id`` to every record (empty outside a request/task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        return True
