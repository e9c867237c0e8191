"""Executive development pages: thin views over the services and reads."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.permissions import permission_for_object, permission_required
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform, perform_form
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.people.models import Designation, MobilityRecord, Person
from talent_exchange.placements.models import Placement
from talent_exchange.programs.models import Program
from talent_exchange.reports.writers import XLSX_TYPE

from . import exports, services
from .forms import (
    FIND_MAX_LENGTH,
    AgreementForm,
    DecisionForm,
    ExceptionForm,
    ItemForm,
    NoteForm,
    PlanForm,
    ProgressForm,
    RuleForm,
    SavedSearchForm,
    SessionForm,
    TalentSearchForm,
)
from .growth import skill_growth
from .mobility import (
    ALL,
    compliance_of,
    data_call,
    data_calls,
    executives,
    fiscal_year_of,
    plans_not_reviewed,
    rows_in_order,
    rule_for,
    status_index,
)
from .models import (
    PLAN_WORKFLOW,
    DevelopmentPlan,
    MobilityAgreement,
    MobilityException,
    PlanStatus,
    ReviewDecision,
    ReviewSession,
    SavedSearch,
    SuccessionPlan,
)
from .presenters import STATUS_LABELS, moves_summary, verdict_display

PLANS = DevelopmentPlan.objects.select_related("person", "program", "framework")
PROGRAMS = Program.objects.all()

# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


@permission_required("development.list_plans")
def plan_list(request):
    plans = DevelopmentPlan.objects.visible_to(request.user).select_related("person", "program")
    page = Paginator(plans, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    roles = roles_of(request.user)
    unsigned = (
        Program.objects.filter(
            Q(participating_organizations=roles.person_organization_id)
            | Q(administering_organization=roles.person_organization_id)
        )
        .exclude(mobility_agreements__person_id=roles.person_id)
        .distinct()
        if roles.person_id
        else Program.objects.none()
    )
    return render(
        request,
        "development/plan_list.html",
        {
            "page_obj": page,
            "plans": page.object_list,
            "can_start": roles.person_id,
            "unsigned": unsigned,
        },
    )


@permission_required("development.add_developmentplan")
@submitted_once
def plan_create(request):
    """An executive starts their own plan (a supervisor or administrator uses the API or
    the person's page; the service checks the rule either way)."""
    roles = roles_of(request.user)
    person = Person.objects.filter(pk=roles.person_id).first()
    if person is None:
        return render(request, "development/no_profile.html", status=403)
    programs = Program.objects.filter(
        Q(participating_organizations=person.organization_id)
        | Q(administering_organization=person.organization_id)
    ).distinct()
    form = PlanForm(
        request.POST or None,
        programs=programs,
        initial={"year": timezone.localdate().year},
    )
    return perform_form(
        request,
        form,
        lambda data: services.create_plan(
            person,
            data["program"],
            data["year"],
            data["framework"],
            actor=request.user,
            goals=data["goals"],
        ),
        success=_("Your development plan was started."),
        then=lambda plan: redirect("development:plan", pk=plan.pk),
        template="development/plan_form.html",
    )


@permission_for_object("development.view_developmentplan", PLANS)
def plan_detail(request, plan):
    actions = PLAN_WORKFLOW.available_names(plan, request.user)
    may_write = request.user.has_perm("development.write_progress", plan)
    context = {
        "plan": plan,
        "items": plan.items.select_related("competency", "placement"),
        "progress": plan.progress.all(),
        "transitions": plan.transitions.select_related("actor"),
        "actions": actions,
        "item_form": ItemForm(plan=plan, user=request.user) if "edit" in actions else None,
        "note_form": NoteForm(),
        "progress_form": (
            ProgressForm() if may_write and plan.status == PlanStatus.APPROVED else None
        ),
        "decisions": ReviewDecision.objects.filter(
            person=plan.person, session__board__program=plan.program
        ).select_related("session"),
    }
    return render(request, "development/plan_detail.html", context)


@permission_for_object("development.change_developmentplan", PLANS)
@submitted_once
def plan_add_item(request, plan):
    form = ItemForm(request.POST or None, plan=plan, user=request.user)
    return perform_form(
        request,
        form,
        lambda data: services.add_item(plan, actor=request.user, **data),
        success=_("The activity was added to the plan."),
        then=redirect("development:plan", pk=plan.pk),
        template="development/item_form.html",
        context={"plan": plan},
    )


PLAN_ACTIONS = {
    "submit": (services.submit_plan, _("The plan was submitted for approval.")),
    "approve": (services.approve_plan, _("The plan was approved.")),
    "request_revision": (services.request_revision, _("A revision was requested.")),
}


@require_POST
@permission_for_object("development.view_developmentplan", PLANS)
def plan_transition(request, plan, action):
    form = NoteForm(request.POST)
    note = form.data.get("note", "")[:5000]
    if action not in PLAN_ACTIONS:
        return redirect("development:plan", pk=plan.pk)
    service, message = PLAN_ACTIONS[action]

    def act():
        if action == "submit":
            return service(plan, actor=request.user)
        return service(plan, actor=request.user, note=note)

    return perform(request, act, success=message, then=redirect("development:plan", pk=plan.pk))


@permission_for_object("development.write_progress", PLANS)
def plan_progress(request, plan):
    form = ProgressForm(request.POST or None)
    return perform_form(
        request,
        form,
        lambda data: services.write_progress(
            plan, actor=request.user, stage=data["stage"], text=data["text"]
        ),
        success=_("Your progress entry was saved."),
        then=redirect("development:plan", pk=plan.pk),
        template="development/progress_form.html",
        context={"plan": plan},
    )


AGREEMENT_TEXT = _(
    "As a member of %(program)s I agree to be considered for developmental assignments, "
    "including assignments in other organisations, at the interval the program sets, and to "
    "keep my development plan current with my supervisor."
)


@permission_for_object("programs.view_program", PROGRAMS, kwarg="program_pk")
def mobility_agreement(request, program):
    roles = roles_of(request.user)
    person = Person.objects.filter(pk=roles.person_id).first()
    if person is None:
        return render(request, "development/no_profile.html", status=403)
    signed = MobilityAgreement.objects.filter(person=person, program=program).first()
    text = AGREEMENT_TEXT % {"program": program}
    form = AgreementForm(request.POST or None)
    return perform_form(
        request,
        form,
        lambda data: services.sign_mobility_agreement(
            person, program, actor=request.user, text=text
        ),
        success=_("Your mobility agreement is signed."),
        then=redirect("development:plans"),
        template="development/agreement.html",
        context={"program": program, "text": signed.text if signed else text, "signed": signed},
    )


# ---------------------------------------------------------------------------------------------
# Mobility rule, exceptions, compliance
# ---------------------------------------------------------------------------------------------


@permission_for_object("development.change_mobilityrule", PROGRAMS, kwarg="program_pk")
def rule_edit(request, program):
    rule = rule_for(program)
    form = RuleForm(request.POST or None, instance=rule)
    return perform_form(
        request,
        form,
        lambda data: services.save_rule(program, actor=request.user, **data),
        success=_("The mobility rule was saved."),
        then=redirect("development:compliance", program_pk=program.pk),
        template="development/rule_form.html",
        context={"program": program},
    )


@permission_for_object("programs.view_program", PROGRAMS, kwarg="program_pk")
@submitted_once
def exception_request(request, program):
    people = Person.objects.visible_to(request.user).filter(pk__in=executives(program).values("pk"))
    roles = roles_of(request.user)
    if not request.user.has_perm("programs.change_program", program):
        # an executive asks for themselves, a supervisor for their reports
        people = people.filter(Q(pk=roles.person_id) | Q(supervisor_id=roles.person_id))
    source = request.POST if request.method == "POST" else request.GET
    find = source.get("find", "").strip()[:FIND_MAX_LENGTH]
    form = ExceptionForm(
        request.POST or None,
        people=people,
        shown=people.search(find) if find else None,
        initial={"person": roles.person_id, "starts_on": timezone.localdate()},
    )
    return perform_form(
        request,
        form,
        lambda data: services.request_exception(
            data["person"],
            program,
            actor=request.user,
            reason=data["reason"],
            explanation=data["explanation"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        ),
        success=_("The exception was requested; the board decides."),
        then=redirect("development:exceptions", program_pk=program.pk),
        template="development/exception_form.html",
        context={"program": program, "find": find},
    )


@permission_for_object("development.view_compliance", PROGRAMS, kwarg="program_pk")
def exception_list(request, program):
    rows = (
        MobilityException.objects.visible_to(request.user)
        .filter(program=program)
        .select_related("person", "requested_by", "decided_by")
    )
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/exception_list.html",
        {
            "program": program,
            "page_obj": page,
            "exceptions": page.object_list,
            "may_decide": request.user.has_perm("development.decide_exception", program),
        },
    )


@require_POST
@permission_for_object(
    "development.decide_exception", MobilityException.objects.select_related("person")
)
def exception_decide(request, exception):
    approve = request.POST.get("decision") == "approve"
    return perform(
        request,
        lambda: services.decide_exception(exception, actor=request.user, approve=approve),
        success=_("The exception was approved.") if approve else _("The exception was refused."),
        then=redirect("development:exceptions", program_pk=exception.program_id),
    )


def _fiscal_years(today: date, count: int = 5) -> list[int]:
    last = fiscal_year_of(today)
    return list(range(last - count + 1, last + 1))


@permission_for_object("development.view_compliance", PROGRAMS, kwarg="program_pk")
def compliance(request, program):
    today = timezone.localdate()
    rule = rule_for(program)
    index = status_index(program, today)
    status = request.GET.get("status", "")
    ids = index.order[status] if status in STATUS_LABELS else index.order[ALL]
    page = Paginator(ids, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_in_order(program, today, page.object_list)
    calls = data_calls(program, _fiscal_years(today))
    current = calls[-1]
    return render(
        request,
        "development/compliance.html",
        {
            "program": program,
            "rule": rule,
            "moves_summary": moves_summary(rule),
            "counts": [(code, label, index.count(code)) for code, label in STATUS_LABELS.items()],
            "status": status,
            "page_obj": page,
            "rows": [(r.person, verdict_display(r.verdict)) for r in rows],
            "query_without_page": f"status={status}&" if status else "",
            "unreviewed": plans_not_reviewed(program, today)[:50],
            "call": current,
            "call_rows": exports.data_call_rows(current),
            "calls": calls,
            "chart": exports.rate_chart(calls),
            "may_edit_rule": request.user.has_perm("development.change_mobilityrule", program),
        },
    )


@permission_for_object("development.view_compliance", PROGRAMS, kwarg="program_pk")
def compliance_export(request, program, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    call = data_call(program, year or fiscal_year_of(today))
    sheets = exports.sheets(call, compliance_of(program, today))
    name = f"mobility-{program.pk}-fy{call.fiscal_year}"
    if fmt == "xlsx":
        response = HttpResponse(exports.as_xlsx(sheets), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(exports.as_csv(sheets), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# ---------------------------------------------------------------------------------------------
# Board review sessions
# ---------------------------------------------------------------------------------------------

SESSIONS = ReviewSession.objects.select_related("board__program")


@permission_for_object("development.view_reviewsession", PROGRAMS, kwarg="program_pk")
@submitted_once
def session_list(request, program):
    form = SessionForm(
        request.POST or None,
        initial={"year": timezone.localdate().year, "held_on": timezone.localdate()},
    )
    sessions = ReviewSession.objects.filter(board__program=program)
    return perform_form(
        request,
        form,
        lambda data: services.open_session(
            program, data["year"], actor=request.user, held_on=data["held_on"]
        ),
        success=_("The review session is open."),
        then=lambda session: redirect("development:session", pk=session.pk),
        template="development/session_list.html",
        context={"program": program, "sessions": sessions},
    )


QUEUE_SIZE = 10


def _suggestions(people: list[Person], plans: dict[int, DevelopmentPlan]) -> dict[int, list]:
    """Open opportunities in any cycle whose title matches a job the person would take or
    whose skills developed match a competency the plan works on (two queries in all)."""
    open_ones = list(
        Opportunity.objects.approved()
        .filter(cycle__in=_open_cycles())
        .select_related("host_organization")
        .prefetch_related("skills_developed")[:300]
    )
    found: dict[int, list] = {}
    for person in people:
        wanted = [w.lower() for w in person.assignments_i_would_take]
        plan = plans.get(person.pk)
        competencies = (
            {item.competency.name.lower() for item in plan.items.all()} if plan else set()
        )
        hits = []
        for opportunity in open_ones:
            title = opportunity.title.lower()
            skills = {s.name.lower() for s in opportunity.skills_developed.all()}
            if any(w and (w in title or title in w) for w in wanted) or competencies & skills:
                hits.append(opportunity)
        found[person.pk] = hits[:3]
    return found


def _open_cycles():
    from talent_exchange.programs.models import Cycle

    return Cycle.objects.open().values("pk")


@permission_for_object("development.view_reviewsession", SESSIONS)
def session_detail(request, session):
    program = session.board.program
    people = executives(program).select_related("organization").order_by("last_name", "pk")
    page = Paginator(people, QUEUE_SIZE).get_page(request.GET.get("page"))
    persons = list(page.object_list)
    ids = [p.pk for p in persons]
    plans = {
        p.person_id: p
        for p in DevelopmentPlan.objects.filter(
            program=program, year=session.year, person_id__in=ids
        ).prefetch_related("items__competency", "progress")
    }
    history: dict[int, list] = {}
    for record in MobilityRecord.objects.filter(person_id__in=ids).select_related(
        "host_organization"
    ):
        history.setdefault(record.person_id, []).append(record)
    decisions = {
        d.person_id: d for d in ReviewDecision.objects.filter(session=session, person_id__in=ids)
    }
    verdicts = {
        r.person.pk: verdict_display(r.verdict)
        for r in compliance_of(
            program, timezone.localdate(), Person.objects.filter(pk__in=ids)
        ).rows
    }
    suggestions = _suggestions(persons, plans)
    may_decide = request.user.has_perm("development.decide_review", session)
    queue = [
        {
            "person": person,
            "plan": plans.get(person.pk),
            "history": history.get(person.pk, []),
            "decision": decisions.get(person.pk),
            "verdict": verdicts.get(person.pk),
            "suggestions": suggestions.get(person.pk, []),
            "form": DecisionForm(
                prefix=f"p{person.pk}",
                initial=(
                    {"decision": decisions[person.pk].decision, "notes": decisions[person.pk].notes}
                    if person.pk in decisions
                    else None
                ),
            )
            if may_decide
            else None,
        }
        for person in persons
    ]
    return render(
        request,
        "development/session_detail.html",
        {"session": session, "program": program, "queue": queue, "page_obj": page},
    )


@require_POST
@permission_for_object("development.decide_review", SESSIONS)
def session_decide(request, session, person_pk):
    person = Person.objects.filter(pk=person_pk).first()
    form = DecisionForm(request.POST, prefix=f"p{person_pk}")
    if person is None or not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("development:session", pk=session.pk)
    page = request.POST.get("page", "")
    then = reverse("development:session", args=[session.pk]) + (
        f"?page={page}" if page.isdigit() else ""
    )
    return perform(
        request,
        lambda: services.record_decision(
            session,
            person,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            notes=form.cleaned_data["notes"],
        ),
        success=_("The decision on %(person)s was recorded.") % {"person": person},
        then=redirect(then + f"#person-{person.pk}"),
    )


# ---------------------------------------------------------------------------------------------
# Talent search and succession
# ---------------------------------------------------------------------------------------------


def talent_results(user, data: dict):
    """The talent file as ``user`` may see it, filtered, then searched (best first). Every
    filter is an index look-up on PostgreSQL: the organisation (foreign key), years of
    service (``person_years_of_service``), designations (the link table's designation
    index, the names matched in the small designations table first), mobility since a year
    (the mobility records' person index) and the text fields (the search vector's GIN index,
    through ``people/search.py``, the one search path)."""
    people = Person.objects.visible_to(user)
    if data.get("organization"):
        people = people.filter(organization=data["organization"])
    if data.get("min_years") is not None:
        people = people.filter(years_of_service__gte=data["min_years"])
    if data.get("designation"):
        designations = Designation.objects.filter(name__icontains=data["designation"])
        held = Person.designations.through.objects.filter(
            person_id=OuterRef("pk"), designation_id__in=designations.values("pk")
        )
        people = people.filter(Exists(held))
    if data.get("moved_since") is not None:
        moved = MobilityRecord.objects.filter(
            person_id=OuterRef("pk"), started_on__gte=date(data["moved_since"], 1, 1)
        )
        people = people.filter(Exists(moved))
    if data.get("would_take"):
        people = people.would_take(data["would_take"])
    if data.get("q"):
        people = people.search(data["q"])
    return people.with_card()


class CappedPaginator(Paginator):
    """Counts the matches up to ``CAP`` only: over 100,000 profiles a broad search
    ("budgeting": 40,000 people) spends more time counting than finding its page, and nobody
    pages through more than a thousand people — they narrow the search."""

    CAP = 1_000

    @cached_property
    def count(self) -> int:
        matches: QuerySet = self.object_list  # type: ignore[assignment]  # always a queryset here
        return matches.order_by()[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP


@permission_required("development.search_talent")
def talent_search(request):
    form = TalentSearchForm(request.GET or None, user=request.user)
    results = None
    page = None
    if form.is_bound and form.is_valid():
        results = talent_results(request.user, form.cleaned_data)
        page = CappedPaginator(results, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "development/talent_search.html",
        {
            "form": form,
            "page_obj": page,
            "people": page.object_list if page else None,
            "query_without_page": (query.urlencode() + "&") if query else "",
            "saved": SavedSearch.objects.filter(owner=request.user),
            "save_form": SavedSearchForm(initial={"query": query.urlencode()}),
        },
    )


@require_POST
@permission_required("development.search_talent")
def talent_search_save(request):
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        return redirect("development:talent")
    return perform(
        request,
        lambda: services.save_search(
            request.user, form.cleaned_data["name"], form.cleaned_data["query"]
        ),
        success=_("The search was saved."),
        then=redirect(reverse("development:talent") + "?" + form.cleaned_data["query"]),
    )


@permission_for_object("development.view_successionplan", PROGRAMS, kwarg="program_pk")
def succession(request, program):
    plans = (
        SuccessionPlan.objects.visible_to(request.user)
        .filter(program=program)
        .select_related("organization", "incumbent")
        .prefetch_related("candidates__person")
    )
    page = Paginator(plans, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/succession.html",
        {"program": program, "page_obj": page, "plans": page.object_list},
    )


@permission_for_object("people.view_person", Person.objects.all())
def skill_growth_log(request, person):
    return render(
        request,
        "development/growth.html",
        {"person": person, "entries": skill_growth(person)},
    )


@require_POST
@permission_for_object("development.file_assignment_report", Placement.objects.all())
def file_report(request, placement):
    occasion = request.POST.get("occasion", "")[:60]
    return perform(
        request,
        lambda: services.file_assignment_report(placement, occasion, actor=request.user),
        success=_("The assignment report was filed."),
        then=redirect("core:dashboard"),
    )
