from allauth.account import forms as allauth_forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.forms import USWDSFormMixin
from talent_exchange.notifications.services import absolute_url, notify


class LoginForm(USWDSFormMixin, allauth_forms.LoginForm):
    """allauth's sign-in form (an e-mail address or a user name, then the password), rendered
    as the site's other forms. Its first field keeps the name ``username`` that django-axes
    counts failures by, and that scripts and tests post."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.pop("login")
        field.label = _("E-mail address or user name")
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs["autocomplete"] = "username"
        self.fields = {"username": field, **self.fields}
        self.fields["password"].help_text = ""  # the page links "Forgot your password?"

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean(self):
        if "username" in self.cleaned_data:
            self.cleaned_data["login"] = self.cleaned_data["username"]
        return super().clean()


class PasswordResetForm(USWDSFormMixin, auth_forms.PasswordResetForm):
    """Django's form finds the account and makes the one-time token; the e-mail goes through
    the notification path like every other (accounts/email/password_reset*.txt), with its
    link built from SITE_URL, never from the host the request named.

    Unlike Django's, it also answers accounts that never had a password (made by an
    administrator, an import or an invitation): the link lets them choose one."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.casefold() == email.casefold())

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        path = reverse("accounts:password_reset_confirm", args=[context["uid"], context["token"]])
        notify(
            "accounts/password_reset",
            [user],
            {
                "user": user,
                "link": absolute_url(path),
                "login_url": absolute_url(reverse("accounts:login")),
            },
        )
