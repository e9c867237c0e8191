"""Ranking pages: a participant ranks opportunities, a host ranks candidates.

Every change is a plain form POST (works without JavaScript: the page redirects back with the
moved choice focused); with htmx the form posts in the background, the list is swapped in
place and the change is announced in the page's live region.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from talent_exchange.core.bilingual import in_reader_language, search_both
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.permissions import permission_for_object
from talent_exchange.core.views_base import perform
from talent_exchange.nominations.access import get_nomination_for_user
from talent_exchange.nominations.models import Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus, Workplace
from talent_exchange.people.models import AssignmentType, Person
from talent_exchange.programs.models import Cycle

from . import services
from .deadlines import HOST, PARTICIPANT, ChangeDecision
from .models import HostRanking, ParticipantRanking
from .presenters import choice_options, ranking_items
from .ranking import ACTIONS

# A large cycle has thousands of rankable choices and popular opportunities hundreds of
# ranked candidates: the page shows a searchable handful of choices and a page of ranks.
CHOICES_SHOWN = 25
# From this many candidates on, the first ones by name are found by walking people in name
# order (``_candidates_by_name``) rather than by sorting every candidate.
WALK_BY_NAME_FROM = 2000
RANKS_PER_PAGE = 50
FIND_MAX_LENGTH = 100
# Fetched once per page with get_for_user (404 out of scope, 403 not allowed).
CYCLES = Cycle.objects.select_related("program")
NOMINATIONS = Nomination.objects.select_related("cycle__program", "person")
OPPORTUNITIES = Opportunity.objects.select_related("cycle__program", "host_organization")


@permission_for_object("preferences.view_cycle_preferences", CYCLES)
def cycle_preferences(request, cycle):
    """Which lists this user may open in the cycle, with how far each has got: a page of
    each, and how many lists have been started."""
    user = request.user
    today = timezone.localdate()
    lists = services.ranking_lists_for(user, cycle)
    nominations = Paginator(
        lists.nominations.select_related("person", "home_organization").order_by(
            "person__last_name", "person__first_name", "pk"
        ),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("participants_page"))
    opportunities = Paginator(
        lists.opportunities.select_related("host_organization").order_by("title", "pk"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("hosts_page"))
    _count_on_page(nominations, ParticipantRanking, "nomination_id")
    _count_on_page(opportunities, HostRanking, "opportunity_id")
    return render(
        request,
        "preferences/cycle_preferences.html",
        {
            "cycle": cycle,
            "nominations": nominations,
            "opportunities": opportunities,
            "started": services.rankings_started(lists),
            # Each list's page links keep the other list's page.
            "hosts_query": f"hosts_page={opportunities.number}&",
            "participants_query": f"participants_page={nominations.number}&",
            "participant_window": services.window_for(PARTICIPANT, cycle, today),
            "host_window": services.window_for(HOST, cycle, today),
        },
    )


def _count_on_page(page, model, key: str) -> None:
    """Set ``ranked`` on each row of a page: one grouped query for the page's rows."""
    ids = [row.pk for row in page.object_list]
    counts = dict(
        model.objects.filter(**{f"{key}__in": ids})
        .values(key)
        .annotate(n=Count("id"))
        .values_list(key, "n")
    )
    for row in page.object_list:
        row.ranked = counts.get(row.pk, 0)


@permission_for_object(
    "preferences.view_participant_ranking", NOMINATIONS, get=get_nomination_for_user
)
def participant_ranking(request, nomination):
    if request.method == "POST":
        return _post(
            request,
            nomination,
            services.change_participant_ranking,
            lambda: _participant_context(request, nomination),
            _participant_label,
        )
    return render(
        request, "preferences/participant_ranking.html", _participant_context(request, nomination)
    )


@permission_for_object("preferences.view_host_ranking", OPPORTUNITIES)
def host_ranking(request, opportunity):
    if request.method == "POST":
        return _post(
            request,
            opportunity,
            services.change_host_ranking,
            lambda: _host_context(request, opportunity),
            _host_label,
        )
    return render(request, "preferences/host_ranking.html", _host_context(request, opportunity))


