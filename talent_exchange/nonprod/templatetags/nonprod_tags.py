"""``{% demo_personas as personas %}``: the demo personas, for the persona switcher."""

from django import template

from talent_exchange.nonprod.personas import PERSONAS, Persona

register = template.Library()


@register.simple_tag
def demo_personas() -> tuple[Persona, ...]:
    return PERSONAS
