from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin
from talent_exchange.programs.models import Program

from .models import ConflictOfInterest, Endorsement, EndorsementStep, Nomination


@admin.register(EndorsementStep)
class EndorsementStepAdmin(ScopedAdmin):
    """Where a program administrator sets the program's endorsement chain."""

    list_display = ["program", "order", "title", "kind"]
    list_filter = ["program"]
    ordering = ["program", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = Program.objects.administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "order",
        "title",
        "kind",
        "endorser",
        "decision",
        "reason",
        "decided_at",
    )

    def has_add_permission(self, request, obj=None):
        return False


class ConflictInline(admin.TabularInline):
    model = ConflictOfInterest
    extra = 0
    can_delete = False
    readonly_fields = ["organization", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ScopedAdmin):
    """Read-only in the back office: nominations change through their pages' workflow."""

    list_display = ["person", "home_organization", "cycle", "status", "profile_confirmed_at"]
    list_filter = ["status"]
    search_fields = ["person__first_name", "person__last_name", "person__work_email"]
    readonly_fields = [
        "cycle",
        "person",
        "home_organization",
        "status",
        "nominated_by",
        "rationale",
        "backfill_plan",
        "profile_confirmed_at",
    ]
    inlines = [EndorsementInline, ConflictInline]
