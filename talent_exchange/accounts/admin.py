from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from talent_exchange.core.admin import ScopedAdmin

from .models import FactorReset, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "program", "organization", "cycle", "granted_at", "revoked_at"]
    readonly_fields = ["granted_at"]
    autocomplete_fields = ["program", "organization", "cycle"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    readonly_fields = ["second_factors"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Two-factor sign-in"), {"fields": ["second_factors"]}),
    )

    @admin.display(description=_("Second factors"))
    def second_factors(self, user: User) -> str:
        if not user.pk:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("accounts:reset_factors", args=[user.pk]),
            _("Reset this person's second factors…"),
        )


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdmin):
    list_display = ["user", "role", "program", "organization", "cycle", "granted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "program", "organization", "cycle"]


@admin.register(FactorReset)
class FactorResetAdmin(ScopedAdmin):
    list_display = ["user", "reset_by", "factors", "reset_at"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "reset_by", "factors", "reason", "reset_at"]

    def has_add_permission(self, request) -> bool:
        return False  # made by the reset page, with its reason


# django-allauth registers its models in the admin. Second factors and provider tokens hold
# secrets, and providers come from the settings (OIDC_PROVIDERS): a person's factors are
# removed through the reset page above, never edited by hand.
for _model in (Authenticator, SocialApp, SocialToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
