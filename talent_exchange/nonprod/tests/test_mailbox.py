"""The demo mailbox keeps every e-mail, and a tester reads it at /demo/mail/."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.urls import reverse

from talent_exchange.nonprod import mail

BACKEND = "talent_exchange.nonprod.mail.DemoMailboxBackend"


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = BACKEND
    settings.DEMO_MAIL_DIR = tmp_path / "mail"
    return settings.DEMO_MAIL_DIR


def test_send_mail_is_kept_in_the_mailbox(mailbox):
    sent = send_mail(
        "Your nomination",
        "Open https://example.org/x to confirm.",
        "hr@example.org",
        ["maya.delgado@mariposabay.example"],
    )

    assert sent == 1
    (mail_id,) = mail.mail_ids()
    stored = mail.read(mail_id)
    assert stored.subject == "Your nomination"
    assert stored.sender == "hr@example.org"
    assert stored.to == ["maya.delgado@mariposabay.example"]
    assert "https://example.org/x" in stored.body


def test_bcc_recipients_and_html_parts_are_kept(mailbox):
    message = EmailMultiAlternatives(
        "Forum on Thursday",
        "Plain text",
        "hr@example.org",
        ["a@example.org"],
        bcc=["hidden@example.org"],
    )
    message.attach_alternative("<p>Rich text</p>", "text/html")
    message.attach("agenda.txt", "Agenda", "text/plain")
    message.send()

    stored = mail.read(mail.mail_ids()[0])
    assert stored.recipients == ["a@example.org", "hidden@example.org"]
    assert stored.body.strip() == "Plain text"
    assert "<p>Rich text</p>" in stored.html
    assert stored.attachments == ["agenda.txt"]


def test_the_newest_message_comes_first(mailbox):
    for subject in ("first", "second", "third"):
        send_mail(subject, "body", "hr@example.org", ["a@example.org"])
    assert [m.subject for m in mail.read_all(mail.mail_ids())] == ["third", "second", "first"]


def test_ids_that_are_not_message_ids_never_reach_the_file_system(mailbox):
    assert mail.read("../../etc/passwd") is None
    assert mail.read("20261122T000000000000-000000000000") is None


@pytest.mark.django_db
def test_the_mailbox_pages_list_and_show_a_message_without_signing_in(client, mailbox):
    send_mail(
        "Reset your password",
        "Open https://example.org/reset/abc/ to choose one.",
        "no-reply@example.org",
        ["maya.delgado@mariposabay.example"],
    )
    mail_id = mail.mail_ids()[0]

    listing = client.get(reverse("nonprod:mailbox"))
    assert listing.status_code == 200
    assert "Reset your password" in listing.content.decode()
    assert reverse("nonprod:message", args=[mail_id]) in listing.content.decode()

    detail = client.get(reverse("nonprod:message", args=[mail_id]))
    page = detail.content.decode()
    assert detail.status_code == 200
    assert 'href="https://example.org/reset/abc/"' in page  # the link is clickable
    assert "maya.delgado@mariposabay.example" in page


@pytest.mark.django_db
def test_an_empty_mailbox_says_so(client, mailbox):
    response = client.get(reverse("nonprod:mailbox"))
    assert response.status_code == 200
    assert "The mailbox is empty" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_message_is_not_found(client, mailbox):
    response = client.get(reverse("nonprod:message", args=["20261122T000000000000-000000000000"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_mailbox_is_closed_outside_demo_mode(client, mailbox, settings):
    # Reverse first: if this test is the first in its process to load the URLconf, loading
    # it with demo mode off would leave the demo URLs out for every later test.
    url = reverse("nonprod:mailbox")
    settings.DEMO_MODE = False
    assert client.get(url).status_code == 404
