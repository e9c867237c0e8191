"""The JSON API: one NinjaAPI, signed in with the pages' session, guarded by the same rules.

- Authentication is the site's session cookie (sign in on the site, or POST the login form);
  unsafe methods need the CSRF token in ``X-CSRFToken`` (django-ninja's ``SessionAuth``).
- Every URL pattern declares ``api.use_api`` for the deny-by-default middleware (see
  ``urls.py``); the auth class enforces it, and each endpoint then asks the owning app's
  permission for the object (``access.require``) after scoping rows with ``visible_to``.
- Errors are JSON: ``{"detail": "..."}`` for 401/403/404/400, and for 422 a list of every
  problem with the input.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.openapi.docs import DocsBase
from ninja.security import SessionAuth

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.permissions import permission_required

API_PERMISSION = "api.use_api"


class SiteSession(SessionAuth):
    """The pages' login. Signed-in users without any role are refused with a reason."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if not user.has_perm(API_PERMISSION):
            raise HttpError(403, _("Your account holds no role in any program."))
        return user


class SwaggerUI(DocsBase):
    """Swagger UI from django-ninja's own static files (no CDN), with the settings in a JSON
    block and no inline script, so it runs under the site's Content-Security-Policy."""

    ASSET = "ninja/swagger-ui-bundle.js"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs):
        if not finders.find(self.ASSET):
            # Without django-ninja's static files (``"ninja"`` in INSTALLED_APPS) the page
            # would be blank, and a 500 under the manifest storage: offer the schema instead.
            return JsonResponse(
                {
                    "detail": _(
                        "The interactive documentation is not installed on this server; the "
                        "schema is at %(url)s."
                    )
                    % {"url": self.get_openapi_url(api, kwargs)}
                },
                status=501,
            )
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})


class TalentExchangeAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Short operation ids (``list_nominations``), unique across the endpoint modules."""
        return operation.view_func.__name__


api = TalentExchangeAPI(
    title="Talent Exchange API",
    version="1",
    description=(
        "Opportunities, nominations, preferences and match results of a program's cycles, "
        "with the same permissions as the pages. Sign in on the site first; send the CSRF "
        "token in `X-CSRFToken` on PUT. See docs/api.md."
    ),
    urls_namespace="api",
    auth=SiteSession(),
    docs=SwaggerUI(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=permission_required(API_PERMISSION),
)


@api.exception_handler(Http404)
def not_found(request, exc):
    message = str(exc) if exc.args else _("Not found.")
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    message = str(exc) if exc.args else _("You may not do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(ActionRefused)
def refused(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=400)


def _mount() -> None:
    from . import matches, nominations, opportunities, preferences

    api.add_router("", opportunities.router, tags=["opportunities"])
    api.add_router("", nominations.router, tags=["nominations"])
    api.add_router("", preferences.router, tags=["preferences"])
    api.add_router("", matches.router, tags=["match runs"])


_mount()
