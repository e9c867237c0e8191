from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/items/new/", views.plan_add_item, name="plan_add_item"),
    path("plans/<int:pk>/progress/", views.plan_progress, name="plan_progress"),
    path("plans/<int:pk>/<slug:action>/", views.plan_transition, name="plan_transition"),
    path("programs/<int:program_pk>/agreement/", views.mobility_agreement, name="agreement"),
    path("programs/<int:program_pk>/rule/", views.rule_edit, name="rule"),
    path("programs/<int:program_pk>/compliance/", views.compliance, name="compliance"),
    path(
        "programs/<int:program_pk>/compliance.<str:fmt>",
        views.compliance_export,
        name="compliance_export",
    ),
    path("programs/<int:program_pk>/exceptions/", views.exception_list, name="exceptions"),
    path(
        "programs/<int:program_pk>/exceptions/new/",
        views.exception_request,
        name="exception_create",
    ),
    path("exceptions/<int:pk>/decide/", views.exception_decide, name="exception_decide"),
    path("programs/<int:program_pk>/sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path(
        "sessions/<int:pk>/people/<int:person_pk>/decide/",
        views.session_decide,
        name="session_decide",
    ),
    path("programs/<int:program_pk>/succession/", views.succession, name="succession"),
    path("talent/", views.talent_search, name="talent"),
    path("people/<int:pk>/growth/", views.skill_growth_log, name="growth"),
    path("placements/<int:pk>/report/", views.file_report, name="file_report"),
    path("talent/save/", views.talent_search_save, name="talent_save"),
]
