"""Finance pages: thin views over the services (services.py) and the exports (exports.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from talent_exchange.core.permissions import (
    PermissionView,
    permission_for_object,
    permission_required,
    require,
)
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform, perform_form
from talent_exchange.nominations.models import Nomination
from talent_exchange.organizations.models import Organization
from talent_exchange.placements.models import Placement
from talent_exchange.programs.models import Cycle, Program

from . import exports, services
from .forms import (
    ArrangementForm,
    BackfillForm,
    BillingProfileForm,
    BudgetLineForm,
    ComponentFormSet,
    CostDefaultsForm,
    CreditForm,
    ExpenseForm,
    FeeScheduleForm,
    FundingLineForm,
    IssueForm,
    NoteForm,
    PaymentForm,
)
from .models import (
    INVOICE_WORKFLOW,
    BackfillPlan,
    BillingProfile,
    BudgetLine,
    CostArrangement,
    CostDefaults,
    FeeSchedule,
    FundingLine,
    Invoice,
    InvoiceStatus,
    Posting,
)

INVOICES = Invoice.objects.with_parties()


# ---------------------------------------------------------------------------------------------
# Index and a program's money
# ---------------------------------------------------------------------------------------------


@permission_required("finance.view_finance")
def index(request):
    from talent_exchange.accounts.roles import roles_of

    roles = roles_of(request.user)
    programs = (
        Program.objects.visible_to(request.user).filter(
            pk__in=roles.admin_program_ids | roles.treasurer_program_ids
        )
        if not (roles.is_superuser or roles.is_auditor)
        else Program.objects.all()
    )
    organizations = Organization.objects.filter(pk__in=roles.finance_org_ids)
    return render(
        request,
        "finance/index.html",
        {"programs": programs.order_by("name"), "organizations": organizations.order_by("name")},
    )


@permission_for_object("finance.view_program_finance", Program)
def program_finance(request, program):
    today = timezone.localdate()
    cycles = list(
        Cycle.objects.filter(program=program).select_related("fee_schedule").order_by("-pk")
    )
    postings = Posting.objects.filter(program=program)
    uninvoiced = services.signed_not_invoiced(
        CostArrangement.objects.visible_to(request.user).filter(placement__program=program), today
    )
    context = {
        "program": program,
        "cycles": cycles,
        "funding": FundingLine.objects.filter(program=program),
        "today": today,
        "balances": _named_balances(services.balances(postings)),
        "uninvoiced_count": len(uninvoiced),
        "may_manage": request.user.has_perm("finance.manage_funding", program),
        "invoice_counts": {
            InvoiceStatus(row["status"]).label: row["n"]
            for row in Invoice.objects.filter(program=program)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by("status")
        },
    }
    return render(request, "finance/program.html", context)


def _named_balances(balances):
    names = dict(
        Organization.objects.filter(pk__in={org for org, _c in balances}).values_list("pk", "name")
    )
    rows = [
        {"organization_id": org, "name": names[org], "currency": currency, "balance": amount}
        for (org, currency), amount in balances.items()
    ]
    return sorted(rows, key=lambda row: (row["currency"], row["name"]))


@permission_for_object("finance.manage_funding", Program)
@submitted_once
def add_funding_line(request, program):
    form = FundingLineForm(request.POST or None)

    def save(data):
        line = form.save(commit=False)
        line.program = program
        line.reporting_dates = data["reporting"]
        return services.save_funding_line(line, request.user)

    return perform_form(
        request,
        form,
        save,
        success=lambda line: (
            _("The funding line “%(funder)s” was saved.") % {"funder": line.funder}
        ),
        then=redirect("finance:program", pk=program.pk),
        template="finance/form.html",
        context={"program": program, "title": _("Add a sponsor or grant")},
    )


@permission_for_object("finance.view_program_finance", Program)
def program_budget(request, program):
    year = request.GET.get("year", "")
    year_value = (
        int(year) if year.isdigit() and 1900 < int(year) < 3000 else timezone.localdate().year
    )
    rows = services.budget(program, year_value)
    income = [r for r in rows if r.line.is_income]
    spending = [r for r in rows if not r.line.is_income]
    context = {
        "program": program,
        "year": year_value,
        "income": income,
        "spending": spending,
        "income_planned": sum((r.line.planned for r in income), 0),
        "income_actual": sum((r.actual for r in income), 0),
        "spending_planned": sum((r.line.planned for r in spending), 0),
        "spending_actual": sum((r.actual for r in spending), 0),
        "may_manage": request.user.has_perm("finance.manage_funding", program),
    }
    return render(request, "finance/budget.html", context)


@permission_for_object("finance.manage_funding", Program)
@submitted_once
def add_budget_line(request, program):
    form = BudgetLineForm(request.POST or None, initial={"year": timezone.localdate().year})

    def save(data):
        line = form.save(commit=False)
        line.program = program
        return services.save_budget_line(line, request.user)

    return perform_form(
        request,
        form,
        save,
        success=_("The budget line was saved."),
        then=lambda line: redirect(f"{_url('finance:budget', program.pk)}?year={line.year}"),
        template="finance/form.html",
        context={"program": program, "title": _("Add a budget line")},
    )


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


@permission_for_object("finance.manage_funding", BudgetLine.objects.select_related("program"))
@submitted_once
def add_expense(request, line):
    form = ExpenseForm(request.POST or None)
    return perform_form(
        request,
        form,
        lambda data: services.record_expense(line, request.user, **data),
        success=_("The expense was recorded."),
        then=redirect(f"{_url('finance:budget', line.program_id)}?year={line.year}"),
        template="finance/form.html",
        context={
            "program": line.program,
            "title": _("Record an expense: %(line)s") % {"line": line},
        },
    )


@permission_for_object("finance.manage_funding", Program)
def cost_defaults(request, program):
    instance = CostDefaults.objects.filter(program=program).first() or CostDefaults(program=program)
    form = CostDefaultsForm(request.POST or None, instance=instance)
    return perform_form(
        request,
        form,
        lambda data: services.save_cost_defaults(program, request.user, **data),
        success=_("The cost defaults were saved."),
        then=redirect("finance:program", pk=program.pk),
        template="finance/form.html",
        context={"program": program, "title": _("Cost defaults for placements")},
    )


# ---------------------------------------------------------------------------------------------
# Fees
# ---------------------------------------------------------------------------------------------

CYCLES = Cycle.objects.select_related("program__administering_organization")


@permission_for_object("finance.view_program_finance", CYCLES)
def fee_schedule(request, cycle):
    schedule = FeeSchedule.objects.filter(cycle=cycle).first()
    may_manage = request.user.has_perm("finance.manage_funding", cycle)
    form = FeeScheduleForm(request.POST or None, instance=schedule or FeeSchedule(cycle=cycle))
    if request.method == "POST" and not may_manage:
        raise Http404
    due = services.fees_due(schedule) if schedule else []
    names = dict(
        Organization.objects.filter(pk__in=[d.organization_id for d in due]).values_list(
            "pk", "name"
        )
    )
    return perform_form(
        request,
        form,
        lambda data: services.save_fee_schedule(cycle, request.user, **data),
        success=_("The fees were saved."),
        then=redirect("finance:fees", pk=cycle.pk),
        template="finance/fees.html",
        context={
            "cycle": cycle,
            "program": cycle.program,
            "schedule": schedule,
            "due": [(names[d.organization_id], d) for d in due],
            "may_manage": may_manage,
        },
    )


@require_POST
@permission_for_object("finance.generate_invoices", CYCLES)
def generate_fees(request, cycle):
    return perform(
        request,
        lambda: services.generate_fee_invoices(cycle, request.user),
        success=lambda drafts: (
            _("%(count)s draft invoices are ready to check and issue.") % {"count": len(drafts)}
        ),
        then=redirect(f"{_url('finance:invoices')}?cycle={cycle.pk}"),
    )


# ---------------------------------------------------------------------------------------------
# Invoices
# ---------------------------------------------------------------------------------------------


class InvoiceList(PermissionView, ListView):
    permission_required = "finance.view_finance"
    template_name = "finance/invoice_list.html"
    paginate_by = 25

    def get_queryset(self):
        queryset = Invoice.objects.visible_to(self.request.user).with_parties()
        for name in ("cycle", "program", "issuer", "recipient"):
            value = self.request.GET.get(name, "")
            if value.isdigit() and len(value) < 12:
                queryset = queryset.filter(**{f"{name}_id": int(value)})
        status = self.request.GET.get("status", "")
        if status in InvoiceStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = InvoiceStatus.choices
        context["status"] = self.request.GET.get("status", "")
        return context


@permission_for_object(
    "finance.view_invoice",
    INVOICES.select_related("credited_invoice", "fee_schedule").prefetch_related(
        "lines", "payments", "transitions__actor", "credit_notes"
    ),
)
def invoice_detail(request, invoice):
    return render(
        request,
        "finance/invoice_detail.html",
        {
            "invoice": invoice,
            "actions": INVOICE_WORKFLOW.available_names(invoice, request.user),
            "issue_form": IssueForm(initial={"issued_on": timezone.localdate()}),
            "payment_form": PaymentForm(
                initial={"amount": invoice.open_amount, "received_on": timezone.localdate()}
            ),
        },
    )


@permission_for_object("finance.view_invoice", INVOICES.prefetch_related("lines"))
def invoice_pdf(request, invoice):
    from .pdf import invoice_pdf as render_pdf

    response = HttpResponse(render_pdf(invoice), content_type="application/pdf")
    name = invoice.reference or f"draft-{invoice.pk}"
    response["Content-Disposition"] = f'inline; filename="invoice-{name}.pdf"'
    return response


@require_POST
@permission_for_object("finance.issue_invoice", INVOICES)
def issue(request, invoice):
    form = IssueForm(request.POST)
    issued_on = form.cleaned_data["issued_on"] if form.is_valid() else timezone.localdate()
    return perform(
        request,
        lambda: services.issue_invoice(invoice, request.user, issued_on=issued_on),
        success=lambda done: _("Invoice %(ref)s was issued.") % {"ref": done.reference},
        then=redirect("finance:invoice", pk=invoice.pk),
    )


@permission_for_object("finance.record_payment", INVOICES)
@submitted_once
def record_payment(request, invoice):
    form = PaymentForm(request.POST or None, initial={"amount": invoice.open_amount})
    return perform_form(
        request,
        form,
        lambda data: services.record_payment(invoice, request.user, **data),
        success=_("The payment was recorded."),
        then=redirect("finance:invoice", pk=invoice.pk),
        template="finance/form.html",
        context={
            "program": invoice.program,
            "invoice": invoice,
            "title": _("Record a payment on %(ref)s") % {"ref": invoice.reference},
        },
    )


@permission_for_object("finance.issue_invoice", INVOICES)
@submitted_once
def credit(request, invoice):
    form = CreditForm(request.POST or None)
    return perform_form(
        request,
        form,
        lambda data: services.issue_credit_note(
            invoice,
            request.user,
            amount=data["amount"],
            reason=data["reason"],
            issued_on=timezone.localdate(),
        ),
        success=lambda note: _("Credit note %(ref)s was issued.") % {"ref": note.reference},
        then=lambda note: redirect("finance:invoice", pk=note.pk),
        template="finance/form.html",
        context={
            "program": invoice.program,
            "invoice": invoice,
            "title": _("Issue a credit note on %(ref)s") % {"ref": invoice.reference},
        },
    )


CLOSE_ACTIONS = {"waive": services.waive_invoice, "write-off": services.write_off_invoice}


@permission_for_object("finance.view_invoice", INVOICES)
def close_invoice(request, invoice, action):
    service = CLOSE_ACTIONS.get(action)
    if service is None:
        raise Http404
    INVOICE_WORKFLOW.check_permission(invoice, action.replace("-", "_"), actor=request.user)
    form = NoteForm(request.POST or None)
    label = INVOICE_WORKFLOW.action(action.replace("-", "_")).label
    return perform_form(
        request,
        form,
        lambda data: service(invoice, request.user, note=data["note"], on=timezone.localdate()),
        success=lambda done: (
            _("Invoice %(ref)s is now “%(status)s”.")
            % {"ref": done.reference, "status": done.get_status_display()}
        ),
        then=redirect("finance:invoice", pk=invoice.pk),
        template="finance/form.html",
        context={
            "program": invoice.program,
            "invoice": invoice,
            "title": f"{label}: {invoice.reference}",
        },
    )


# ---------------------------------------------------------------------------------------------
# Ledger and reports
# ---------------------------------------------------------------------------------------------


@permission_for_object("finance.view_ledger", Organization)
def organization_ledger(request, organization):
    postings = Posting.objects.visible_to(request.user)
    entries = services.organization_ledger(organization.pk, postings)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/ledger.html",
        {
            "organization": organization,
            "page_obj": page,
            "balances": _named_balances(
                {
                    k: v
                    for k, v in services.balances(postings.involving(organization.pk)).items()
                    if k[0] == organization.pk
                }
            ),
            "netting": _named_netting(
                [n for n in services.netting(postings) if organization.pk in (n.a_id, n.b_id)]
            ),
        },
    )


def _named_netting(rows):
    ids = {n.a_id for n in rows} | {n.b_id for n in rows}
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [{"a": names[n.a_id], "b": names[n.b_id], "row": n} for n in rows]


@permission_for_object("finance.view_program_finance", Program)
def program_ledger(request, program):
    postings = Posting.objects.filter(program=program)
    return render(
        request,
        "finance/program_ledger.html",
        {
            "program": program,
            "balances": _named_balances(services.balances(postings)),
            "netting": _named_netting(services.netting(postings)),
        },
    )


@permission_for_object("finance.view_program_finance", Program)
def signed_not_invoiced(request, program):
    rows = services.signed_not_invoiced(
        CostArrangement.objects.visible_to(request.user).filter(placement__program=program),
        timezone.localdate(),
    )
    return render(request, "finance/uninvoiced.html", {"program": program, "rows": rows})


@permission_for_object("finance.export_finance", Program)
def export_csv(request, program):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invoices-program-{program.pk}.csv"'
    exports.write_invoices_csv(
        response, Invoice.objects.visible_to(request.user).filter(program=program)
    )
    return response


@permission_for_object("finance.export_finance", Program)
def export_xlsx(request, program):
    data = exports.workbook(
        Invoice.objects.visible_to(request.user).filter(program=program),
        Posting.objects.visible_to(request.user).filter(program=program),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="finance-program-{program.pk}.xlsx"'
    return response


def _org_invoices(request, organization):
    return Invoice.objects.visible_to(request.user).filter(
        Q(issuer=organization) | Q(recipient=organization)
    )


@permission_for_object("finance.view_ledger", Organization)
def org_export_csv(request, organization):
    """The organisation's invoices (issued and received) for its own finance system."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="invoices-organisation-{organization.pk}.csv"'
    )
    exports.write_invoices_csv(response, _org_invoices(request, organization))
    return response


