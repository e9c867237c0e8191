"""``{{ text|translated }}``: text copied from a catalogue message into a record (a standard
clause of an agreement template, say) shown in the reader's language; any other text, as
it was written. (Bilingual content entered by people is a separate matter: issue 15, item 4.)"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(text: str) -> str:
    return gettext(text) if text else text
