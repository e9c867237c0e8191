from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import (
    Cycle,
    CyclePhase,
    CycleTransition,
    InvitationTransition,
    Program,
    ProgramInvitation,
)


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

    def has_add_permission(self, request):
        # Programs are created on the site, from a template (programs:create); the back
        # office adds one only for a platform operator.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # Which organisations a program reaches decides whose people its administrators read
        # and edit: they join by invitation (the program's page), or by a platform
        # operator's act. A program administrator with staff access cannot change them here.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["administering_organization", "participating_organizations"]
        return fields


@admin.register(Cycle)
class CycleAdmin(ScopedAdmin):
    list_display = ["name", "program", "state"]
    list_filter = ["state"]
    search_fields = ["name", "program__name"]
    # The phase moves only through the state machine (the cycle page), never by editing.
    readonly_fields = ["state"]
    inlines = [CyclePhaseInline, CycleTransitionInline]


class InvitationTransitionInline(admin.TabularInline):
    model = InvitationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProgramInvitation)
class ProgramInvitationAdmin(ScopedAdmin):
    """Read-only in the back office: invitations change only through their answers on the
    site (accept, decline, withdraw), so each step is recorded."""

    list_display = ["organization", "program", "state", "invited_by", "created_at"]
    list_filter = ["state"]
    search_fields = ["organization__name", "program__name"]
    readonly_fields = [
        "program",
        "organization",
        "state",
        "note",
        "invited_by",
        "created_at",
        "answered_by",
        "answered_at",
    ]
    inlines = [InvitationTransitionInline]

    def has_add_permission(self, request):
        return False
