"""The one base for every ModelAdmin: permissions through the rules backend, rows scoped
through the model's ``visible_to`` QuerySet method, history through simple-history."""

from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin


class ScopedAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset

    def has_module_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.view_{self.opts.model_name}")
