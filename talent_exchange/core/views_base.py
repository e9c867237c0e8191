"""Small bases that every list and form page shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.generic import ListView
from django_filters import FilterSet
from django_stubs_ext import StrOrPromise

from .exceptions import ActionRefused
from .permissions import PermissionView


class ScopedListView(PermissionView, ListView):
    """A searchable, filterable, paginated list of what the user may see.

    Rows come from ``model.objects.visible_to(user)`` (organisation scoping lives in the
    QuerySet), narrowed by ``filterset_class``. An htmx request gets only the results
    fragment, so filtering updates the table in place; without JavaScript the form submits
    and the whole page renders.
    """

    filterset_class: type[FilterSet] | None = None
    paginate_by = settings.PAGE_SIZE
    results_template_name: str = ""

    def get_base_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_queryset(self):
        queryset = self.get_base_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        return (
            self.filterset.qs
            if self.filterset.is_bound and self.filterset.is_valid()
            else (queryset if not self.filterset.is_bound else queryset.none())
        )

    def _partial(self) -> bool:
        htmx: Any = getattr(self.request, "htmx", None)  # django-htmx's HtmxMiddleware
        return bool(htmx) and not htmx.boosted

    def get_template_names(self):
        if self._partial():
            return [self.results_template_name]
        return super().get_template_names()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        refreshed = getattr(self.filterset, "refreshed_choices", None)
        if self._partial() and refreshed is not None:
            # The organisation filter's options follow the name typed (core/filters.py).
            def append_choices(rendered):
                rendered.content += refreshed().encode()

            response.add_post_render_callback(append_choices)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter"] = self.filterset
        context["query_without_page"] = (query.urlencode() + "&") if query else ""
        return context


class SuccessMessageMixin:
    success_message: StrOrPromise = ""

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": self.object})
        return response


def _say(request, message) -> None:
    """Show what an action did: a message (as a success), a ``(level, message)`` pair such as
    ``(messages.WARNING, ...)``, or nothing for an empty message."""
    level, text = message if isinstance(message, tuple) else (messages.SUCCESS, message)
    if text:
        messages.add_message(request, level, text)


def perform(request, action, *, success, then, refused=None, partial=None):
    """Run a service call for a button press: on success say ``success`` (a message, or a
    function of what the action returned), on refusal show the service's message; either way
    go to ``then`` (a redirect), so a reload does not repeat it. A page with a form uses
    ``perform_form`` instead.

    ``then`` may be a function of what the action returned; a refusal then goes to
    ``refused`` (a redirect; by default ``then``). An htmx request is answered by
    ``partial(message, refused)`` when given (a fragment that shows the message in place)
    instead of a message and a redirect.
    """
    try:
        result = action()
    except ActionRefused as refusal:
        message, failed = refusal.message, True
    else:
        message, failed = (success(result) if callable(success) else success), False
    if partial is not None and getattr(request, "htmx", False):
        return partial(message, failed)
    if failed:
        messages.error(request, message)
        return refused if refused is not None else then
    _say(request, message)
    return then(result) if callable(then) else then


def perform_form(
    request,
    form,
    action,
    *,
    then,
    template: str,
    context=None,
    success=None,
    field: str | None = None,
):
    """A form page for a service call: on a valid POST run ``action(form.cleaned_data)``,
    say ``success`` (a message, a ``(level, message)`` pair, a function of what ``action``
    returned giving one, "" for nothing, or by default what it returned) and go to ``then``
    (a redirect, or a function of what ``action`` returned); a refusal (``ActionRefused``, or
    the service's ``ValidationError``) is shown at the top of the form (or at ``field``),
    which stays filled in. Otherwise render ``template`` with the form and ``context`` (a
    dict, or a function that builds it, called only when the page is shown).
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(field, refusal.message)
        except ValidationError as invalid:
            form.add_error(field, invalid)
        else:
            if callable(success):
                success = success(result)
            _say(request, success if success is not None else result)
            return then(result) if callable(then) else then
    if callable(context):
        context = context()
    return render(request, template, {"form": form, **(context or {})})
