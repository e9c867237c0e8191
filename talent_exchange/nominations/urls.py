from django.urls import path

from . import views

app_name = "nominations"
urlpatterns = [
    path("cycle/<int:cycle_pk>/", views.NominationList.as_view(), name="list"),
    path("cycle/<int:cycle_pk>/new/", views.nominate, name="create"),
    path("cycle/<int:cycle_pk>/import/", views.import_nominations, name="import"),
    path("imports/<int:pk>/", views.import_status, name="import_status"),
    path("<int:pk>/", views.nomination_detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm_profile, name="confirm"),
    path("<int:pk>/withdraw/", views.withdraw_nomination, name="withdraw"),
    path("<int:pk>/conflicts/", views.declare_conflict, name="declare_conflict"),
    path(
        "<int:pk>/conflicts/<int:conflict_pk>/remove/",
        views.remove_conflict,
        name="remove_conflict",
    ),
    path("endorse/<str:token>/", views.endorse, name="endorse"),
]
