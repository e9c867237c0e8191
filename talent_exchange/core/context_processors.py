from django.conf import settings

from talent_exchange.accounts.roles import roles_of


def site(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "user_roles": roles_of(user) if user is not None else None,
    }
