from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationList.as_view(), name="list"),
    path("<int:pk>/", views.OrganizationDetail.as_view(), name="detail"),
    path("new/", views.create_organization, name="create"),
    path("<int:pk>/edit/", views.edit_organization, name="edit"),
    path("<int:pk>/leave/<int:program_pk>/", views.leave_program, name="leave_program"),
]
