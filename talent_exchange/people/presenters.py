"""Display logic for talent profiles, kept out of templates and views."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.rows import first_names, rows_html, url_for_pk

from .models import Person

SKILLS_IN_A_ROW = 4

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


PERSON_ROW = """
  <tr>
    <th scope="row" data-label="{}"><a class="usa-link" href="{}">{}</a></th>
    <td data-label="{}">{}{}</td>
    <td data-label="{}">{}</td>
    <td data-label="{}">{}</td>
  </tr>
  """


def person_rows(people: list[Person]) -> SafeString:
    """The rows of the people list (people/_person_results.html): name and link, position
    and classification, organisation (``for_rows``), the first skills by name; one query."""
    skills = first_names(Person.skills, [p.pk for p in people], SKILLS_IN_A_ROW)
    url = url_for_pk("people:detail")
    name, position, organization, skills_label = (
        gettext("Name"),
        gettext("Position"),
        gettext("Organisation"),
        gettext("Skills"),
    )
    return rows_html(
        PERSON_ROW,
        (
            (
                name,
                url(person.pk),
                person.full_name,
                position,
                person.position_title,
                format_html(' <span class="usa-hint">({})</span>', person.classification)
                if person.classification
                else "",
                organization,
                person.organization,
                skills_label,
                ", ".join(skills.get(person.pk, ())),
            )
            for person in people
        ),
    )
