"""A creation form makes one object however often it is sent.

Each creation page renders a fresh one-time key into its form
(``{% include "includes/submission_key.html" %}`` inside the ``<form>``); the view is wrapped
in ``submitted_once`` (function views) or ``SubmittedOnceMixin`` (class-based views)::

    @permission_for_object("opportunities.add_opportunity", CYCLES, kwarg="cycle_pk")
    @submitted_once
    def create_opportunity(request, cycle): ...

The first POST with a key records it (a unique row) in the same transaction as the view's
work. If the view succeeds (it redirects), the row keeps where it redirected; otherwise (the
form comes back with errors) the row is removed, so the corrected form can be sent again. A
second POST with the same key waits for the first to finish (the unique index; on SQLite the
write lock), creates nothing, and is redirected to the first one's result. A POST without a
key (the API, a script) is handled as before. A user's keys are kept for a week.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SubmissionKey

FIELD = "submission_key"
KEPT_FOR = timedelta(days=7)
_VALID = re.compile(r"^[0-9a-f]{32}$")


def _replay(request: HttpRequest, key: str, user_id: int) -> HttpResponse:
    earlier = SubmissionKey.objects.filter(key=key, user_id=user_id).first()
    if earlier is None or not earlier.result_url:
        return render(request, "core/submitted_twice.html", status=409)
    messages.info(request, _("This form had already been sent; here is what it made."))
    return HttpResponseRedirect(earlier.result_url)


def submitted_once(view):
    """Make a creation view idempotent per one-time form key (see the module's docstring)."""

    @wraps(view)
    def once(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        user_id = request.user.pk  # None when signed out
        if not key or user_id is None:
            return view(request, *args, **kwargs)
        if not _VALID.match(key):
            return render(request, "core/submitted_twice.html", status=400)
        with transaction.atomic():
            # A retry comes within minutes; a week-old key of this user is no longer needed.
            SubmissionKey.objects.filter(
                user_id=user_id, created_at__lt=timezone.now() - KEPT_FOR
            ).delete()
            try:
                with transaction.atomic():
                    claim = SubmissionKey.objects.create(key=key, user_id=user_id)
            except IntegrityError:
                return _replay(request, key, user_id)
            response = view(request, *args, **kwargs)
            if 300 <= response.status_code < 400 and response.get("Location"):
                claim.result_url = response["Location"][:500]
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()
            return response

    once.submitted_once = True  # read by the test that every creation view has it
    return once


class SubmittedOnceMixin:
    """``submitted_once`` for a class-based view."""

    def dispatch(self, request, *args, **kwargs):
        return submitted_once(super().dispatch)(request, *args, **kwargs)
