"""Django forms rendered as USWDS components: one field template, one error summary."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling box with a filter above them (static/js/searchable.js): for
    long lists such as skills. Without JavaScript they are plain checkboxes in the box."""

    template_name = "includes/searchable_checkboxes.html"


class USWDSFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


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
