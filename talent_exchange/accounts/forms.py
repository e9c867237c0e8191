from django.contrib.auth import forms as auth_forms

from talent_exchange.core.forms import USWDSFormMixin


class LoginForm(USWDSFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordResetForm(USWDSFormMixin, auth_forms.PasswordResetForm):
    pass
