from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import (
    BackfillPlan,
    BillingProfile,
    CostArrangement,
    FeeSchedule,
    FundingLine,
    Invoice,
    Payment,
)


@admin.register(Invoice)
class InvoiceAdmin(ScopedAdmin):
    list_display = ["reference", "kind", "issuer", "recipient", "total", "status"]
    list_filter = ["status", "kind", "program"]
    search_fields = ["reference"]
    list_select_related = ["issuer", "recipient"]


@admin.register(Payment)
class PaymentAdmin(ScopedAdmin):
    list_display = ["invoice", "amount", "received_on"]


@admin.register(FeeSchedule)
class FeeScheduleAdmin(ScopedAdmin):
    list_display = ["cycle", "per_participant_sent", "waiver"]


@admin.register(FundingLine)
class FundingLineAdmin(ScopedAdmin):
    list_display = ["program", "kind", "funder", "amount"]


@admin.register(CostArrangement)
class CostArrangementAdmin(ScopedAdmin):
    list_display = ["placement", "basis", "authority", "payer", "payee"]
    raw_id_fields = ["placement"]


@admin.register(BillingProfile)
class BillingProfileAdmin(ScopedAdmin):
    list_display = ["organization", "currency", "last_number"]


@admin.register(BackfillPlan)
class BackfillPlanAdmin(ScopedAdmin):
    list_display = ["post_title", "method", "post_holder", "acting_person"]
    raw_id_fields = ["nomination", "parent", "root", "post_holder", "acting_person"]