@permission_for_object("finance.view_ledger", Organization)
def org_export_xlsx(request, organization):
    postings = Posting.objects.visible_to(request.user).involving(organization.pk)
    data = exports.workbook(_org_invoices(request, organization), postings)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="finance-organisation-{organization.pk}.xlsx"'
    )
    return response


@permission_for_object("finance.view_ledger", Organization)
def billing(request, organization):
    instance = BillingProfile.objects.filter(organization=organization).first() or BillingProfile(
        organization=organization
    )
    form = BillingProfileForm(request.POST or None, instance=instance)
    return perform_form(
        request,
        form,
        lambda data: services.save_billing_profile(organization, request.user, **data),
        success=_("The billing details were saved."),
        then=redirect("finance:ledger", pk=organization.pk),
        template="finance/form.html",
        context={"title": _("Billing details of %(org)s") % {"org": organization}},
    )


# ---------------------------------------------------------------------------------------------
# Cost arrangements
# ---------------------------------------------------------------------------------------------

PLACEMENTS = Placement.objects.with_parties().select_related("agreement")


def _components_initial(arrangement, proposed_components):
    source = list(arrangement.components.all()) if arrangement.pk else proposed_components
    return [
        {
            "kind": c.kind,
            "amount": c.amount,
            "percent_of_salary": c.percent_of_salary,
            "is_estimate": c.is_estimate,
            "description": c.description,
        }
        for c in source
    ]


