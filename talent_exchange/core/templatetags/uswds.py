"""``{% uswds_form form %}``: a form built elsewhere (a library's) rendered as ours are."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from talent_exchange.core.forms import style_errors, style_fields

register = template.Library()


@register.simple_tag
def uswds_form(form: forms.BaseForm) -> SafeString:
    style_fields(form)
    if form.is_bound:
        style_errors(form)
    return form.render()
