from django.urls import path

from . import views

app_name = "preferences"
urlpatterns = [
    path("cycle/<int:pk>/", views.cycle_preferences, name="cycle"),
    path("nomination/<int:pk>/", views.participant_ranking, name="participant"),
    path("opportunity/<int:pk>/", views.host_ranking, name="host"),
]