@permission_for_object("finance.view_placement_costs", PLACEMENTS)
def arrangement(request, placement):
    existing = CostArrangement.objects.filter(placement=placement).first()
    proposed, proposed_components = services.propose_arrangement(placement)
    current = existing or proposed
    may_change = (
        request.user.has_perm("finance.change_costarrangement", placement) and not current.is_frozen
    )
    initial = {
        "basis": current.basis,
        "authority": current.authority,
        "payer": current.payer_id,
        "payee": current.payee_id,
        "payer_percent": current.payer_percent,
        "payee_percent": current.payee_percent,
        "cap": current.cap,
        "billing_frequency": current.billing_frequency,
    }
    form = ArrangementForm(request.POST or None, initial=initial, placement=placement)
    formset = ComponentFormSet(
        request.POST or None, initial=_components_initial(current, proposed_components), prefix="c"
    )
    if request.method == "POST":
        require(
            request.user,
            "finance.change_costarrangement",
            placement,
            _("Only the parties' coordinators and finance officers agree the costs."),
        )
        formset_ok = formset.is_valid()
        components = (
            [
                services.ComponentInput(
                    **{
                        k: f.cleaned_data[k]
                        for k in (
                            "kind",
                            "amount",
                            "percent_of_salary",
                            "is_estimate",
                            "description",
                        )
                    }
                )
                for f in formset.forms
                if formset_ok
                and f.cleaned_data
                and (
                    f.cleaned_data.get("amount") is not None
                    or f.cleaned_data.get("percent_of_salary") is not None
                )
            ]
            if formset_ok
            else []
        )
        if formset_ok:
            return perform_form(
                request,
                form,
                lambda data: services.save_arrangement(
                    placement, request.user, components=components, **data
                ),
                success=_("The cost arrangement was saved."),
                then=redirect("finance:arrangement", pk=placement.pk),
                template="finance/arrangement.html",
                context=_arrangement_context(placement, existing, formset, may_change),
            )
    return render(
        request,
        "finance/arrangement.html",
        {"form": form, **_arrangement_context(placement, existing, formset, may_change)},
    )


