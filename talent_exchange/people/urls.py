from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.PersonList.as_view(), name="list"),
    path("new/", views.PersonCreate.as_view(), name="create"),
    path("<int:pk>/", views.PersonDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonUpdate.as_view(), name="edit"),
    path("<int:pk>/mobility/new/", views.add_mobility_record, name="add_mobility"),
]
