from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "talent_exchange.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the task signal handlers)