def _arrangement_context(placement, existing, formset, may_change):
    return {
        "placement": placement,
        "arrangement": existing,
        "formset": formset,
        "may_change": may_change,
        "periods": services.billing_periods(existing) if existing else [],
        "invoices": Invoice.objects.filter(placement=placement).order_by("period_start", "pk"),
    }


@require_POST
@permission_for_object("finance.change_costarrangement", PLACEMENTS)
def generate_costs(request, placement):
    arrangement_ = (
        CostArrangement.objects.filter(placement=placement)
        .select_related("placement__agreement")
        .first()
    )
    if arrangement_ is None:
        raise Http404
    return perform(
        request,
        lambda: services.generate_cost_invoices(
            arrangement_, request.user, as_of=timezone.localdate()
        ),
        success=lambda drafts: (
            _("%(count)s draft invoices are ready to check and issue.") % {"count": len(drafts)}
        ),
        then=redirect("finance:arrangement", pk=placement.pk),
    )


# ---------------------------------------------------------------------------------------------
# Backfill
# ---------------------------------------------------------------------------------------------

NOMINATIONS = Nomination.objects.with_card()


@permission_for_object("finance.plan_backfill", NOMINATIONS)
def backfill(request, nomination):
    plan = BackfillPlan.objects.filter(nomination=nomination).first()
    initial = {"post_title": "", "method": "acting"}
    if plan:
        initial = {
            "post_title": plan.post_title,
            "method": plan.method,
            "acting_person": plan.acting_person.work_email if plan.acting_person else None,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "developmental": plan.developmental,
            "opportunity_cycle": plan.opportunity_cycle_id,
            "notes": plan.notes,
        }
    form = BackfillForm(
        request.POST or None,
        initial=initial,
        organization_id=nomination.home_organization_id,
        program_id=nomination.cycle.program_id,
    )
    chain = services.chain_of(plan) if plan else []
    return perform_form(
        request,
        form,
        lambda data: services.plan_backfill(nomination, request.user, **data),
        success=_("The backfill plan was saved."),
        then=redirect("finance:backfill", pk=nomination.pk),
        template="finance/backfill.html",
        context={
            "nomination": nomination,
            "plan": plan,
            "chain": chain,
            "link_form": _link_form(chain[-1], nomination)
            if chain and chain[-1].is_acting
            else None,
        },
    )


def _link_form(last, nomination, data=None):
    return BackfillForm(
        data,
        initial={"method": "acting", "post_title": ""},
        organization_id=nomination.home_organization_id,
        program_id=nomination.cycle.program_id,
        with_cycle=False,
        prefix="link",
    )


@require_POST
@permission_for_object(
    "finance.plan_backfill",
    BackfillPlan.objects.select_related("root__nomination__cycle", "nomination__cycle"),
)
@submitted_once
def add_link(request, parent):
    nomination = parent.root_plan.nomination
    form = _link_form(parent, nomination, request.POST)
    chain = services.chain_of(parent.root_plan)
    return perform_form(
        request,
        form,
        lambda data: services.add_chain_link(parent, request.user, **data),
        success=_("The next link of the vacancy chain was saved."),
        then=redirect("finance:backfill", pk=nomination.pk),
        template="finance/backfill.html",
        context={
            "nomination": nomination,
            "plan": parent.root_plan,
            "chain": chain,
            "link_form": form,
            "form": BackfillForm(
                initial={"post_title": parent.root_plan.post_title},
                organization_id=nomination.home_organization_id,
                program_id=nomination.cycle.program_id,
            ),
        },
    )
