"""The SMTP server is down for ten minutes (first not listening, then refusing), then comes
back: every action succeeds meanwhile, and every message is delivered exactly once after.
A real SMTP server (aiosmtpd) on a local port; time moves by the ``now`` the scheduled
delivery is given."""

from __future__ import annotations

import datetime
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from talent_exchange.notifications.models import Notification
from talent_exchange.notifications.services import deliver_pending
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Inbox:
    """An SMTP server's message handler that refuses (451, try later) or accepts."""

    def __init__(self) -> None:
        self.refusing = True
        self.messages: list[email.message.Message] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "451 4.3.0 Mail system busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield inbox, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def test_an_smtp_outage_loses_nothing_and_sends_nothing_twice(
    client, smtp, django_capture_on_commit_callbacks
):
    inbox, server = smtp
    users = [UserFactory(email=f"person{i}@example.org") for i in range(4)]
    start = timezone.now()

    # Down (nothing listens): people still ask for password resets; each page answers.
    with django_capture_on_commit_callbacks(execute=True):
        for user in users[:2]:
            response = client.post(reverse("accounts:password_reset"), {"email": user.email})
            assert response.status_code == 302
    assert Notification.objects.unsent().count() == 2
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    assert all("Connection" in n.last_error for n in Notification.objects.all())

    # Still down, a few minutes on: the scheduled delivery tries what is due, and fails again.
    assert deliver_pending(now=start + datetime.timedelta(minutes=3)) == 0

    # The server is back but refusing (451): more actions, more failed attempts, no loss.
    server.start()
    with django_capture_on_commit_callbacks(execute=True):
        for user in users[2:]:
            response = client.post(reverse("accounts:password_reset"), {"email": user.email})
            assert response.status_code == 302
    assert deliver_pending(now=start + datetime.timedelta(minutes=7)) == 0
    assert inbox.messages == []
    waiting = Notification.objects.unsent()
    assert waiting.count() == 4
    assert all(n.attempts >= 1 and n.next_attempt_at for n in waiting)
    assert any("451" in n.last_error for n in waiting)

    # Ten minutes after it went down, the server accepts again: the next runs deliver each
    # message once, whatever its wait, and later runs send nothing more.
    inbox.refusing = False
    later = start + datetime.timedelta(minutes=10)
    delivered = 0
    for minutes in range(0, 70, 5):
        delivered += deliver_pending(now=later + datetime.timedelta(minutes=minutes))
    assert delivered == 4
    assert not Notification.objects.unsent().exists()
    assert sorted(m["To"] for m in inbox.messages) == sorted(u.email for u in users)
    message_ids = [m["Message-ID"] for m in inbox.messages]
    assert len(set(message_ids)) == 4
    assert deliver_pending(now=later + datetime.timedelta(hours=2)) == 0
    assert len(inbox.messages) == 4
