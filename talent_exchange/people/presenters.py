"""Display logic for talent profiles, kept out of templates and views."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from .models import Person

# An executive should take a developmental assignment at least every this many years
# (OPM's guideline is every 3 to 5 years; boards see people past the lower bound).
DEVELOPMENT_INTERVAL_YEARS = 3

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


def development_cutoff(today: date) -> date:
    """Whoever's last developmental assignment ended on or before this day is due for another
    (Person.objects.due_for_development)."""
    return today - timedelta(days=round(DEVELOPMENT_INTERVAL_YEARS * 365.25))
