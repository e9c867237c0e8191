import django_filters
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.filters import FilterSet, OrganizationChoiceFilter, OrganizationNameFilter
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import AssignmentType, Skill

from .models import Opportunity, Workplace


def _hosts(request):
    cycle = getattr(request, "cycle", None) if request else None
    if cycle is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        pk__in=Opportunity.objects.for_cycle(cycle).approved().values("host_organization_id")
    )


class OpportunityFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Title, description or location")
    )
    assignment_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=AssignmentType.choices, empty_label=_("Any type")
    )
    host_organization_find = OrganizationNameFilter(field_name="host_organization")
    host_organization = OrganizationChoiceFilter(
        label=_("Organisation"), queryset=_hosts, empty_label=_("Any organisation")
    )
    skill = django_filters.ModelChoiceFilter(
        label=_("Skill"),
        queryset=Skill.objects.all(),
        method="by_skill",
        empty_label=_("Any skill"),
    )
    location = django_filters.CharFilter(label=_("Location"), lookup_expr="icontains")
    workplace = django_filters.ChoiceFilter(
        label=_("Workplace"), choices=Workplace.choices, empty_label=_("Any workplace")
    )

    class Meta(FilterSet.Meta):
        model = Opportunity
        fields = [
            "q",
            "assignment_type",
            "host_organization_find",
            "host_organization",
            "skill",
            "location",
            "workplace",
        ]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_skill(self, queryset, name, value):
        return queryset.with_skill(value)
