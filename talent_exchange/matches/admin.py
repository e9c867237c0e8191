from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import RUN_DEFERRED, MatchRun, Offer, PairConstraint, WeightFormula


@admin.register(MatchRun)
class MatchRunAdmin(ScopedAdmin):
    """Runs are made by the worker and published on their page; here they are only read."""

    list_display = ["pk", "cycle", "round", "mode", "status", "progress", "published_at"]
    list_filter = ["status", "mode"]
    exclude = [*RUN_DEFERRED]
    readonly_fields = [
        "cycle", "round", "mode", "balance_tolerance", "status", "progress", "progress_note",
        "error", "task_id", "started_by", "created_at", "started_at", "heartbeat_at",
        "finished_at", "published_at", "published_by", "source_run", "market_bytes",
        "result_bytes",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*RUN_DEFERRED)


@admin.register(WeightFormula)
class WeightFormulaAdmin(ScopedAdmin):
    list_display = ["cycle", "participant_rank_weight", "host_rank_weight", "interview_weight"]


@admin.register(PairConstraint)
class PairConstraintAdmin(ScopedAdmin):
    list_display = ["cycle", "nomination", "opportunity", "rule", "reason", "created_by"]
    list_filter = ["rule"]
    raw_id_fields = ["nomination", "opportunity", "created_by"]

    def get_queryset(self, request):
        from talent_exchange.programs.models import Cycle

        return (
            super().get_queryset(request).filter(cycle__in=Cycle.objects.visible_to(request.user))
        )


@admin.register(Offer)
class OfferAdmin(ScopedAdmin):
    list_display = ["nomination", "opportunity", "run", "status", "respond_by"]
    list_filter = ["status"]
    raw_id_fields = ["run", "nomination", "opportunity"]
