from django.contrib.auth import forms as auth_forms
from django.urls import reverse

from talent_exchange.core.forms import USWDSFormMixin
from talent_exchange.notifications.services import absolute_url, notify


class LoginForm(USWDSFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordResetForm(USWDSFormMixin, auth_forms.PasswordResetForm):
    """Django's form finds the account and makes the one-time token; the e-mail goes through
    the notification path like every other (accounts/email/password_reset*.txt), with its
    link built from SITE_URL, never from the host the request named."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        path = reverse("accounts:password_reset_confirm", args=[context["uid"], context["token"]])
        notify("accounts/password_reset", [user], {"user": user, "link": absolute_url(path)})
