from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ObjectPermissionsModelAdmin):
    """What was sent to whom, and when (the bodies are emptied once sent)."""

    list_display = ["key", "subject", "recipients", "created_at", "sent_at"]
    list_filter = ["template"]
    search_fields = ["key", "recipients", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_module_permission(self, request):
        return request.user.has_perm("notifications.view_notification")
