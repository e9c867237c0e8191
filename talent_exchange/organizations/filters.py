import django_filters
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.filters import FilterSet

from .models import Kind, Organization, Sector


class OrganizationFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name or jurisdiction")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("Any kind")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=Sector.choices, empty_label=_("Any sector")
    )

    class Meta(FilterSet.Meta):
        model = Organization
        fields = ["q", "kind", "sector"]

    def search(self, queryset, name, value):
        return queryset.search(value)
