from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "sector", "jurisdiction", "parent"]
    list_filter = ["kind", "sector"]
    search_fields = ["name", "short_name", "jurisdiction"]
    autocomplete_fields = ["parent"]
