"""Display logic for talent profiles, kept out of templates and views."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Person

PROFILE_PARTS = [
    ("skills", _("skills")),
    ("career_goals", _("career goals")),
    ("would_take_1", _("assignments you would take")),
    ("education", _("education")),
    ("languages", _("languages")),
]


def with_profile_parts(people: QuerySet[Person]) -> QuerySet[Person]:
    """Only what ``missing_profile_parts`` reads, whether there are skills included: one
    query (the dashboard's box needs nothing else of the profile)."""
    has_skills = Exists(Person.skills.through.objects.filter(person_id=OuterRef("pk")))
    fields = [attr for attr, _label in PROFILE_PARTS if attr != "skills"]
    return people.only(*fields).annotate(has_skills=has_skills)


def missing_profile_parts(person: Person) -> list[str]:
    """What a talent profile still lacks. Expects ``skills`` prefetched, or the person read
    through ``with_profile_parts``."""
    missing = []
    for attr, label in PROFILE_PARTS:
        if attr == "skills":
            known = getattr(person, "has_skills", None)
            value = known if known is not None else list(person.skills.all())
        else:
            value = getattr(person, attr)
        if not value:
            missing.append(str(label))
    return missing


def profile_completeness(person: Person) -> int:
    """Percentage of the profile parts that are filled in."""
    missing = len(missing_profile_parts(person))
    return round(100 * (len(PROFILE_PARTS) - missing) / len(PROFILE_PARTS))
