"""Pages for match runs (start, progress, results, compare, publish), pair constraints, the
market export, and offers (participants and hosts)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_exchange.core.permissions import permission_for_object, permission_required
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform, perform_form
from talent_exchange.nominations.models import Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Cycle
from talent_exchange.reports import files
from talent_exchange.reports.models import Export, ExportFormat
from talent_exchange.reports.services import ready_download, request_export

from . import next_in_line, presenters, services
from . import reports as downloads
from .forms import (
    CompareForm,
    ConstraintForm,
    DeclineForm,
    PairPickForm,
    PublishForm,
    StartRunForm,
)
from .market import default_tolerance
from .models import (
    OFFER_WORKFLOW,
    RUN_DEFERRED,
    RUN_WORKFLOW,
    MatchRun,
    Offer,
    PairConstraint,
    PairRule,
)

PAIRS_PER_PAGE = 100
UNMATCHED_SHOWN = 200

# --- lookups (scoped: out of scope is a 404) ---------------------------------------------------


CYCLES = Cycle.objects.select_related("program")
# The snapshot and the result (tens of MB for a large run) load only when a page reads them:
# not for the permission check, the progress poll or the source run.
RUNS = MatchRun.objects.select_related(
    "cycle__program", "started_by", "published_by", "source_run"
).defer(*RUN_DEFERRED, *(f"source_run__{name}" for name in RUN_DEFERRED))
OFFERS = Offer.objects.select_related(
    "run__cycle__program",
    "nomination__person",
    "nomination__home_organization",
    "opportunity__host_organization",
    "opportunity__coach",
).defer(*(f"run__{name}" for name in RUN_DEFERRED))


def _run(request, pk, **_kwargs):
    return get_object_or_404(RUNS.visible_to(request.user), pk=pk)


# --- runs of a cycle ------------------------------------------------------------------------


@permission_for_object("matches.list_runs", CYCLES, kwarg="cycle_pk")
@submitted_once
def run_list(request, cycle):
    can_start = request.user.has_perm("matches.start_run", cycle)
    tolerance = default_tolerance(cycle)
    form = StartRunForm(initial={"balance_tolerance": tolerance, "round": 1})
    if request.method == "POST":
        if not can_start:
            raise PermissionDenied
        form = StartRunForm(request.POST)

    def page():
        runs = list(
            MatchRun.objects.for_cycle(cycle)
            .select_related("started_by", "published_by")
            .defer(*RUN_DEFERRED)
        )
        return {
            "cycle": cycle,
            "runs": runs,
            "form": form if can_start else None,
            "can_compare": request.user.has_perm("matches.compare_runs", cycle) and len(runs) > 1,
            "program_tolerance": tolerance,
            "phase_refusal": services.phase_refusal(cycle) if can_start else None,
        }

    return perform_form(
        request,
        form,
        lambda data: services.start_run(
            cycle,
            actor=request.user,
            mode=data["mode"],
            balance_tolerance=data["balance_tolerance"],
            round_number=data["round"],
        ),
        success=_("The run is queued; this page follows its progress."),
        then=lambda run: redirect("matches:run", pk=run.pk),
        template="matches/run_list.html",
        context=page,
    )


@permission_for_object("matches.export_market", CYCLES, kwarg="cycle_pk")
@submitted_once
def market_export(request, cycle):
    """The cycle's market as the engine reads it (round and tolerance from the query string,
    else round 1 and the program's rule). A small market is built as it is sent; a large one
    is written by the task worker (``reports.MARKET``), as a large run's snapshot is."""
    # The same bounds as the form that starts a run: a number outside them is the asker's
    # mistake (400 with the reason), not the engine's problem.
    fields = StartRunForm.base_fields
    try:
        round_number = fields["round"].clean(request.GET.get("round") or 1)
        raw = request.GET.get("tolerance", "")
        tolerance = (
            fields["balance_tolerance"].clean(raw) if raw != "" else default_tolerance(cycle)
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
    filters = downloads.market_filters(cycle, round_number, tolerance)
    if downloads.market_is_small(cycle):
        return _attachment(
            downloads.market_chunks(cycle, filters), downloads.market_filename(filters)
        )
    return _prepared(
        request,
        cycle,
        downloads.MARKET,
        filters,
        title=downloads.market_title(filters),
        back=(reverse("matches:runs", args=[cycle.pk]), _("Back to the match runs")),
        fresh_for=downloads.MARKET_FRESH,
    )


# --- one run ----------------------------------------------------------------------------------


@permission_for_object("matches.view_matchrun", RUNS)
def run_detail(request, run):
    context = {"run": run, "cycle": run.cycle, "stalled_since": services.stalled_since(run)}
    summary = MatchRun.objects.filter(pk=run.pk).values_list("summary", flat=True).first()
    run.summary = summary
    if summary:
        # A national run has 100,000 pairs: the page shows the summary and one page of
        # pairs (the whole result downloads as JSON), and loads names only for what it shows.
        rows = presenters.result_page(run, request.GET.get("page"), PAIRS_PER_PAGE, UNMATCHED_SHOWN)
        names = presenters.names_for_rows(run, list(rows.page) + rows.unmatched)
        context.update(
            {
                "page_obj": rows.page,
                "assignments": presenters.named(list(rows.page), names),
                "unmatched": presenters.named(rows.unmatched, names),
                "unmatched_hidden": max(0, summary.get("unmatched_count", 0) - UNMATCHED_SHOWN),
                "metrics": presenters.headline_metrics(summary),
                "problems": summary.get("problems", []),
            }
        )
        if run.succeeded:
            context["matrix"] = presenters.exchange_matrix(run, names)
            context["bars"] = presenters.balance_bars(run, names)
    can_act = request.user.has_perm("matches.publish_run", run)
    context["can_act"] = can_act
    if "publish" in RUN_WORKFLOW.available_names(run, request.user) and not run.published_at:
        context["publish_form"] = PublishForm()
        context["published_rival"] = (
            MatchRun.objects.published()
            .filter(cycle=run.cycle, round=run.round)
            .defer(*RUN_DEFERRED)
            .first()
        )
    context["rules"] = PairRule.choices
    if run.published_at:
        context["next_in_line"] = next_in_line.open_places(run.cycle)
    return render(request, "matches/run_detail.html", context)


@require_POST
@permission_for_object("matches.publish_run", Opportunity.objects.select_related("cycle"))
@submitted_once
def offer_next(request, opportunity):
    """Offer an open place to a candidate next in line (see next_in_line.py)."""
    try:
        nomination_pk = int(request.POST.get("nomination", ""))
    except ValueError:
        raise Http404 from None
    nomination = get_object_or_404(
        Nomination.objects.select_related("person"), pk=nomination_pk, cycle_id=opportunity.cycle_id
    )
    run = MatchRun.objects.published().filter(cycle_id=opportunity.cycle_id).order_by("-pk").first()
    return perform(
        request,
        lambda: next_in_line.offer_to_next(opportunity, nomination, actor=request.user),
        success=_("%(name)s is offered the place and was e-mailed.") % {"name": nomination.person},
        then=redirect("matches:run", pk=run.pk)
        if run
        else redirect("matches:runs", opportunity.cycle_id),
    )


@permission_for_object("matches.view_matchrun", RUNS)
def run_progress(request, run):
    """The progress fragment the run page polls while the run is queued or running. When
    the run ends, htmx is told to reload the page to show the results."""
    response = render(
        request,
        "matches/_run_progress.html",
        {"run": run, "stalled_since": services.stalled_since(run)},
    )
    # The page reloads (to show the results, or the published run) when what it was
    # following has ended.
    watching = request.GET.get("watching", "run")
    ended = run.is_finished if watching == "run" else not run.publishing
    if ended and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _attachment(chunks, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _prepared(request, cycle, key: str, filters: dict, *, title, back, fresh_for=None):
    """A download too large to write in the request (reports' exports, ``@download``): the
    ready file once the task worker has written it (for what changes, as a market, one
    written in the last ``fresh_for``), sent to anyone the page allows. Until then the page
    offers to prepare it (POST), and the reader follows the preparation on the export's
    page."""
    fresh_since = timezone.now() - fresh_for if fresh_for is not None else None
    written = ready_download(key, filters, fresh_since)
    if written is not None:
        return files.serve(request, written)
    if request.method == "POST":
        return perform(
            request,
            lambda: request_export(
                cycle.program, key, ExportFormat.GZIP_JSON, filters, actor=request.user
            ),
            success=_("The file is being prepared; we will e-mail you a link when it is ready."),
            then=lambda export: redirect("reports:export", pk=export.pk),
            refused=redirect(back[0]),
        )
    latest = Export.objects.of_download(key, **filters).first()
    preparing = latest if latest is not None and not latest.is_finished else None
    if preparing is not None and preparing.requested_by_id == request.user.pk:
        return redirect("reports:export", pk=preparing.pk)
    return render(
        request,
        "matches/prepare_download.html",
        {
            "cycle": cycle,
            "title": title,
            "back": back,
            "preparing": preparing,
            "failure": latest.error if latest is not None and latest.is_failed else "",
            "fresh_minutes": int(fresh_for.total_seconds() // 60) if fresh_for else None,
        },
    )


def _download(request, run: MatchRun, key: str):
    """A run's snapshot or result as JSON. A small one is written as it is sent; a large one
    is written once by the task worker, then every download sends that file (``_prepared``):
    a run's payload never changes."""
    if not downloads.stored_size(run, key):
        raise Http404
    if downloads.is_small(run, key):
        return _attachment(downloads.chunks(run, key), downloads.filename(run.pk, key))
    return _prepared(
        request,
        run.cycle,
        key,
        {"run": run.pk},
        title=downloads.title(run.pk, key),
        back=(
            reverse("matches:run", args=[run.pk]),
            _("Back to run #%(id)s") % {"id": run.pk},
        ),
    )


@permission_for_object("matches.view_matchrun", RUNS)
@submitted_once
def run_snapshot(request, run):
    return _download(request, run, downloads.SNAPSHOT)


@permission_for_object("matches.view_matchrun", RUNS)
@submitted_once
def run_result(request, run):
    return _download(request, run, downloads.RESULT)


@require_POST
@permission_for_object("matches.start_run", RUNS)  # a run answers its cycle's program_id
@submitted_once
def run_again(request, run):
    return perform(
        request,
        lambda: services.rerun(run, actor=request.user),
        success=_("Run #%(id)s repeats this run's input.") % {"id": run.pk},
        then=lambda new: redirect("matches:run", pk=new.pk),
        refused=redirect("matches:run", pk=run.pk),
    )


@require_POST
@permission_for_object("matches.publish_run", RUNS)
def publish(request, run):
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("respond_by", [])))
        return redirect("matches:run", pk=run.pk)
    return perform(
        request,
        lambda: services.publish_run(
            run, actor=request.user, respond_by=form.cleaned_data["respond_by"]
        ),
        success=_(
            "Publishing: the offers are being made in the background and then e-mailed; this "
            "page follows the progress."
        ),
        then=redirect("matches:run", pk=run.pk),
    )


@permission_for_object("matches.compare_runs", CYCLES, kwarg="cycle_pk")
def compare(request, cycle):
    runs = list(
        MatchRun.objects.for_cycle(cycle)
        .filter(status="succeeded")
        .select_related("cycle")
        .defer(*RUN_DEFERRED)
    )
    form = CompareForm(request.GET or None, runs=runs)
    context = {"cycle": cycle, "form": form}
    if form.is_valid():
        by_pk = {run.pk: run for run in runs}
        first, second = by_pk[form.cleaned_data["a"]], by_pk[form.cleaned_data["b"]]
        # Only the two runs compared are summarised (one query).
        summaries = dict(
            MatchRun.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "summary")
        )
        first.summary, second.summary = summaries[first.pk], summaries[second.pk]
        context.update({"first": first, "second": second})
        context["comparison"] = presenters.comparison(first, second)
    return render(request, "matches/compare.html", context)


