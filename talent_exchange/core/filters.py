"""django-filter FilterSets with USWDS widgets, and the organisation filter of long lists.

A list filtered by organisation used to offer every organisation in a ``<select>``: 500 at
the scale the product promises, a 40 KB list rendered (and read by a screen reader) on every
page view. ``OrganizationChoiceFilter`` offers at most ``CHOICES_SHOWN`` of them — the first
ones by name, or those whose name contains what was typed in its companion text box
(``OrganizationNameFilter``, named ``<field>_find``), and always the chosen one. The text box
also narrows the rows by itself, so without JavaScript one press of the form's button filters
the list by name and offers the organisations found; with htmx, the results fragment brings
the select's new options along (``refreshed_choices``). When a user sees few organisations
(a coordinator's own), the text box is left out and the select lists them all, as before.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .forms import FilterForm

# The most organisations a filter's select offers at once; the others are found by name.
CHOICES_SHOWN = 25
FIND_MAX_LENGTH = 100
FIND_SUFFIX = "_find"


class USWDSFilterForm(FilterForm):
    pass


class OrganizationNameFilter(django_filters.CharFilter):
    """Rows whose organisation (``field_name``, a foreign key) has a name or short name
    containing the text typed."""

    def __init__(self, field_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Find an organisation"))
        kwargs.setdefault(
            "help_text",
            _("Part of its name: keeps the organisations whose name contains it."),
        )
        kwargs.setdefault("max_length", FIND_MAX_LENGTH)
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        text = (value or "").strip()
        if not text:
            return qs
        return qs.filter(name_matches(text, prefix=f"{self.field_name}__"))


def name_matches(text: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}name__icontains": text}) | Q(**{f"{prefix}short_name__icontains": text})


def offer_organizations(form: Any, name: str, text: str = "", chosen: Any = None) -> bool:
    """Let the organisation select ``name`` of ``form`` offer at most ``CHOICES_SHOWN`` of
    its queryset: the first by name, or those whose name contains ``text``, and always
    ``chosen``. Any organisation of the queryset is still accepted. True when there were
    more (the help text, tied to the select, says how to find them)."""
    field = form.fields[name]
    queryset = field.queryset
    if text:
        queryset = queryset.filter(name_matches(text))
    found = list(queryset[: CHOICES_SHOWN + 1])
    many = len(found) > CHOICES_SHOWN
    found = found[:CHOICES_SHOWN]
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)
    if many:
        field.help_text = _(
            "The first %(shown)s in alphabetical order: find the others by name above."
        ) % {"shown": CHOICES_SHOWN}
        field.widget.attrs["aria-describedby"] = f"{form.add_prefix(name)}-hint"
    choices: list[tuple[Any, str]] = [("", field.empty_label or "")]
    choices += [(field.prepare_value(org), field.label_from_instance(org)) for org in found]
    field.widget.choices = choices
    return many


class OrganizationChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of one organisation whose select offers at most ``CHOICES_SHOWN`` of them
    (see the module's docstring); any organisation of the queryset is accepted."""


class FilterSet(django_filters.FilterSet):
    class Meta:
        form = USWDSFilterForm

    @property
    def form(self):
        form = super().form
        if not getattr(self, "_choices_bounded", False):
            self._choices_bounded = True
            for name, declared in self.filters.items():
                if isinstance(declared, OrganizationChoiceFilter):
                    self._bound_choices(form, name)
        return form

    def _bound_choices(self, form, name: str) -> None:
        find = name + FIND_SUFFIX
        text = (self.data.get(find) or "").strip()[:FIND_MAX_LENGTH] if self.data else ""
        # Validated first: the chosen organisation comes from it, without asking again.
        chosen = None
        if form.is_bound and name not in form.errors:
            chosen = form.cleaned_data.get(name)
        many = offer_organizations(form, name, text, chosen)
        if not many and not text and find in form.fields:
            del form.fields[find]  # few organisations: the select lists them all

    def refreshed_choices(self) -> SafeString:
        """The selects of the organisation filters as htmx out-of-band swaps of their options,
        for a results fragment: the options follow the name typed."""
        form = self.form
        selects = [
            form[name].as_widget(attrs={"hx-swap-oob": "innerHTML"})
            for name, declared in self.filters.items()
            if isinstance(declared, OrganizationChoiceFilter)
        ]
        return format_html_join("", "{}", ((select,) for select in selects))
