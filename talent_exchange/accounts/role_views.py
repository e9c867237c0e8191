"""People and roles: who holds which role in a program or an organisation, giving and taking
back roles (with a reason, kept in the history), and the page where an invited person
chooses their password."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent_exchange.core.forms import USWDSFormMixin
from talent_exchange.core.permissions import permission_for_object
from talent_exchange.core.submission import submitted_once
from talent_exchange.core.views_base import perform_form
from talent_exchange.organizations.models import Organization
from talent_exchange.programs.models import Cycle, Program

from . import services
from .forms import GrantForm, RevokeForm, RoleFilterForm
from .language import save_language
from .models import Role, RoleGrant, language_choices

PROGRAM_ROLES = [
    Role.PROGRAM_ADMIN,
    Role.BOARD_REVIEWER,
    Role.PANELIST,
    Role.COORDINATOR,
    Role.SUPERVISOR,
    Role.TREASURER,
    Role.FINANCE_OFFICER,
]
ORGANIZATION_ROLES = [Role.COORDINATOR, Role.SUPERVISOR, Role.FINANCE_OFFICER]

_GRANTS = RoleGrant.objects.select_related("user", "program", "organization", "cycle__program")


def _safe_next(request, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _program_organizations(program: Program):
    """The organisations whose coordinators the program's administrator appoints: those
    taking part, the administering one, and those invited that have not answered yet."""
    return Organization.objects.filter(
        Q(pk=program.administering_organization_id)
        | Q(pk__in=program.participating_organizations.values("pk"))
        | Q(pk__in=program.invitations.pending().values("organization_id"))
    ).order_by("name")


@permission_for_object(
    "accounts.view_program_roles",
    Program,
    kwarg="program_pk",
    refusal=gettext_lazy("Only the program's administrators see and give its roles."),
)
@submitted_once
def program_roles(request, program):
    roles = [*PROGRAM_ROLES, *([Role.AUDITOR] if request.user.is_superuser else [])]
    organizations = _program_organizations(program)
    grants = (
        RoleGrant.objects.visible_to(request.user)
        .active()
        .filter(
            Q(program=program)
            | Q(cycle__program=program)
            | Q(organization__in=organizations.values("pk"))
        )
    )
    if request.user.is_superuser:
        grants = grants | RoleGrant.objects.active().filter(role=Role.AUDITOR)
    return _roles_page(
        request,
        grants,
        roles=roles,
        fixed={"program": program},
        form_kwargs={
            "organizations": organizations,
            "cycles": Cycle.objects.filter(program=program).order_by("-created_at"),
        },
        can_grant=request.user.has_perm(
            "accounts.grant_role", RoleGrant(role=Role.PROGRAM_ADMIN, program=program)
        ),
        context={"program": program, "subject": program},
        here=reverse("accounts:program_roles", args=[program.pk]),
    )


@permission_for_object(
    "accounts.view_organization_roles",
    Organization,
    kwarg="org_pk",
    refusal=gettext_lazy(
        "Only the organisation's coordinators and the administrators of the programs it "
        "takes part in see and give its roles."
    ),
)
@submitted_once
def organization_roles(request, organization):
    grants = RoleGrant.objects.visible_to(request.user).active().filter(organization=organization)
    return _roles_page(
        request,
        grants,
        roles=ORGANIZATION_ROLES,
        fixed={"organization": organization},
        form_kwargs={},
        can_grant=request.user.has_perm(
            "accounts.grant_role", RoleGrant(role=Role.COORDINATOR, organization=organization)
        ),
        context={"organization": organization, "subject": organization},
        here=reverse("accounts:organization_roles", args=[organization.pk]),
    )


def _roles_page(request, grants, *, roles, fixed, form_kwargs, can_grant, context, here):
    """The list of who holds which role (a page at a time, filtered by role) and the form to
    give one."""
    form = GrantForm(request.POST if request.method == "POST" else None, roles=roles, **form_kwargs)
    if request.method == "POST" and not can_grant:
        raise PermissionDenied(_("You may see these roles but not give them."))

    def give(data) -> services.Granted:
        try:
            return services.grant_role(
                data["role"],
                data["person"],
                actor=request.user,
                reason=data["reason"],
                confirmed=data["confirm"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                **form.scope(**fixed),
            )
        except services.NeedsConfirmation:
            # a refusal like any other (shown by perform_form), with the box to confirm
            form.offer_confirmation()
            raise

    return perform_form(
        request,
        form,
        give,
        success=_granted_message,
        then=lambda _granted: redirect(here),
        template="accounts/roles.html",
        context=lambda: (
            _roles_context(request, grants, roles=roles, context=context, here=here)
            | {"form": form if can_grant else None}
        ),
    )


def _granted_message(granted: services.Granted) -> str:
    grant = granted.grant
    values = {
        "person": grant.user,
        "role": grant.get_role_display(),
        "scope": services.scope_label(grant),
        "email": grant.user.email,
    }
    return (
        _(
            "%(person)s is now %(role)s (%(scope)s). An invitation to choose "
            "a password was e-mailed to %(email)s."
        )
        if granted.invited
        else _("%(person)s is now %(role)s (%(scope)s).")
    ) % values


def _roles_context(request, grants, *, roles, context, here) -> dict:
    """The list of who holds which role, a page at a time, filtered by role."""
    # Its own prefix: the page's two forms both have a role field.
    filter_form = RoleFilterForm(request.GET or None, roles=roles, prefix="filter")
    if filter_form.is_valid() and filter_form.cleaned_data["role"]:
        grants = grants.filter(role=filter_form.cleaned_data["role"])
    page = Paginator(
        grants.select_related("user", "program", "organization", "cycle__program").order_by(
            "role", "user__last_name", "user__first_name", "pk"
        ),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    rows = [
        (grant, request.user.has_perm("accounts.revoke_rolegrant", grant))
        for grant in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        **context,
        "rows": rows,
        "page_obj": page,
        "query_without_page": (query.urlencode() + "&") if query else "",
        "filter_form": filter_form,
        "here": here,
    }


@permission_for_object(
    "accounts.revoke_rolegrant",
    _GRANTS,
    refusal=gettext_lazy(
        "You can take back only the roles you could give: in your own program, or in the "
        "organisation you coordinate."
    ),
)
def revoke_grant(request, grant):
    back = _safe_next(request, request.GET.get("next") or request.POST.get("next")) or _home_of(
        grant
    )
    form = RevokeForm(request.POST if request.method == "POST" else None)
    return perform_form(
        request,
        form,
        lambda data: services.revoke_role(grant, actor=request.user, reason=data["reason"]),
        success=lambda _revoked: (
            _("%(person)s is no longer %(role)s (%(scope)s).")
            % {
                "person": grant.user,
                "role": grant.get_role_display(),
                "scope": services.scope_label(grant),
            }
        ),
        then=lambda _done: redirect(back),  # built on success only, as before
        template="accounts/revoke.html",
        context=lambda: {"grant": grant, "back": back, "scope": services.scope_label(grant)},
    )


def _home_of(grant: RoleGrant) -> str:
    if grant.organization_id:
        return reverse("accounts:organization_roles", args=[grant.organization_id])
    program_id = grant.program_id or (grant.cycle.program_id if grant.cycle else None)
    if program_id:
        return reverse("accounts:program_roles", args=[program_id])
    return reverse("core:dashboard")


# -- an invited person chooses a password -----------------------------------------------------

_NEXT = "welcome_next"


class SetPasswordForm(USWDSFormMixin, auth_forms.SetPasswordForm):
    """The first password, and the language the person wants (offered at first sign-in)."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language of the pages and of your e-mails"),
        choices=(),
        required=False,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.fields["language"].initial = user.language or translation.get_language()

    def save(self, commit: bool = True):
        user = super().save(commit)
        if self.cleaned_data.get("language"):
            save_language(user, self.cleaned_data["language"])
        return user


