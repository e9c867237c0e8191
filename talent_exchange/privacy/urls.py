from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("people/<int:pk>/views/", views.record_views, name="record_views"),
    path("my-data/", views.my_data, name="my_data"),
]
