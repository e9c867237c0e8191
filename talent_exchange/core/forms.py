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


class USWDSFormMixin:
    """Give every widget its USWDS class and tie hints and errors to the control."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next(
                (c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "usa-input"
            )
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if field.help_text:  # the ids the field template gives (with a formset's prefix)
                widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-hint"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"

    def full_clean(self):
        # Marking errors happens after validation, never during __init__: a form that
        # narrows a queryset in its own __init__ must be validated against the narrowed one.
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            described = widget.attrs.get("aria-describedby", "")
            widget.attrs["aria-describedby"] = f"{described} {self.add_prefix(name)}-error".strip()
            widget.attrs["aria-invalid"] = "true"
            # A form may have taken the class off a widget (see OpportunityForm's checkboxes).
            widget.attrs["class"] = (widget.attrs.get("class", "") + " usa-input--error").strip()


class Form(USWDSFormMixin, forms.Form):
    pass


class ModelForm(USWDSFormMixin, forms.ModelForm):
    pass
