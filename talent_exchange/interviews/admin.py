from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import Panel, PanelAssignment, RubricCriterion, Score


@admin.register(RubricCriterion)
class RubricCriterionAdmin(ScopedAdmin):
    list_display = ["name", "program", "order", "weight", "max_score"]
    list_filter = ["program"]
    list_select_related = ["program"]
    ordering = ["program", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            from talent_exchange.programs.models import Program

            kwargs["queryset"] = Program.objects.administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Panel)
class PanelAdmin(ScopedAdmin):
    list_display = ["name", "cycle", "location"]
    list_select_related = ["cycle__program"]
    list_filter = ["cycle"]


@admin.register(PanelAssignment)
class PanelAssignmentAdmin(ScopedAdmin):
    list_display = ["nomination", "panel", "starts_at", "ends_at"]
    list_select_related = ["nomination__person", "nomination__cycle__program", "panel"]


@admin.register(Score)
class ScoreAdmin(ScopedAdmin):
    list_display = ["assignment", "panelist", "criterion", "score"]
    list_select_related = [
        "assignment__panel",
        "assignment__nomination__person",
        "panelist",
        "criterion",
    ]
