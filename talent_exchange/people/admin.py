from django.contrib import admin

from talent_exchange.core.admin import ScopedAdmin

from .models import Designation, MobilityRecord, Person, Skill


class MobilityRecordInline(admin.TabularInline):
    model = MobilityRecord
    extra = 0
    autocomplete_fields = ["host_organization"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["last_name", "first_name", "position_title", "organization", "classification"]
    list_filter = ["organization__kind", "designations"]
    search_fields = ["first_name", "last_name", "work_email", "position_title"]
    autocomplete_fields = ["organization", "supervisor", "user"]
    filter_horizontal = ["skills", "designations"]
    inlines = [MobilityRecordInline]
    list_select_related = ["organization"]


@admin.register(Skill)
class SkillAdmin(ScopedAdmin):
    list_display = ["name", "kind", "is_vocabulary"]
    list_filter = ["kind", "is_vocabulary"]
    search_fields = ["name"]


@admin.register(Designation)
class DesignationAdmin(ScopedAdmin):
    search_fields = ["name"]
