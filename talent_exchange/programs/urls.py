from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.ProgramList.as_view(), name="list"),
    path("<int:pk>/", views.ProgramDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProgramUpdate.as_view(), name="edit"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
]
