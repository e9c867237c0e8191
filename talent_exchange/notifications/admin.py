from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.admin import ScopedAdmin

from .models import Notification


class DeliveryFilter(admin.SimpleListFilter):
    """The operator's view of the outbox: what is waiting, what keeps failing."""

    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [("waiting", _("waiting")), ("retrying", _("retrying")), ("sent", _("sent"))]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(sent_at__isnull=True, attempts=0)
        if self.value() == "retrying":
            return queryset.filter(sent_at__isnull=True, attempts__gt=0)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    """What was sent to whom, and when (the bodies are emptied once sent); what is still
    waiting, how often its delivery failed, the last error and the next attempt."""

    list_display = [
        "key",
        "subject",
        "created_at",
        "delivery",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = [DeliveryFilter, "template"]
    search_fields = ["key", "recipients", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    @admin.display(description=_("delivery"))
    def delivery(self, obj: Notification) -> str:
        return obj.state
