from django.conf import settings

from talent_exchange.accounts.roles import roles_of

# The one menu item a page belongs to, by the app that serves it: a cycle's pages (its
# opportunities, nominations, rankings, interviews and runs) live under Programs.
NAV_SECTION = {
    "programs": "programs",
    "opportunities": "programs",
    "nominations": "programs",
    "preferences": "programs",
    "interviews": "programs",
    "matches": "programs",
    "people": "people",
    "organizations": "organisations",
    "placements": "placements",
    "learning": "learning",
    "audit": "audit",
    "reports": "reports",
    "development": "development",
    "finance": "finance",
}


def nav_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == "core:dashboard":
        return "dashboard"
    return NAV_SECTION.get(match.app_name or "", "")


def site(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "user_roles": roles_of(user) if user is not None else None,
        "nav_section": nav_section(request),
    }
