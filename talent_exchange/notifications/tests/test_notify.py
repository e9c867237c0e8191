"""The one notification path: once per key, only after the commit, links from SITE_URL,
plain text and HTML, in the recipients' language."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from talent_exchange.notifications import services
from talent_exchange.notifications.models import Notification
from talent_exchange.notifications.services import absolute_url, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "accounts/password_reset"  # any app's message will do


def _send(to, key="", **context):
    return notify(TEMPLATE, to, {"link": absolute_url("/x/"), **context}, key=key)


def test_one_message_per_key_even_when_notify_is_called_twice(django_capture_on_commit_callbacks):
    user = UserFactory(email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = _send([user], key="test:ada:1")
        second = _send([user], key="test:ada:1")
    assert first is not None and second is None
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert _send([user], key="test:ada:1") is None  # and in a later run too
    assert len(mail.outbox) == 1
    assert Notification.objects.get(key="test:ada:1").sent_at is not None


def test_nothing_is_sent_if_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory(email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _send([user], key="test:rolled-back")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.filter(key="test:rolled-back").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert _send([user], key="test:rolled-back") is not None  # the key is still free
    assert len(mail.outbox) == 1


def test_nothing_leaves_before_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(["ada@example.org"])
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_links_use_site_url_not_the_request_host(
    settings, client, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://exchange.example.org/"
    settings.ALLOWED_HOSTS = ["testserver", "other.example.com"]  # a host this site answers
    UserFactory(email="coord@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:password_reset"),
            {"email": "coord@example.org"},
            headers={"host": "other.example.com"},
        )
    (message,) = mail.outbox
    reset = reverse("accounts:password_reset_confirm", args=["u", "t"]).split("/u/")[0]
    assert f"https://exchange.example.org{reset}/" in message.body
    assert "other.example.com" not in message.body
    html = message.alternatives[0][0]
    assert f'href="https://exchange.example.org{reset}/' in html


def test_every_message_has_a_plain_text_and_an_html_part(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(["ada@example.org", "ada@example.org", ""])
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]  # empty and repeated addresses dropped
    assert message.subject == "Reset your Talent Exchange password"
    assert "/x/" in message.body
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html" and "<p>" in html


def test_the_message_is_rendered_in_the_recipients_language(django_capture_on_commit_callbacks):
    user = UserFactory(email="ada@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        stored = _send([user])
    assert stored.language == "fr"
    (message,) = mail.outbox
    assert message.subject == "Réinitialisez votre mot de passe Échange de talents"


def test_recipients_of_one_call_each_get_their_own_language(django_capture_on_commit_callbacks):
    french = UserFactory(email="ada@example.org", language="fr")
    english = UserFactory(email="bea@example.org", language="en")
    unset = UserFactory(email="cy@example.org")  # no language saved: the site's
    with django_capture_on_commit_callbacks(execute=True):
        _send([french, english, unset, "dee@example.org"], key="test:both")
    by_address = {tuple(m.to): m.subject for m in mail.outbox}
    assert by_address == {
        ("ada@example.org",): "Réinitialisez votre mot de passe Échange de talents",
        ("bea@example.org", "cy@example.org", "dee@example.org"): (
            "Reset your Talent Exchange password"
        ),
    }
    stored = Notification.objects.order_by("pk")
    assert [(n.key, n.language) for n in stored] == [("test:both", "fr"), ("test:both#en", "en")]
    with django_capture_on_commit_callbacks(execute=True):
        assert _send([english, french], key="test:both") is None  # still once per key
    assert len(mail.outbox) == 2


def test_nobody_to_write_to_stores_nothing():
    assert _send(["", UserFactory(email="")]) is None
    assert not Notification.objects.exists()


def test_the_body_is_not_kept_once_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored = _send(["ada@example.org"], key="test:body")
    stored.refresh_from_db()
    assert stored.text == "" and stored.html == "" and stored.subject


def test_the_scheduled_command_delivers_a_message_lost_on_its_way(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        stored = _send(["ada@example.org"], key="test:lost")  # its hand-over never runs
    assert mail.outbox == []
    call_command("send_notifications")
    assert mail.outbox == []  # too recent: the worker may still have it
    Notification.objects.filter(pk=stored.pk).update(
        created_at=timezone.now() - services.DELIVERY_GRACE - datetime.timedelta(seconds=1)
    )
    call_command("send_notifications")
    call_command("send_notifications")
    assert len(mail.outbox) == 1
    assert services.deliver(stored.pk) is False  # a late worker sends nothing more
    assert len(mail.outbox) == 1


def test_a_failed_send_is_left_for_the_next_attempt(
    monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        stored = _send(["ada@example.org"], key="test:smtp-down")

    def refuse(self, fail_silently=False):
        raise OSError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert services.deliver(stored.pk) is False  # recorded, not raised
    stored.refresh_from_db()
    assert stored.sent_at is None and stored.text and stored.claimed_at is None
    assert stored.attempts == 1 and "SMTP server down" in stored.last_error
    assert stored.next_attempt_at > timezone.now()
    assert stored.state == "retrying"
    monkeypatch.undo()
    assert services.deliver(stored.pk) is True
    assert len(mail.outbox) == 1


def test_retries_wait_longer_each_time_up_to_an_hour():
    waits = [services.backoff(n).total_seconds() for n in range(1, 10)]
    assert waits[:4] == [60, 120, 240, 480]
    assert waits == sorted(waits) and max(waits) == 3600


def test_a_message_claimed_by_a_deliverer_that_died_is_sent_after_the_lease(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        stored = _send(["ada@example.org"], key="test:lease")
    claimed = timezone.now() - datetime.timedelta(seconds=30)
    Notification.objects.filter(pk=stored.pk).update(claimed_at=claimed)  # a deliverer is on it
    assert services.deliver(stored.pk) is False
    assert mail.outbox == []
    later = claimed + services.CLAIM_LEASE + datetime.timedelta(seconds=1)  # it died
    assert services.deliver(stored.pk, now=later) is True
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == services.message_id(stored)


def test_no_other_code_sends_mail():
    """All mail goes through notify(): nothing else in the product builds or sends a message
    (the demo mailbox is a backend, not a sender)."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    allowed = {package / "notifications" / "services.py", package / "nonprod" / "mail.py"}
    # (a "def send_mail" is the password-reset form handing its message to notify)
    sending = re.compile(
        r"(?<!def )\b(send_mail|send_mass_mail|mail_admins|EmailMessage|EmailMultiAlternatives)\b"
    )
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts and path not in allowed and sending.search(path.read_text())
    ]
    assert offenders == []
