"""``{% submission_key %}``: a fresh one-time key for a creation form (core/submission.py)."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from talent_exchange.core.submission import FIELD

register = template.Library()


@register.simple_tag
def submission_key() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
