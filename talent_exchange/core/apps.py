from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talent_exchange.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import sessions, sqlite  # noqa: F401  (sessions: its sign-in receiver)

        sqlite.register()
        # Each app's dashboard.py registers its dashboard sections and cycle links
        # (core/dashboard.py is the registry and declares their order).
        autodiscover_modules("dashboard")
