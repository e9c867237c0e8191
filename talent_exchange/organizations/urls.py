from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationList.as_view(), name="list"),
    path("<int:pk>/", views.OrganizationDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganizationUpdate.as_view(), name="edit"),
    path("<int:pk>/leave/<int:program_pk>/", views.leave_program, name="leave_program"),
]
