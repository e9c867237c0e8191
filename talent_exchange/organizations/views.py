from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from talent_exchange.core.forms import ModelForm
from talent_exchange.core.permissions import (
    PermissionView,
    get_for_user,
    permission_for_object,
    permission_required,
)
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import ScopedListView
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Program, ProgramInvitation
from talent_exchange.programs.views import removal_page

from . import services
from .filters import OrganizationFilter
from .models import Organization


class OrganizationList(ScopedListView):
    model = Organization
    permission_required = "organizations.list_organizations"
    filterset_class = OrganizationFilter
    template_name = "organizations/organization_list.html"
    results_template_name = "organizations/_organization_results.html"

    def get_base_queryset(self):
        return (
            Organization.objects.visible_to(self.request.user)
            .select_related("parent")
            .annotate(program_count=Count("programs", distinct=True))
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("organizations.add_organization")
        return context


class OrganizationDetail(PermissionView, DetailView):
    model = Organization
    permission_required = "organizations.view_organization"
    template_name = "organizations/organization_detail.html"

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        context["components"] = org.components.all()
        context["programs"] = org.programs.all()
        context["people_visible"] = (
            Person.objects.visible_to(self.request.user).for_organization(org).count()
        )
        user = self.request.user
        context["can_edit"] = user.has_perm("organizations.change_organization", org)
        context["can_add_component"] = context["can_edit"] and user.has_perm(
            "organizations.add_organization"
        )
        # The programs this user administers that the organisation is not in (yet).
        context["invite_into"] = (
            Program.objects.administered_by(user)
            .exclude(participating_organizations=org)
            .exclude(invitations__organization=org, invitations__state="pending")
            .order_by("name")[:20]
        )
        context["can_leave"] = self.request.user.has_perm("organizations.leave_program", org)
        context["invitations"] = (
            ProgramInvitation.objects.visible_to(self.request.user)
            .pending()
            .filter(organization=org)
            .select_related("program", "organization", "invited_by")
        )
        return context


class OrganizationForm(ModelForm):
    """An organisation's details. Its sector follows its kind (external partners are the
    private, civil-society, academic and international kinds)."""

    class Meta:
        model = Organization
        fields = ["name", "short_name", "kind", "parent", "jurisdiction", "size_band", "website"]
        help_texts = {
            "kind": _(
                "Government bodies (a government, ministry, department, branch, agency, city, "
                "county, district) or an external partner (private company, civil-society "
                "organisation, academic institution, international organisation)."
            ),
        }

    def __init__(self, *args, may_move: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]
        if self.instance.pk:
            parent.queryset = parent.queryset.exclude(pk=self.instance.pk)  # type: ignore[attr-defined]
        if not may_move:
            parent.disabled = True  # a coordinator keeps the details, not where it belongs


@permission_required("organizations.add_organization")
@submitted_once
def create_organization(request):
    """Add an organisation, or a component under one (``?parent=<id>``)."""
    parent = None
    parent_pk = request.POST.get("parent") or request.GET.get("parent")
    if parent_pk and str(parent_pk).isdigit():
        parent = get_for_user(
            Organization, request.user, parent_pk, "organizations.change_organization"
        )
    form = OrganizationForm(request.POST or None, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        organization = services.add_organization(form.save(commit=False), actor=request.user)
        messages.success(request, _("%(org)s was added.") % {"org": organization})
        return redirect("organizations:detail", pk=organization.pk)
    return render(request, "organizations/organization_form.html", {"form": form, "parent": parent})


@permission_for_object("organizations.change_organization", Organization)
def edit_organization(request, organization):
    may_move = request.user.has_perm("organizations.add_organization")
    form = OrganizationForm(request.POST or None, instance=organization, may_move=may_move)
    if request.method == "POST" and form.is_valid():
        services.update_organization(form.save(commit=False), actor=request.user)
        messages.success(request, _("%(object)s was saved.") % {"object": organization})
        return redirect("organizations:detail", pk=organization.pk)
    return render(
        request, "organizations/organization_form.html", {"form": form, "object": organization}
    )


@permission_for_object("organizations.leave_program", Organization)
def leave_program(request, organization, program_pk):
    """The organisation's coordinator takes it out of a program (withdraws its consent)."""
    program = get_object_or_404(organization.programs.all(), pk=program_pk)
    return removal_page(
        request,
        program,
        organization,
        back=reverse("organizations:detail", args=[organization.pk]),
    )
