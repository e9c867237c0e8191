"""django-filter FilterSets with USWDS widgets."""

import django_filters
from django import forms

from .forms import USWDSFormMixin


class USWDSFilterForm(USWDSFormMixin, forms.Form):
    pass


class FilterSet(django_filters.FilterSet):
    class Meta:
        form = USWDSFilterForm
