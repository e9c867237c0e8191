from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, UpdateView

from talent_exchange.core.forms import ModelForm
from talent_exchange.core.permissions import PermissionView, permission_for_object
from talent_exchange.core.views_base import ScopedListView, SuccessMessageMixin
from talent_exchange.people.models import Person
from talent_exchange.programs.models import ProgramInvitation
from talent_exchange.programs.views import removal_page

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
        context["can_edit"] = self.request.user.has_perm("organizations.change_organization", org)
        context["can_leave"] = self.request.user.has_perm("organizations.leave_program", org)
        context["invitations"] = (
            ProgramInvitation.objects.visible_to(self.request.user)
            .pending()
            .filter(organization=org)
            .select_related("program", "organization", "invited_by")
        )
        return context


class OrganizationForm(ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "sector",
            "parent",
            "jurisdiction",
            "size_band",
            "website",
        ]


class OrganizationUpdate(SuccessMessageMixin, PermissionView, UpdateView):
    model = Organization
    form_class = OrganizationForm
    permission_required = "organizations.change_organization"
    template_name = "organizations/organization_form.html"
    success_message = _("%(object)s was saved.")

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user)

    def get_success_url(self):
        return reverse("organizations:detail", args=[self.object.pk])


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
