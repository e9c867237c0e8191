"""Money and percentages in the reader's locale: ``{% load locale_formats %}``, then
``{{ amount|money:"CAD" }}`` and ``{{ share|percent }}``.

- ``en`` (the United States): ``$1,234.50``; a Canadian amount ``CA$1,234.50``.
- ``en-ca``: ``$1 234.50``; an American amount ``US$1 234.50``.
- ``fr`` (Canada): ``1 234,50 $``; an American amount ``1 234,50 $ US``.
- ``50%`` in English, ``50 %`` in French (a non-breaking space before the sign).

Dates and plain numbers need no filter: ``{{ value }}`` and ``|date`` follow the reader's
language (``settings.FORMAT_MODULE_PATH``)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

NBSP = "\xa0"
# The currency a language's readers call plainly "$".
HOME_CURRENCY = {"en": "USD", "en-ca": "CAD", "fr": "CAD"}


def _french() -> bool:
    return (get_language() or "").startswith("fr")


@register.filter
def money(amount: Decimal | float | int | None, currency: str = "CAD") -> str:
    """``amount`` of ``currency`` (an ISO code) with two decimals, as the reader writes it."""
    if amount is None or amount == "":
        return ""
    number = number_format(amount, 2, force_grouping=True)
    home = HOME_CURRENCY.get((get_language() or "en").lower(), "USD")
    plain = currency == home and currency in ("USD", "CAD")
    if _french():
        sign = (
            "$"
            if plain
            else {"USD": "$" + NBSP + "US", "CAD": "$" + NBSP + "CA"}.get(currency, currency)
        )
        return f"{number}{NBSP}{sign}"
    sign = "$" if plain else {"USD": "US$", "CAD": "CA$"}.get(currency, currency + NBSP)
    return f"{sign}{number}"


@register.filter
def percent(value: Decimal | float | int | None) -> str:
    """A percentage as the reader writes it ("50%", "50 %")."""
    if value is None or value == "":
        return ""
    number = number_format(value)
    return f"{number}{NBSP}%" if _french() else f"{number}%"
