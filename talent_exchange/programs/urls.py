from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.ProgramList.as_view(), name="list"),
    path("new/", views.create_program, name="create"),
    path("<int:pk>/", views.ProgramDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.program_settings, name="edit"),
    path("<int:pk>/cycles/new/", views.create_cycle, name="create_cycle"),
    path("cycles/<int:pk>/copy/", views.copy_cycle, name="copy_cycle"),
    path("<int:pk>/invite/", views.InviteOrganizationList.as_view(), name="invite_list"),
    path("<int:pk>/invite/<int:org_pk>/", views.invite_organization, name="invite"),
    path("<int:pk>/enrol/<int:org_pk>/", views.enrol_organization, name="enrol"),
    path("<int:pk>/remove/<int:org_pk>/", views.remove_organization, name="remove_organization"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation"),
    path("invitations/<int:pk>/accept/", views.accept_invitation, name="accept_invitation"),
    path("invitations/<int:pk>/decline/", views.decline_invitation, name="decline_invitation"),
    path("invitations/<int:pk>/withdraw/", views.withdraw_invitation, name="withdraw_invitation"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
]
