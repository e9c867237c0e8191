"""The JSON API at /api/: django-ninja's URL patterns, each declaring ``api.use_api`` for the
deny-by-default middleware (core/middleware.py). The permission is enforced by the API's
session auth (every endpoint) and by ``docs_decorator`` (the schema and the docs page)."""

from .api import API_PERMISSION, api

patterns, _app_name, _namespace = api.urls
for pattern in patterns:
    # a view function carries its permission as an attribute (core/middleware.py reads it)
    setattr(pattern.callback, "permission_required", API_PERMISSION)  # noqa: B010

app_name = "api"
urlpatterns = patterns
