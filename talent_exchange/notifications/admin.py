from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    """What was sent to whom, and when (the bodies are emptied once sent)."""

    list_display = ["key", "subject", "recipients", "created_at", "sent_at"]
    list_filter = ["template"]
    search_fields = ["key", "recipients", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]
