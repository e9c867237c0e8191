"""Talent profiles: the searchable list, the card, and editing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, UpdateView

from talent_exchange.core.permissions import PermissionView, permission_for_object
from talent_exchange.core.submission import SubmittedOnceMixin, submitted_once
from talent_exchange.core.views_base import ScopedListView, SuccessMessageMixin
from talent_exchange.privacy.services import record_view

from .filters import PersonFilter
from .forms import MobilityRecordForm, PersonForm
from .models import Person
from .presenters import missing_profile_parts, person_rows, profile_completeness


class PersonList(ScopedListView):
    model = Person
    permission_required = "people.list_people"
    filterset_class = PersonFilter
    template_name = "people/person_list.html"
    results_template_name = "people/_person_results.html"

    def get_base_queryset(self):
        return Person.objects.visible_to(self.request.user).for_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = person_rows(list(context["object_list"]))
        return context


class PersonDetail(PermissionView, DetailView):
    model = Person
    permission_required = "people.view_person"
    template_name = "people/person_detail.html"

    def get_queryset(self):
        # Scoped: a person outside the user's reach is "not found", not "forbidden", so
        # guessing URLs reveals nothing about who exists.
        return (
            Person.objects.visible_to(self.request.user)
            .with_card()
            .prefetch_related("mobility_history__host_organization")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["missing"] = missing_profile_parts(person)
        context["completeness"] = profile_completeness(person)
        context["can_edit"] = self.request.user.has_perm("people.change_person", person)
        context["keeps_record"] = self.request.user.has_perm(
            "people.keep_employment_record", person
        )
        context["sees_record_views"] = self.request.user.has_perm("privacy.view_recordview", person)
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Disclosure accounting: the one deliberate write of a page view (privacy app).
        record_view(request.user, self.object, "talent profile")
        return response


class PersonFormMixin(SuccessMessageMixin):
    model = Person
    form_class: Any = PersonForm
    template_name: str | None = "people/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        with transaction.atomic():
            return super().form_valid(form)

    def get_success_url(self):
        return reverse("people:detail", args=[self.object.pk])


class PersonCreate(SubmittedOnceMixin, PersonFormMixin, PermissionView, CreateView):
    permission_required = "people.add_person"
    success_message = _("%(object)s was added to the talent file.")


class PersonUpdate(PersonFormMixin, PermissionView, UpdateView):
    permission_required = "people.change_person"
    success_message = _("%(object)s’s profile was saved.")

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user)


# Fetched once per page with get_for_user (404 out of scope, 403 not allowed).
PEOPLE = Person.objects.all()


@permission_for_object("people.keep_employment_record", PEOPLE)
@submitted_once
def add_mobility_record(request, person):
    form = MobilityRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record = form.save(commit=False)
            record.person = person
            record.save()
        messages.success(request, _("The assignment was added to the mobility history."))
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/mobility_form.html", {"form": form, "person": person})
