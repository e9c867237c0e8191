import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.filters import FilterSet, OrganizationChoiceFilter, OrganizationNameFilter
from talent_exchange.organizations.models import Organization

from .models import Nomination, NominationStatus


def _organizations(request):
    if request is None or getattr(request, "cycle", None) is None:
        return Organization.objects.none()
    nominations = Nomination.objects.visible_to(request.user).in_cycle(request.cycle)
    return Organization.objects.filter(pk__in=nominations.values("home_organization_id"))


class NominationFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=NominationStatus.choices, empty_label=_("Any status")
    )
    home_organization_find = OrganizationNameFilter(field_name="home_organization")
    home_organization = OrganizationChoiceFilter(
        label=_("Organisation"), queryset=_organizations, empty_label=_("Any organisation")
    )

    class Meta(FilterSet.Meta):
        model = Nomination
        fields = ["q", "status", "home_organization_find", "home_organization"]

    def search(self, queryset, name, value):
        match = Q()
        for word in value.split():
            match &= Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
        return queryset.filter(match)
