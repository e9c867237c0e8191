from django.urls import path

from . import views

app_name = "interviews"
urlpatterns = [
    path("cycle/<int:pk>/", views.cycle_interviews, name="cycle"),
    path("cycle/<int:pk>/panels/new/", views.panel_create, name="panel_create"),
    path("cycle/<int:pk>/scores/", views.cycle_scores, name="scores"),
    path("panel/<int:pk>/", views.panel_detail, name="panel"),
    path("panel/<int:pk>/edit/", views.panel_edit, name="panel_edit"),
    path("panel/<int:pk>/candidates/", views.panel_assign, name="panel_assign"),
    path("panel/<int:pk>/schedule/", views.schedule_many, name="schedule_many"),
    path("panel/<int:pk>/invitations.ics", views.panel_invitations, name="panel_ics"),
    path("interview/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("interview/<int:pk>/remove/", views.remove_candidate, name="remove"),
    path("interview/<int:pk>/score/", views.score, name="score"),
    path("interview/<int:pk>/invitation.ics", views.slot_invitation, name="slot_ics"),
]
