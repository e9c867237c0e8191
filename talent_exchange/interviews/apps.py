from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "talent_exchange.interviews"
    label = "interviews"
    verbose_name = _("Interviews")
