from django.urls import path

from . import views

app_name = "opportunities"
urlpatterns = [
    path("cycle/<int:cycle_pk>/", views.OpportunityList.as_view(), name="list"),
    path("cycle/<int:cycle_pk>/yours/", views.OwnOpportunityList.as_view(), name="own"),
    path("cycle/<int:cycle_pk>/review/", views.ReviewQueue.as_view(), name="queue"),
    path("cycle/<int:cycle_pk>/review/approve/", views.approve_many, name="approve_many"),
    path("cycle/<int:cycle_pk>/new/", views.create_opportunity, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_opportunity, name="edit"),
    path("<int:pk>/submit/", views.submit_opportunity, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw_opportunity, name="withdraw"),
    path("<int:pk>/review/", views.review_opportunity, name="review"),
]