def _participant_context(request, nomination) -> dict:
    ranked = ParticipantRanking.objects.filter(nomination=nomination)
    find = _find(request)

    def choices() -> tuple[list[tuple[int, str]], int]:
        pool = services.rankable_opportunities(nomination).exclude(
            pk__in=ranked.values("opportunity_id")
        )
        if find:
            pool = pool.filter(
                search_both(["title"], find) | Q(host_organization__name__icontains=find)
            )
        shown = pool.order_by("host_organization__name", "title", "pk").values_list(
            "pk", "title", "title_fr", "host_organization__name"
        )[:CHOICES_SHOWN]
        labels = [(pk, _opportunity_label(*label)) for pk, *label in shown]
        # A first page that is not full holds every choice: no need to count them.
        return labels, len(labels) if len(labels) < CHOICES_SHOWN else pool.count()

    def rows_for(ids: list[int]) -> list[dict]:
        found = {
            o["pk"]: o
            for o in Opportunity.objects.filter(pk__in=ids).values(*_OPPORTUNITY_ROW_FIELDS)
        }
        detail = _opportunity_detail()
        return [
            {
                "id": pk,
                "label": _opportunity_label(
                    o["title"], o["title_fr"], o["host_organization__name"]
                ),
                "detail": detail(o),
            }
            for pk in ids
            if (o := found.get(pk)) is not None
        ]

    return _ranking_context(
        request,
        kind=PARTICIPANT,
        cycle=nomination.cycle,
        owner=nomination,
        permission="preferences.rank_opportunities",
        ranked_ids=list(ranked.order_by("rank").values_list("opportunity_id", flat=True)),
        rows_for=rows_for,
        choices=choices,
        post_url=reverse("preferences:participant", args=[nomination.pk]),
        extra={"nomination": nomination, "find": find},
        blocked=""
        if nomination.status == NominationStatus.ENDORSED
        else _("Only an endorsed nominee ranks opportunities."),
    )


def _candidates_by_name(pool: QuerySet[Nomination], total: int) -> list[Nomination]:
    """The pool's first candidates by name (one nomination per person in a cycle).

    A popular cycle's pool holds thousands of nominees: sorting them all by their people's
    names read every one of their people (55–110 ms of PostgreSQL at 10,000 nominees). From
    ``WALK_BY_NAME_FROM`` on, PostgreSQL walks the people in name order instead
    (``person_name_order``), asks of each whether they are in the pool, and stops at the
    page's end: a few hundred index probes (about 8 ms). A small pool is sorted whole, as
    the walk would pass many people with no nomination in it."""
    if total < WALK_BY_NAME_FROM:
        return list(
            pool.select_related("person", "home_organization").order_by(
                "person__last_name", "person__first_name", "person_id"
            )[:CHOICES_SHOWN]
        )
    # A scalar subquery in the filter, not EXISTS: PostgreSQL would turn EXISTS into a join
    # and sort again.
    in_pool = pool.filter(person_id=OuterRef("pk")).order_by().values("pk")[:1]
    ids = list(
        Person.objects.annotate(nomination_id=Subquery(in_pool))
        .filter(nomination_id__isnull=False)
        .order_by("last_name", "first_name", "pk")
        .values_list("nomination_id", flat=True)[:CHOICES_SHOWN]
    )
    found = Nomination.objects.select_related("person", "home_organization").in_bulk(ids)
    return [found[pk] for pk in ids]


