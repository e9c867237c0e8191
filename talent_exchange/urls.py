from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("talent_exchange.core.urls")),
    path("accounts/", include("talent_exchange.accounts.urls")),
    path("organisations/", include("talent_exchange.organizations.urls")),
    path("people/", include("talent_exchange.people.urls")),
    path("programs/", include("talent_exchange.programs.urls")),
    path("audit/", include("talent_exchange.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEMO_MODE:
    urlpatterns.append(path("demo/", include("talent_exchange.nonprod.urls")))

admin.site.site_header = "Talent Exchange administration"
admin.site.site_title = "Talent Exchange"
