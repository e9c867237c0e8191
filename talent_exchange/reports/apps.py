from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "talent_exchange.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Each app's reports.py adds its figures to the program dashboard and its
        # downloadable reports (registry.py declares the order).
        autodiscover_modules("reports")
