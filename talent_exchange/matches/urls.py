from django.urls import path

from . import views

app_name = "matches"
urlpatterns = [
    path("cycle/<int:cycle_pk>/runs/", views.run_list, name="runs"),
    path("cycle/<int:cycle_pk>/market.json", views.market_export, name="market_export"),
    path("cycle/<int:cycle_pk>/compare/", views.compare, name="compare"),
    path("cycle/<int:cycle_pk>/constraints/", views.constraints, name="constraints"),
    path("constraints/<int:pk>/delete/", views.constraint_delete, name="constraint_delete"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/market.json", views.run_snapshot, name="run_snapshot"),
    path("runs/<int:pk>/result.json", views.run_result, name="run_result"),
    path("runs/<int:pk>/again/", views.run_again, name="run_again"),
    path("runs/<int:pk>/publish/", views.publish, name="publish"),
    path("opportunity/<int:pk>/offer-next/", views.offer_next, name="offer_next"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
]
