from django.urls import path

from . import views

app_name = "placements"
urlpatterns = [
    path("", views.PlacementList.as_view(), name="list"),
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/agreement/", views.edit_agreement, name="edit_agreement"),
    path("<int:pk>/agreement/sign/", views.sign, name="sign"),
    path("<int:pk>/agreement/attest/", views.attest, name="attest"),
    path("<int:pk>/supervisors/", views.edit_supervisors, name="supervisors"),
    path("<int:pk>/agreement.pdf", views.agreement_pdf, name="pdf"),
    path("<int:pk>/objectives/new/", views.add_objective, name="add_objective"),
    path("<int:pk>/objectives/<int:item>/review/", views.review_objective, name="review_objective"),
    path("<int:pk>/check-ins/<int:item>/", views.record_checkin, name="checkin"),
    path("<int:pk>/evaluations/<int:item>/", views.submit_evaluation, name="evaluation"),
    path("<int:pk>/outcomes/<int:item>/", views.record_outcome, name="outcome"),
    path("<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("programs/<int:program_pk>/lessons/", views.lessons, name="lessons"),
    path("programs/<int:program_pk>/results/", views.results, name="results"),
]
