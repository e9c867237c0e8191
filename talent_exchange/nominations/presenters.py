"""Display logic for nominations, kept out of templates and views."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs
from django.utils.translation import gettext

from talent_exchange.core.rows import rows_html, url_for_pk

from .models import Endorsement, EndorsementDecision, Nomination

NOMINATION_ROW = """
  <tr>
    <th scope="row" data-label="{}"><a class="usa-link" href="{}">{}</a></th>
    <td data-label="{}">{}</td>
    <td data-label="{}"><span class="usa-tag">{}</span></td>
    <td data-label="{}">{}</td>
    <td data-label="{}">{}</td>
  </tr>
  """


def endorsement_chains(nomination_ids: list[int]) -> dict[int, str]:
    """Each nomination's chain as a list row shows it ("Manager: endorsed; Director:
    pending"), from one query of titles and decisions."""
    decisions = dict(EndorsementDecision.choices)
    steps: dict[int, list[str]] = {}
    for nomination_id, title, decision in (
        Endorsement.objects.filter(nomination_id__in=nomination_ids)
        .order_by("nomination_id", "order")
        .values_list("nomination_id", "title", "decision")
    ):
        label = str(decisions.get(decision, decision)).lower()
        steps.setdefault(nomination_id, []).append(f"{title}: {label}")
    return {nomination_id: "; ".join(chain) for nomination_id, chain in steps.items()}


def nomination_rows(nominations: list[Nomination]) -> SafeString:
    """The rows of a cycle's nominations (nominations/_nomination_results.html): nominee and
    link, home organisation, status, endorsement chain, when the profile was confirmed.
    Expects ``for_rows()``; one query (the chains)."""
    chains = endorsement_chains([n.pk for n in nominations])
    url = url_for_pk("nominations:detail")
    labels = [
        gettext("Nominee"),
        gettext("Organisation"),
        gettext("Status"),
        gettext("Endorsement chain"),
        gettext("Profile confirmed"),
    ]
    not_yet = gettext("not yet")
    return rows_html(
        NOMINATION_ROW,
        (
            (
                labels[0],
                url(n.pk),
                n.person.full_name,
                labels[1],
                n.home_organization,
                labels[2],
                n.get_status_display(),
                labels[3],
                chains.get(n.pk, "—"),
                labels[4],
                date_format(template_localtime(n.profile_confirmed_at), "j M Y")
                if n.profile_confirmed_at
                else not_yet,
            )
            for n in nominations
        ),
    )
