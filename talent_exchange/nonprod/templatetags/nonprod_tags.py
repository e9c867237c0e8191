"""``{% demo_personas as personas %}``: the demo personas, for the persona switcher;
``{% is_persona user as signed_in_as_persona %}``: whether this account is one of them."""

from django import template

from talent_exchange.nonprod.personas import DEMO_EMAIL_SUFFIX, PERSONAS, Persona, persona_for

register = template.Library()


@register.simple_tag
def demo_personas() -> tuple[Persona, ...]:
    return PERSONAS


@register.simple_tag
def is_persona(user) -> bool:
    """True for a seeded demo account (the switcher names it); false for any other, even one
    called like a persona, so the switcher never shows somebody else's name as selected."""
    if not getattr(user, "is_authenticated", False):
        return False
    return persona_for(user.username) is not None and (user.email or "").endswith(DEMO_EMAIL_SUFFIX)
