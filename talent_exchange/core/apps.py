from django.apps import AppConfig
from django.conf.locale import LANG_INFO
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talent_exchange.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import lookups, sessions, sqlite  # noqa: F401  (sessions: its sign-in receiver)

        sqlite.register()
        lookups.register()  # field__among=ids
        # Django formats Canadian English (django/conf/locale/en_CA) but has no name for it;
        # get_language_info("en-ca") (the language menu) needs one.
        LANG_INFO.setdefault(
            "en-ca",
            {
                "bidi": False,
                "code": "en-ca",
                "name": "English (Canada)",
                "name_local": "English (Canada)",
            },
        )
        # Each app's dashboard.py registers its dashboard sections and cycle links
        # (core/dashboard.py is the registry and declares their order).
        autodiscover_modules("dashboard")
