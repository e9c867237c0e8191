from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from talent_exchange.core.admin import ScopedAdmin

from .models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    fields = ["role", "program", "organization", "cycle", "granted_at", "revoked_at"]
    readonly_fields = ["granted_at"]
    autocomplete_fields = ["program", "organization", "cycle"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdmin):
    list_display = ["user", "role", "program", "organization", "cycle", "granted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "program", "organization", "cycle"]
