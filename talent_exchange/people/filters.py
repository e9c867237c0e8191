import django_filters
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.filters import FilterSet, OrganizationChoiceFilter, OrganizationNameFilter
from talent_exchange.organizations.models import Organization

from .models import Designation, Person, Skill


def _organizations(request):
    if request is None:
        return Organization.objects.none()
    visible = Person.objects.visible_to(request.user).values("organization_id")
    return Organization.objects.filter(pk__in=visible)


class PersonFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name, position, e-mail or skill")
    )
    organization_find = OrganizationNameFilter(field_name="organization")
    organization = OrganizationChoiceFilter(
        label=_("Organisation"), queryset=_organizations, empty_label=_("Any organisation")
    )
    skills = django_filters.ModelChoiceFilter(
        label=_("Skill"), queryset=Skill.objects.all(), empty_label=_("Any skill")
    )
    designations = django_filters.ModelChoiceFilter(
        label=_("Designation"), queryset=Designation.objects.all(), empty_label=_("Any designation")
    )
    classification = django_filters.CharFilter(label=_("Classification"), lookup_expr="icontains")
    profile = django_filters.ChoiceFilter(
        label=_("Profile"),
        method="by_profile",
        empty_label=_("Any profile"),
        choices=[
            ("incomplete", _("Needs completing")),
        ],
    )

    class Meta(FilterSet.Meta):
        model = Person
        fields = [
            "q",
            "organization_find",
            "organization",
            "skills",
            "designations",
            "classification",
            "profile",
        ]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_profile(self, queryset, name, value):
        if value == "incomplete":
            return queryset.incomplete()
        return queryset
