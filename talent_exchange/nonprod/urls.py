"""Demo-only URLs, mounted at /demo/ by talent_exchange/urls.py when DEMO_MODE is on."""

from django.urls import path, re_path

from . import views
from .mail import MAIL_ID_PATTERN

app_name = "nonprod"
urlpatterns = [
    path("switch/", views.switch_persona, name="switch"),
    path("mail/", views.mailbox, name="mailbox"),
    re_path(rf"^mail/(?P<mail_id>{MAIL_ID_PATTERN})/$", views.mail_detail, name="message"),
]
