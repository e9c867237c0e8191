"""Django forms rendered as USWDS components: one field template, one error summary."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting


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
            described = []
            if field.help_text:
                described.append(f"{name}-hint")
            if self.is_bound and self.errors.get(name):
                described.append(f"{name}-error")
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] += " usa-input--error"
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"


class Form(USWDSFormMixin, forms.Form):
    pass


class ModelForm(USWDSFormMixin, forms.ModelForm):
    pass
