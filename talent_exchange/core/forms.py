"""Django forms rendered as USWDS components: one field template, one error summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs
from django.utils.translation import gettext


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling box with a filter above them (static/js/searchable.js): for
    long lists such as skills. Without JavaScript they are plain checkboxes in the box."""

    template_name = "includes/searchable_checkboxes.html"


class USWDSFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


def _text(value: Any) -> str:
    """``{{ value }}`` in a template: localised, then escaped unless already safe."""
    return conditional_escape(str(localize(template_localtime(value))))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` in a template."""
    return conditional_escape(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {escape(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(context: dict[str, Any]) -> str:
    """django/forms/widgets/input.html (and text, number, date, search, email…)."""
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _select(context: dict[str, Any]) -> str:
    """Our django/forms/widgets/select.html."""
    widget = context["widget"]
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(
            f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_text(option['label'])}</option>"
            for option in group_choices
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _field_group(context: dict[str, Any]) -> str | None:
    """includes/field.html for a field with one control and its label (None otherwise)."""
    field = context["field"]
    if field.is_hidden or field.widget_type in (
        "checkboxselectmultiple",
        "radioselect",
        "checkbox",
    ):
        return None
    name = escape(field.html_name)
    errors = field.errors
    required = (
        f' <abbr title="{escape(gettext("required"))}" class="usa-hint usa-hint--required">*</abbr>'
        if field.field.required
        else ""
    )
    hint = (
        f'<div class="usa-hint" id="{name}-hint">{_text(field.help_text)}</div>'
        if field.help_text
        else ""
    )
    error = (
        f'<span class="usa-error-message" id="{name}-error" role="alert">'
        f"{' '.join(conditional_escape(e) for e in errors)}</span>"
        if errors
        else ""
    )
    return (
        f'<div class="usa-form-group{" usa-form-group--error" if errors else ""}" '
        f'id="{name}-group">'
        f'\n  \n  <label class="usa-label{" usa-label--error" if errors else ""}" '
        f'for="{escape(field.id_for_label)}">{_text(field.label)}{required}</label>'
        f"\n  \n  {hint}\n  {error}\n  {field}\n</div>"
    )


class QuickFormRenderer(USWDSFormRenderer):
    """The same HTML as ``USWDSFormRenderer``, written in Python for the templates a filter
    form of a list page renders on every view: a field with its label, hint and errors
    (includes/field.html), a text box and a select. Django's template engine spent about 1 ms
    on each field of the form (several includes per field, a loop over the options), more
    than the rest of the list page's filter. Other fields and widgets (choice lists,
    check boxes, hidden fields) are rendered by their templates as before.
    ``core/tests/test_quick_forms.py`` renders every filter form both ways and fails on any
    difference: change the templates and these functions together."""

    INPUT_TEMPLATES = frozenset(
        f"django/forms/widgets/{kind}.html"
        for kind in ("input", "text", "number", "date", "search", "email", "url", "tel")
    )

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        quick: Callable[[dict[str, Any]], str | None] | None = None
        if request is None:
            if template_name in self.INPUT_TEMPLATES:
                quick = _input
            elif template_name == "django/forms/widgets/select.html":
                quick = _select
            elif template_name == self.field_template_name:
                quick = _field_group
        html = quick(context) if quick else None
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)  # noqa: S308 (every value above is escaped)


_WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select te-multiselect",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.CheckboxSelectMultiple: "te-choice",
    forms.RadioSelect: "te-choice",
}


def style_fields(form: forms.BaseForm) -> None:
    """Give every widget of ``form`` its USWDS class and tie hints to the control."""
    for name, field in form.fields.items():
        widget = field.widget
        css = next(
            (c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "usa-input"
        )
        if css not in widget.attrs.get("class", "").split():
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
        if field.help_text:  # the ids the field template gives (with a formset's prefix)
            widget.attrs["aria-describedby"] = f"{form.add_prefix(name)}-hint"
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"


def style_errors(form: forms.BaseForm) -> None:
    """Mark the controls of the fields in error (after validation)."""
    for name in form.errors:
        if name not in form.fields:
            continue
        widget = form.fields[name].widget
        described = widget.attrs.get("aria-describedby", "")
        error_id = f"{form.add_prefix(name)}-error"
        if error_id not in described.split():
            widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
        widget.attrs["aria-invalid"] = "true"
        # A form may have taken the class off a widget (see OpportunityForm's checkboxes).
        if "usa-input--error" not in widget.attrs.get("class", "").split():
            widget.attrs["class"] = (widget.attrs.get("class", "") + " usa-input--error").strip()


class USWDSFormMixin:
    """Give every widget its USWDS class and tie hints and errors to the control."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        # Marking errors happens after validation, never during __init__: a form that
        # narrows a queryset in its own __init__ must be validated against the narrowed one.
        super().full_clean()
        style_errors(self)


class Form(USWDSFormMixin, forms.Form):
    pass


class ModelForm(USWDSFormMixin, forms.ModelForm):
    pass


class FilterForm(Form):
    """The filter form of a list page: rendered on every view of the list, so by
    ``QuickFormRenderer``."""

    default_renderer = QuickFormRenderer()
