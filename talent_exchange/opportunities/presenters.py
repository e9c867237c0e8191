"""Display logic for opportunities, kept out of templates and views."""

from __future__ import annotations

from django.db.models import Value
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from talent_exchange.core.rows import first_names, rows_html, url_for_pk

from .models import Opportunity

SKILLS_IN_A_ROW = 4


def skill_names(opportunity_id: int) -> dict[str, list[str]]:
    """The names of the skills an opportunity requires and those it develops, each by name,
    in one query (``skills_required`` and ``skills_developed`` for its page: prefetching
    both as objects cost two queries and about 2.5 ms of CPU)."""
    lists: dict[str, list[str]] = {"skills_required": [], "skills_developed": []}
    required, developed = (
        relation.through.objects.filter(opportunity_id=opportunity_id).values_list(
            Value(key), "skill__name"
        )
        for key, relation in (
            ("skills_required", Opportunity.skills_required),
            ("skills_developed", Opportunity.skills_developed),
        )
    )
    for key, name in required.union(developed, all=True).order_by("skill__name"):
        lists[key].append(name)
    return lists


OPPORTUNITY_ROW = """
  <tr>
    <th scope="row" data-label="{}"><a class="usa-link" href="{}">{}</a></th>
    <td data-label="{}">{}</td>
    <td data-label="{}">{}</td>
    <td data-label="{}">{}</td>
    <td data-label="{}">{} ({})</td>
    <td data-label="{}">{}</td>
    <td data-label="{}"><span class="usa-tag">{}</span></td>
  </tr>
  """


def _months(months: int) -> SafeString:
    # Our own catalogue's words around a number, as {% blocktranslate count %} gave them.
    return mark_safe(  # noqa: S308
        ngettext("%(months)s month", "%(months)s months", months) % {"months": int(months)}
    )


def opportunity_rows(opportunities: list[Opportunity]) -> SafeString:
    """The rows of a cycle's opportunities (opportunities/_opportunity_results.html):
    title (in the reader's language) and link, host, type, duration, where, the first
    skills required by name, status. Expects ``for_rows()``; one query (the skills)."""
    skills = first_names(
        Opportunity.skills_required, [o.pk for o in opportunities], SKILLS_IN_A_ROW
    )
    url = url_for_pk("opportunities:detail")
    labels = [
        gettext("Opportunity"),
        gettext("Host"),
        gettext("Type"),
        gettext("Duration"),
        gettext("Where"),
        gettext("Skills required"),
        gettext("Status"),
    ]
    return rows_html(
        OPPORTUNITY_ROW,
        (
            (
                labels[0],
                url(o.pk),
                o.local_title,
                labels[1],
                o.host_organization,
                labels[2],
                o.get_assignment_type_display(),
                labels[3],
                _months(o.duration_months),
                labels[4],
                o.location or "—",
                o.get_workplace_display().lower(),
                labels[5],
                ", ".join(skills.get(o.pk, ())) or "—",
                labels[6],
                o.get_status_display(),
            )
            for o in opportunities
        ),
    )
