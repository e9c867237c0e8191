"""The dashboard: what each role needs to do next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.permissions import permission_required

from . import dashboard


@permission_required("core.view_dashboard")
def dashboard_view(request):
    roles = roles_of(request.user)
    sections = dashboard.sections_for(request.user, roles, timezone.localdate())
    return render(request, "core/dashboard.html", {"roles": roles, "sections": sections})


@login_not_required
@require_GET
def health(request):
    """For load balancers: answers 200 with no data when the app can reach its database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
