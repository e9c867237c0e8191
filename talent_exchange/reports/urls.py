from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("programs/<int:program_pk>/", views.dashboard, name="dashboard"),
    path("programs/<int:program_pk>/download/<str:key>/", views.download, name="download"),
    path("programs/<int:program_pk>/history/", views.start_history_export, name="export_history"),
    path("programs/<int:program_pk>/import/", views.import_upload, name="upload"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/file/", views.export_file, name="export_file"),
    path("exports/<int:pk>/again/", views.export_again, name="export_again"),
    path("imports/<int:pk>/", views.import_detail, name="upload_detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="upload_commit"),
]
