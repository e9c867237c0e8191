from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import HostRanking, ParticipantRanking


@admin.register(ParticipantRanking)
class ParticipantRankingAdmin(ScopedAdmin):
    list_display = ["nomination", "rank", "opportunity"]
    list_select_related = [
        "nomination__person",
        "nomination__cycle__program",
        "opportunity__host_organization",
    ]
    list_filter = ["nomination__cycle"]


@admin.register(HostRanking)
class HostRankingAdmin(ScopedAdmin):
    list_display = ["opportunity", "rank", "nomination"]
    list_select_related = [
        "opportunity__host_organization",
        "nomination__person",
        "nomination__cycle__program",
    ]
    list_filter = ["opportunity__cycle"]