# --- pair constraints ----------------------------------------------------------------------------


# The add form's lists offer this many candidates and opportunities (find the others by name).
CHOICES_SHOWN = 25
FIND_MAX_LENGTH = 100


@permission_for_object("matches.view_pairconstraint", CYCLES, kwarg="cycle_pk")
@submitted_once
def constraints(request, cycle):
    can_change = request.user.has_perm("matches.add_pairconstraint", cycle)
    source = request.POST if request.method == "POST" else request.GET
    find_candidate = source.get("find_candidate", "").strip()[:FIND_MAX_LENGTH]
    find_opportunity = source.get("find_opportunity", "").strip()[:FIND_MAX_LENGTH]
    nominations = (
        Nomination.objects.filter(cycle=cycle, status=NominationStatus.ENDORSED)
        .select_related("person", "home_organization")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if find_candidate:
        nominations = nominations.filter(
            person__in=Person.objects.search(find_candidate).values("pk")
        )
    opportunities = (
        Opportunity.objects.filter(cycle=cycle, status=OpportunityStatus.APPROVED)
        .select_related("host_organization")
        .order_by("title", "pk")
    )
    if find_opportunity:
        opportunities = opportunities.filter(
            Q(title__icontains=find_opportunity)
            | Q(host_organization__name__icontains=find_opportunity)
        )
    pools = {"nominations": nominations, "opportunities": opportunities, "shown": CHOICES_SHOWN}
    form = PairPickForm(**pools) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        # Posted from a result row of a run (the pair in hidden fields, back to the run), or
        # from this page (the pair picked from two lists).
        from_run = request.POST.get("from_run", "")
        form = ConstraintForm(request.POST) if from_run else PairPickForm(request.POST, **pools)
        back = (
            redirect("matches:run", pk=int(from_run))
            if from_run.isdigit()
            else redirect("matches:constraints", cycle_pk=cycle.pk)
        )
        if form.is_valid():
            return _constrain(request, cycle, form.cleaned_data, then=back)
        if from_run:
            messages.error(request, _("Choose a rule and give a reason."))
        if from_run.isdigit():
            return back
    rows = (
        PairConstraint.objects.filter(cycle=cycle)
        .select_related("nomination__person", "opportunity__host_organization", "created_by")
        .order_by("pk")
    )
    page_obj = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    finds = {"find_candidate": find_candidate, "find_opportunity": find_opportunity}
    kept = {key: value for key, value in finds.items() if value}
    return render(
        request,
        "matches/constraints.html",
        {
            "cycle": cycle,
            "constraints": page_obj.object_list,
            "page_obj": page_obj,
            "query_without_page": (urlencode(kept) + "&") if kept else "",
            "form": form,
            **finds,
            "candidates_total": nominations.count() if form else 0,
            "opportunities_total": opportunities.count() if form else 0,
        },
    )


def _constrain(request, cycle, data, *, then):
    nomination = get_object_or_404(Nomination, pk=data["nomination"], cycle=cycle)
    opportunity = get_object_or_404(Opportunity, pk=data["opportunity"], cycle=cycle)
    return perform(
        request,
        lambda: services.constrain_pair(
            cycle,
            nomination,
            opportunity,
            rule=data["rule"],
            reason=data["reason"],
            actor=request.user,
        ),
        success=lambda _constraint: (
            _("%(rule)s: %(person)s – %(opportunity)s. The next run will respect it.")
            % {
                "rule": PairRule(data["rule"]).label,
                "person": nomination.person,
                "opportunity": opportunity.title,
            }
        ),
        then=then,
    )


@require_POST
@permission_for_object(
    "matches.delete_pairconstraint", PairConstraint.objects.select_related("cycle__program")
)
def constraint_delete(request, constraint):
    cycle_pk = constraint.cycle_id
    services.remove_constraint(constraint, actor=request.user)
    messages.success(request, _("The rule was removed."))
    return redirect("matches:constraints", cycle_pk=cycle_pk)


# --- offers ------------------------------------------------------------------------------------


@permission_required("matches.list_offers")
def offer_list(request):
    offers = (
        Offer.objects.visible_to(request.user)
        .select_related(
            "run__cycle__program",
            "nomination__person",
            "nomination__home_organization",
            "opportunity__host_organization",
        )
        .defer(*(f"run__{name}" for name in RUN_DEFERRED))
        .order_by("-run__created_at", "opportunity__title", "pk")
    )
    page_obj = Paginator(offers, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matches/offer_list.html",
        {"offers": page_obj.object_list, "page_obj": page_obj, "today": timezone.localdate()},
    )


@permission_for_object("matches.view_offer", OFFERS)
def offer_detail(request, offer):
    today = timezone.localdate()
    can_respond = "accept" in OFFER_WORKFLOW.available_names(offer, request.user) and (
        offer.is_open(today)
    )
    decline_form = DeclineForm()
    if request.method == "POST":
        if not request.user.has_perm("matches.respond_offer", offer):
            raise PermissionDenied
        back = redirect("matches:offer", pk=offer.pk)
        if request.POST.get("answer") == "accept":
            return perform(
                request,
                lambda: services.accept_offer(offer, actor=request.user),
                success=_("You accepted the offer. Congratulations!"),
                then=back,
            )
        decline_form = DeclineForm(request.POST)
        if decline_form.is_valid():
            reason = decline_form.cleaned_data["reason"]
            return perform(
                request,
                lambda: services.decline_offer(offer, actor=request.user, reason=reason),
                success=_("You declined the offer. Thank you for telling us."),
                then=back,
            )
    return render(
        request,
        "matches/offer_detail.html",
        {
            "offer": offer,
            "can_respond": can_respond,
            "decline_form": decline_form,
            "today": today,
        },
    )
