"""Display logic for talent profiles, kept out of templates and views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Person

PROFILE_PARTS = [
    ("skills", _("skills")),
    ("career_goals", _("career goals")),
    ("would_take_1", _("assignments you would take")),
    ("education", _("education")),
    ("languages", _("languages")),
]


def missing_profile_parts(person: Person) -> list[str]:
    """What a talent profile still lacks. Expects ``skills`` prefetched."""
    missing = []
    for attr, label in PROFILE_PARTS:
        value = getattr(person, attr)
        if attr == "skills":
            value = list(value.all())
        if not value:
            missing.append(str(label))
    return missing


def profile_completeness(person: Person) -> int:
    """Percentage of the profile parts that are filled in."""
    missing = len(missing_profile_parts(person))
    return round(100 * (len(PROFILE_PARTS) - missing) / len(PROFILE_PARTS))
