from allauth.account import views as allauth_views
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse, reverse_lazy

from talent_exchange.core.permissions import PermissionView

from . import role_views, views
from .forms import LoginForm, PasswordResetForm


# rules' PermissionRequiredMixin types ``dispatch`` loosely (it has no stubs of its own).
class SignOutView(PermissionView, auth_views.LogoutView):  # type: ignore[misc]
    permission_required = "accounts.sign_out"


class SignInView(allauth_views.LoginView):
    """allauth's sign-in (e-mail address or user name; then the second factor when the
    person has one), on the site's own page."""

    form_class = LoginForm
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        apps = get_social_adapter().list_apps(self.request, provider="openid_connect")
        context["sso_providers"] = [
            (app.name, reverse("openid_connect_login", args=[app.provider_id])) for app in apps
        ]
        return context


app_name = "accounts"
urlpatterns = [
    path("login/", login_not_required(SignInView.as_view()), name="login"),
    path("logout/", SignOutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    # Also the "choose your password" link of invitations and endorsement requests: any
    # link made with Django's default_token_generator for the user (uidb64, token).
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("people/<int:pk>/second-factors/reset/", views.reset_person_factors, name="reset_factors"),
    # People and roles
    path("programs/<int:program_pk>/roles/", role_views.program_roles, name="program_roles"),
    path(
        "organisations/<int:org_pk>/roles/",
        role_views.organization_roles,
        name="organization_roles",
    ),
    path("roles/<int:pk>/revoke/", role_views.revoke_grant, name="revoke"),
    # An invited person chooses a password (a one-time link), then goes on signed in.
    path(
        "welcome/<uidb64>/<token>/",
        login_not_required(role_views.WelcomeView.as_view()),
        name="welcome",
    ),
]
