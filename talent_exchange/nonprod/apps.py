from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NonprodConfig(AppConfig):
    name = "talent_exchange.nonprod"
    label = "nonprod"
    verbose_name = _("Nonprod")
