from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("readyz", views.ready, name="ready"),
    path("metrics", views.metrics, name="metrics"),
]