def _host_context(request, opportunity) -> dict:
    ranked = HostRanking.objects.filter(opportunity=opportunity)
    find = _find(request)
    pool = services.rankable_candidates(opportunity).exclude(pk__in=ranked.values("nomination_id"))
    if find:
        pool = pool.filter(person__in=Person.objects.search(find).values("pk"))

    def choices() -> tuple[list[tuple[int, str]], int]:
        total = pool.count()
        return [(n.pk, _candidate_label(n)) for n in _candidates_by_name(pool, total)], total

    def rows_for(ids: list[int]) -> list[dict]:
        found = Nomination.objects.select_related("person", "home_organization").in_bulk(ids)
        return [
            {"id": pk, "label": _candidate_label(n), "detail": n.person.position_title}
            for pk in ids
            if (n := found.get(pk)) is not None
        ]

    return _ranking_context(
        request,
        kind=HOST,
        cycle=opportunity.cycle,
        owner=opportunity,
        permission="preferences.rank_candidates",
        ranked_ids=list(ranked.order_by("rank").values_list("nomination_id", flat=True)),
        rows_for=rows_for,
        choices=choices,
        post_url=reverse("preferences:host", args=[opportunity.pk]),
        extra={"opportunity": opportunity, "find": find},
        blocked=""
        if opportunity.status == OpportunityStatus.APPROVED
        else _("Candidates are ranked only for approved opportunities."),
    )


def _ranking_context(
    request,
    *,
    kind,
    cycle,
    owner,
    permission,
    ranked_ids: list[int],
    rows_for: Callable[[list[int]], list[dict]],
    choices: Callable[[], tuple[list[tuple[int, str]], int]],
    post_url,
    extra,
    blocked,
):
    """The page of the ranking being shown: the whole list is read as ids only (a popular
    opportunity has hundreds of ranked candidates), the rows of one page with their labels.
    ``choices()`` gives the choices to add (the first ones) and how many there are: asked
    only of a user who may change the list now (the page shows them no other way)."""
    today = timezone.localdate()
    decision = services.decision_for(kind, cycle, request.user, today)
    if blocked:
        decision = ChangeDecision(False, message=blocked)
    focus_id, focus_action = _focus_from(request)
    source = request.POST if request.method == "POST" else request.GET
    page_number = source.get("page")
    total = len(ranked_ids)
    if focus_id in ranked_ids:
        page_number = ranked_ids.index(focus_id) // RANKS_PER_PAGE + 1  # follow the moved item
    page_obj = Paginator(ranked_ids, RANKS_PER_PAGE).get_page(page_number)
    rows = rows_for(list(page_obj.object_list))
    number = _("Number %(rank)s:")  # the rank read out before each row's label
    for position, row in enumerate(rows, start=page_obj.start_index()):
        row["rank"] = position
        row["number"] = number % {"rank": position}
        focused = row["id"] == focus_id
        row["focus"] = _focused_button(focus_action, position, total) if focused else ""
    query = {"find": extra["find"]} if extra.get("find") else {}
    may_rank = decision.allowed and request.user.has_perm(permission, owner)
    shown, choices_total = choices() if may_rank else ([], 0)
    return {
        "cycle": cycle,
        "kind": kind,
        "rows": rows,
        "rows_total": total,
        "labels": {row["id"]: row["label"] for row in rows},
        "page_obj": page_obj,
        "query_without_page": (urlencode(query) + "&") if query else "",
        "ranking_items": ranking_items(rows, may_rank=may_rank, total=total),
        "choices": shown,
        "choice_options": choice_options(shown),
        "choices_total": choices_total,
        "window": services.window_for(kind, cycle, today),
        "may_rank": may_rank,
        "late": decision.late,
        "decision": decision,
        "post_url": post_url,
        "focus_add": focus_action in ("add", "remove"),
        "reason": request.POST.get("reason", ""),
        **extra,
    }


def _focused_button(action: str, position: int, length: int) -> str:
    if action == "up":
        return "up" if position > 1 else ("down" if length > 1 else "")
    if action in ("down", "top"):
        return "down" if position < length else ("up" if length > 1 else "")
    return ""


def _focus_from(request) -> tuple[int | None, str]:
    source = request.POST if request.method == "POST" else request.GET
    action, item = _parse(source)
    return item, action


def _parse(data) -> tuple[str, int | None]:
    """``action`` is "add" (with ``choice``), or "up:<id>", "down:<id>", "remove:<id>"."""
    raw = data.get("action", "")
    verb, _sep, ident = raw.partition(":")
    if verb == "add":
        ident = data.get("choice", "")
    if verb not in ACTIONS:
        return "", None
    try:
        return verb, int(ident)
    except ValueError:
        return verb, None


