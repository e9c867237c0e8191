from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from talent_exchange.accounts.language import set_language

# The back office signs in through the site's own sign-in (second factor included), never
# through the admin's password-only form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("talent_exchange.core.urls")),
    path("", include("talent_exchange.operations.urls")),
    path("accounts/", include("talent_exchange.accounts.urls")),
    # django-allauth's pages (two factors, single sign-on), under the same permission layer
    path("accounts/", include("talent_exchange.accounts.allauth_urls")),
    path("organisations/", include("talent_exchange.organizations.urls")),
    path("people/", include("talent_exchange.people.urls")),
    path("programs/", include("talent_exchange.programs.urls")),
    path("audit/", include("talent_exchange.audit.urls")),
    path("privacy/", include("talent_exchange.privacy.urls")),
    path("opportunities/", include("talent_exchange.opportunities.urls")),
    path("nominations/", include("talent_exchange.nominations.urls")),
    path("preferences/", include("talent_exchange.preferences.urls")),
    path("interviews/", include("talent_exchange.interviews.urls")),
    path("matches/", include("talent_exchange.matches.urls")),
    path("placements/", include("talent_exchange.placements.urls")),
    path("development/", include("talent_exchange.development.urls")),
    path("finance/", include("talent_exchange.finance.urls")),
    path("learning/", include("talent_exchange.learning.urls")),
    path("reports/", include("talent_exchange.reports.urls")),
    path("api/", include("talent_exchange.api.urls")),
    # Choosing a language is harmless, so it is open to signed-out visitors (allowlisted);
    # a signed-in person's choice is also saved on their account.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEMO_MODE:
    urlpatterns.append(path("demo/", include("talent_exchange.nonprod.urls")))

admin.site.site_header = "Talent Exchange administration"
admin.site.site_title = "Talent Exchange"
