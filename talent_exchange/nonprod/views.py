"""Demo-only pages: the persona switcher and the demo mailbox.

These views are on the reviewed public allowlist (``login_not_required``): a tester who is
not signed in must be able to pick a persona, and to read a password-reset e-mail. They exist
only in demo mode: the URLs are included only when ``DEMO_MODE`` is on, and every view checks
it again, so a misconfigured URLconf still cannot expose a one-click login.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from talent_exchange.accounts.two_factor import mark_strong

from . import mail
from .personas import DEMO_EMAIL_SUFFIX, DEMO_PASSWORD, PERSONAS, persona_for


def demo_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.DEMO_MODE:
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


@login_not_required
@demo_only
@require_http_methods(["GET", "POST"])
@csrf_protect
def switch_persona(request):
    """GET lists the demo accounts; POST signs in as one of them, in one click. Only the
    seeded personas, never any other account."""
    if request.method == "GET":
        return render(
            request, "nonprod/personas.html", {"personas": PERSONAS, "password": DEMO_PASSWORD}
        )
    username = request.POST.get("username", "")
    persona = persona_for(username)
    if persona is None:
        return HttpResponseBadRequest(_("That is not a demo persona."))
    user = (
        get_user_model()
        .objects.filter(username=username, is_active=True, email__endswith=DEMO_EMAIL_SUFFIX)
        .first()
    )
    if user is None:
        raise Http404(_("The demo accounts have not been created yet: run seed_demo."))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # A one-click, password-less sign-in of the demo: the demo's administrators are not sent
    # to set up a second factor first (the sign-in page still asks, as in production).
    mark_strong(request)
    messages.success(
        request,
        _("You are now signed in as %(name)s: %(role)s.")
        % {"name": user.get_full_name() or user.username, "role": persona.role},
    )
    return redirect(settings.LOGIN_REDIRECT_URL)


@login_not_required
@demo_only
@require_GET
def mailbox(request):
    page = Paginator(mail.mail_ids(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "nonprod/mailbox.html",
        {"page_obj": page, "messages_on_page": mail.read_all(list(page.object_list))},
    )


@login_not_required
@demo_only
@require_GET
def mail_detail(request, mail_id: str):
    message = mail.read(mail_id)
    if message is None:
        raise Http404(_("There is no such message in the demo mailbox."))
    return render(request, "nonprod/mail_detail.html", {"mail": message})
