from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.forms import Form, USWDSFormMixin
from talent_exchange.notifications.services import absolute_url, notify

from .models import ROLE_SCOPE, Role


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


class GrantForm(Form):
    """Give a role: to whom (an account or an address to invite), where, and why. The page
    offers only the roles and scopes it is about; the service checks the granter's scope."""

    role = forms.ChoiceField(label=_("Role"))
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("For a coordinator or a supervisor."),
    )
    cycle: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=None,
        required=False,
        help_text=_("For a panelist: the cycle whose interview panels they sit on."),
    )
    person = forms.CharField(
        label=_("E-mail address or user name"),
        max_length=254,
        help_text=_(
            "Someone who already has an account, or the e-mail address of someone to invite: "
            "they receive a link to choose their password."
        ),
    )
    first_name = forms.CharField(
        label=_("First name (for an invitation)"), max_length=150, required=False
    )
    last_name = forms.CharField(
        label=_("Last name (for an invitation)"), max_length=150, required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history of the role, with your name and the date."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, this is the person I mean"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, roles, organizations=None, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(r.value, r.label) for r in roles]
        for name, queryset in (("organization", organizations), ("cycle", cycles)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if queryset is None:
                del self.fields[name]
            else:
                field.queryset = queryset

    def offer_confirmation(self) -> None:
        """Show the confirmation box (the person belongs to another organisation); the
        question itself is the refusal shown at the top of the form."""
        self.fields["confirm"].widget = forms.CheckboxInput(attrs={"class": "usa-checkbox__input"})

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        scope = ROLE_SCOPE.get(Role(role)) if role in Role.values else None
        for name, message in (
            ("organization", _("Choose the organisation.")),
            ("cycle", _("Choose the cycle.")),
        ):
            if scope == name and name in self.fields and not cleaned.get(name):
                self.add_error(name, message)
        return cleaned

    def scope(self, **fixed) -> dict:
        """The scope of the role chosen: the page's own object, or the one picked."""
        role = Role(self.cleaned_data["role"])
        wanted = ROLE_SCOPE[role]
        picked = {
            "program": fixed.get("program"),
            "organization": self.cleaned_data.get("organization") or fixed.get("organization"),
            "cycle": self.cleaned_data.get("cycle"),
        }
        return {wanted: picked[wanted]} if wanted else {}


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history of the role, with your name and the date."),
    )


class RoleFilterForm(Form):
    role = forms.ChoiceField(label=_("Show roles"), required=False)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Every role")), *((r.value, r.label) for r in roles)]
