from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import Cycle, CyclePhase, CycleTransition, Program


class CyclePhaseInline(admin.TabularInline):
    model = CyclePhase
    extra = 0


class CycleTransitionInline(admin.TabularInline):
    model = CycleTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(ScopedAdmin):
    list_display = ["name", "shape", "administering_organization", "reciprocity"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["administering_organization"]
    filter_horizontal = ["participating_organizations"]


@admin.register(Cycle)
class CycleAdmin(ScopedAdmin):
    list_display = ["name", "program", "state"]
    list_filter = ["state"]
    search_fields = ["name", "program__name"]
    # The phase moves only through the state machine (the cycle page), never by editing.
    readonly_fields = ["state"]
    inlines = [CyclePhaseInline, CycleTransitionInline]