def _link_is_for(uidb64: str | None, user: object) -> bool:
    try:
        return urlsafe_base64_decode(uidb64 or "").decode() == str(getattr(user, "pk", ""))
    except (ValueError, UnicodeDecodeError):
        return False


class WelcomeView(auth_views.PasswordResetConfirmView):
    """Django's one-time password link (the token of ``default_token_generator``: it works
    once, until the password or the last sign-in changes, within PASSWORD_RESET_TIMEOUT),
    then signed in and on to the page the e-mail was about (``?next=``)."""

    template_name = "accounts/welcome.html"
    form_class = SetPasswordForm
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("core:dashboard")

    def dispatch(self, *args, **kwargs):
        wanted = _safe_next(self.request, self.request.GET.get("next"))
        if self.request.user.is_authenticated and _link_is_for(
            kwargs.get("uidb64"), self.request.user
        ):
            # already signed in as the person the link was made for (it stopped working at
            # that sign-in): straight on to the page the e-mail was about
            return redirect(wanted or str(self.success_url))
        if wanted:
            self.request.session[_NEXT] = wanted
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.user.language:  # the message in the language just chosen
            translation.activate(form.user.language)
        messages.success(
            self.request,
            _("Your password is saved and you are signed in. Next time, sign in as %(username)s.")
            % {"username": form.user.get_username()},
        )
        return response

    def get_success_url(self):
        return self.request.session.pop(_NEXT, None) or str(self.success_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.session.get(_NEXT, "")
        return context