def _post(request, owner, change, context, label_of):
    """Change the list, then build the page once, from what the list has become."""
    action, item = _parse(request.POST)
    # The label of an item that leaves the list, for the status message (read before it goes).
    removed = label_of(owner, item) if action == "remove" and item is not None else ""
    page = cache(context)

    def act() -> list[int]:
        if item is None:
            raise ActionRefused(_("Choose what to add first."))
        return change(
            owner, action, item, actor=request.user, reason=request.POST.get("reason", "")
        )

    def in_place(status: str, failed: bool):
        ctx = {**page(), "status": status, "failed": failed, "oob": True}
        if failed:
            ctx["focus_add"] = False
        return render(request, "preferences/_ranking_body.html", ctx)

    focus = "?action=add" if action == "add" else f"?action={action}:{item}"
    return perform(
        request,
        act,
        success=lambda after: _status(action, item, after, page(), removed),
        then=redirect(request.path + focus),
        refused=redirect(request.path),
        partial=in_place,
    )


def _status(action: str, item: int, after: list[int], ctx: dict, removed: str = "") -> str:
    label = ctx["labels"].get(item, "")
    if action == "remove":
        return _("“%(label)s” was removed from the list; %(n)d left.") % {
            "label": removed,
            "n": len(after),
        }
    return _("“%(label)s” is now number %(rank)d of %(n)d.") % {
        "label": label,
        "rank": after.index(item) + 1,
        "n": len(after),
    }


def _find(request) -> str:
    """The text typed to narrow the choices to add (kept across the page's own forms)."""
    source = request.POST if request.method == "POST" else request.GET
    return source.get("find", "").strip()[:FIND_MAX_LENGTH]


def _participant_label(nomination, opportunity_id: int) -> str:
    ranking = (
        ParticipantRanking.objects.filter(nomination=nomination, opportunity_id=opportunity_id)
        .select_related("opportunity__host_organization")
        .first()
    )
    if ranking is None:
        return ""
    opportunity = ranking.opportunity
    return _opportunity_label(
        opportunity.title, opportunity.title_fr, opportunity.host_organization.name
    )


def _host_label(opportunity, nomination_id: int) -> str:
    ranking = (
        HostRanking.objects.filter(opportunity=opportunity, nomination_id=nomination_id)
        .select_related("nomination__person", "nomination__home_organization")
        .first()
    )
    return _candidate_label(ranking.nomination) if ranking else ""


def _opportunity_label(title: str, title_fr: str, host: str) -> str:
    """An opportunity's title in the reader's language and its host organisation's name."""
    local = SimpleNamespace(title=title, title_fr=title_fr)
    return f"{in_reader_language(local, 'title')} — {host}"


# What a ranked opportunity's row shows (read as values: no model objects to build).
_OPPORTUNITY_ROW_FIELDS = (
    "pk",
    "title",
    "title_fr",
    "host_organization__name",
    "assignment_type",
    "duration_months",
    "location",
    "workplace",
)


def _opportunity_detail() -> Callable[[dict], str]:
    """A ranked opportunity's type, length and place, its labels translated once per page
    (``get_FOO_display`` rebuilt its field's choices on every call: a tenth of a ranking
    page's CPU, two calls per row)."""
    types = {value: str(label) for value, label in AssignmentType.choices}
    workplaces = {value: str(label) for value, label in Workplace.choices}
    months = _("%(n)d months")

    def detail(row: dict) -> str:
        kind, workplace = row["assignment_type"], row["workplace"]
        parts = [
            types.get(kind, kind),
            months % {"n": row["duration_months"]},
            row["location"] or workplaces.get(workplace, workplace),
        ]
        return " · ".join(str(p) for p in parts if p)

    return detail


def _candidate_label(nomination) -> str:
    return f"{nomination.person} — {nomination.home_organization}"
