from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "talent_exchange.development"
    label = "development"
    verbose_name = _("Executive development")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from talent_exchange.placements.models import PlacementTransition

        from .services import on_placement_transition

        # A placement's close completes the plan items linked to it (placements offers no
        # service hook; its workflow writes one transition record per move).
        post_save.connect(
            on_placement_transition,
            sender=PlacementTransition,
            dispatch_uid="development_placement_closed",
        )
