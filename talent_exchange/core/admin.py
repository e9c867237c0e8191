"""The one base for every ModelAdmin: permissions through the rules backend, rows scoped
through the model's ``visible_to`` QuerySet method, history through simple-history — read
under the same rule as the audit trail (``core.history.visible_history``)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .history import is_secret_field, visible_history


class _NoSecretsContextHelper(HistoricalRecordContextHelper):
    """The admin's list of changes, without fields that hold secrets."""

    def context_for_delta_changes(self, delta):
        shown = [self.format_delta_change(c) for c in delta.changes if not is_secret_field(c.field)]
        return [{"field": c.field, "old": c.old, "new": c.new} for c in shown]


class ScopedAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset

    def has_module_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.view_{self.opts.model_name}")

    # History: an object's history opens only for a user who may see the object (auditors:
    # every object, deleted ones too); anyone else gets a 404, as for the object itself.

    def _tracked(self) -> bool:
        # simple-history sets this on the options of the models it tracks only.
        manager = getattr(self.model._meta, "simple_history_manager_attribute", None)
        return manager is not None and hasattr(self.model, manager)

    def _visible_versions(self, request, object_id):
        if not self._tracked():
            raise Http404
        pk = self.model._meta.pk.attname
        try:
            versions = visible_history(self.model, request.user).filter(**{pk: unquote(object_id)})
            if not versions.exists():
                raise Http404
        except (ValueError, TypeError, ValidationError, OverflowError) as error:
            raise Http404 from error
        return versions

    def history_view(self, request, object_id, extra_context=None):
        if not self._tracked():  # Django's own log, read through the scoped get_object
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        self._visible_versions(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        versions = self._visible_versions(request, object_id)
        try:
            if not versions.filter(history_id=version_id).exists():
                raise Http404
        except (ValueError, TypeError, ValidationError, OverflowError) as error:
            raise Http404 from error
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return queryset.filter(
            history_id__in=visible_history(self.model, request.user).values("history_id")
        )

    def get_historical_record_context_helper(self, request, historical_record):
        return _NoSecretsContextHelper(self.model, historical_record)
