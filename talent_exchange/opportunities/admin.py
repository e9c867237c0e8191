from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import Opportunity, OpportunityTransition


class OpportunityTransitionInline(admin.TabularInline):
    model = OpportunityTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(ScopedAdmin):
    list_display = ["title", "host_organization", "cycle", "status", "capacity"]
    list_filter = ["status", "assignment_type", "workplace"]
    search_fields = ["title", "host_organization__name"]
    # The status moves only through the workflow (the opportunity's page), never by editing.
    readonly_fields = ["status", "review_comment", "posted_by"]
    autocomplete_fields = ["host_organization", "coach"]
    filter_horizontal = ["skills_required", "skills_developed"]
    inlines = [OpportunityTransitionInline]
