"""Who viewed a talent profile, and a person's download of their own data."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from talent_exchange.core.permissions import permission_for_object, permission_required
from talent_exchange.people.models import Person

from . import services
from .models import RecordView


@require_GET
@permission_for_object("privacy.view_recordview", Person)
def record_views(request: HttpRequest, person: Person) -> HttpResponse:
    """Everyone who opened this person's profile, newest first (the person's own visits are
    not counted)."""
    views = RecordView.objects.visible_to(request.user).filter(person=person)
    page = Paginator(views, 25).get_page(request.GET.get("page"))
    return render(request, "privacy/record_views.html", {"person": person, "page_obj": page})


@require_GET
@permission_required("privacy.export_own_data")
def my_data(request: HttpRequest) -> HttpResponse:
    """The signed-in person's data, as one JSON file to download."""
    data = services.export_for(request.user)  # type: ignore[arg-type]
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response
