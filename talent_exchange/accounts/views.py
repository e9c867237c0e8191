"""Pages of the accounts app beyond sign-in (which is django-allauth's and Django's)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent_exchange.core.forms import Form
from talent_exchange.core.permissions import permission_required

from .models import User
from .two_factor import factors_of, reset_factors


class FactorResetForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy(
            "Kept in the audit trail: how the person asked and how you checked it was them."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


@permission_required("accounts.reset_factors")
def reset_person_factors(request: HttpRequest, pk: int) -> HttpResponse:
    """A platform operator removes a person's second factors (a lost phone, a broken key)."""
    person = get_object_or_404(User, pk=pk)
    form = FactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)  # signed in: the permission says so
        reset_factors(person, actor=actor, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("%(person)s's second factors were removed. They set one up at their next sign-in.")
            % {"person": person},
        )
        return redirect(reverse("admin:accounts_user_change", args=[person.pk]))
    return render(
        request,
        "accounts/reset_factors.html",
        {"person": person, "factors": factors_of(person), "form": form},
    )
