from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import RecordView, RetentionPurge


@admin.register(RecordView)
class RecordViewAdmin(ScopedAdmin):
    """Disclosure accounting: who opened whose profile, when (read-only)."""

    list_display = ["viewed_at", "viewer_name", "viewer_roles", "person", "what"]
    search_fields = ["viewer_name"]
    readonly_fields = [f.name for f in RecordView._meta.fields]
    list_select_related = ["person"]


@admin.register(RetentionPurge)
class RetentionPurgeAdmin(ScopedAdmin):
    """Placements whose personal details were removed under the retention schedule."""

    list_display = ["placement", "retention_years", "purged_at"]
    readonly_fields = [f.name for f in RetentionPurge._meta.fields]
