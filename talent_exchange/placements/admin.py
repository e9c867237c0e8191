from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import AgreementTemplate, Placement


@admin.register(Placement)
class PlacementAdmin(ScopedAdmin):
    list_display = ["person", "title", "host_organization", "status", "start_date", "end_date"]
    list_filter = ["status", "program"]
    search_fields = ["person__last_name", "person__first_name", "title"]
    list_select_related = ["person", "host_organization"]
    raw_id_fields = ["offer", "person", "coach", "home_supervisor"]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(ScopedAdmin):
    list_display = ["program", "return_service_months", "checkin_interval_months"]
