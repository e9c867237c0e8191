from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("cycle/<int:pk>/", views.cycle_calendar, name="cycle_calendar"),
    path("cycle/<int:pk>/community/", views.cycle_forum, name="cycle_forum"),
    path("program/<int:pk>/", views.program_calendar, name="program_calendar"),
    path("program/<int:pk>/community/", views.program_forum, name="program_forum"),
    path("program/<int:pk>/series/new/", views.series_create, name="series_create"),
    path("program/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("program/<int:pk>/completion-rule/", views.completion_rule, name="completion_rule"),
    path("program/<int:pk>/circles/", views.circles, name="circles"),
    path("program/<int:pk>/threads/new/", views.thread_create, name="thread_create"),
    path("circle/<int:pk>/", views.circle_detail, name="circle"),
    path(
        "circle/<int:pk>/sessions/new/", views.circle_session_create, name="circle_session_create"
    ),
    path("session/<int:pk>/", views.session_detail, name="session"),
    path("session/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("session/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("session/<int:pk>/reinstate/", views.session_reinstate, name="session_reinstate"),
    path("session/<int:pk>/invite/", views.session_invite, name="session_invite"),
    path("session/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("session/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("session/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("session/<int:pk>/materials/", views.session_material, name="session_material"),
    path("session/<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path("thread/<int:pk>/", views.thread_detail, name="thread"),
    path("thread/<int:pk>/materials/", views.thread_material, name="thread_material"),
    path("post/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("post/<int:pk>/restore/", views.post_restore, name="post_restore"),
    path("material/<int:pk>/", views.material, name="material"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/new-address/", views.feed_new, name="feed_new"),
    path("calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
