"""The one way the product sends e-mail: ``notify(template, to, context, key=...)``.

- **Templates** live at one conventional place per app: ``notify("nominations/declined", …)``
  renders ``nominations/email/declined_subject.txt``, ``nominations/email/declined.txt`` and,
  if the app wrote one, ``nominations/email/declined.html`` (otherwise the plain text is
  wrapped in ``notifications/email/base.html``, links made clickable). Every message has a
  plain-text and an HTML part.
- **Links** are built from ``settings.SITE_URL`` (``absolute_url(path)``, or ``site_url`` in
  the templates), never from the request's host.
- **Once**: the message is stored as a ``Notification`` row in the caller's transaction under
  a unique ``key``; calling ``notify`` again with the same key sends nothing. Without a key
  each call is a new message.
- **After the commit, by the worker**: the row is handed to the task worker
  (``tasks.deliver``) only when the transaction commits, so a rolled-back change sends
  nothing; the scheduled ``send_notifications`` command delivers any row left behind.
- **In the recipient's language**: one message per language among the recipients, each
  rendered under that language (a user's ``language``; ``settings.LANGUAGE_CODE`` for a
  user without one and for a bare address). The first message stores the ``key``, the
  others ``key#<language>``, all in one transaction. This is also where a recipient's
  preferences will be applied.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import Notification

# A message not delivered this long after it was written was lost on its way to the worker
# (e.g. the process stopped between the commit and the hand-over); the command resends it.
DELIVERY_GRACE = timedelta(minutes=2)


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (``SITE_URL``) and the path."""
    return settings.SITE_URL.rstrip("/") + path


def notify(
    template: str, to: Iterable[Any], context: dict[str, Any], *, key: str = ""
) -> Notification | None:
    """Send the e-mail ``template`` ("<app>/<name>") to ``to`` (users or addresses; empty
    ones are skipped) once the current transaction commits, one message per language of the
    recipients. Returns the first stored message, or None when there is nobody to write to
    or a message with this ``key`` exists."""
    groups = _by_language(list(to))
    if not groups:
        return None
    key = key or f"{template}:{uuid.uuid4().hex}"
    if Notification.objects.filter(key=key).exists():
        return None
    app, name = template.split("/", 1)
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    rendered: list[Notification] = []
    for language, addresses in groups.items():
        with translation.override(language):
            subject = " ".join(render_to_string(f"{app}/email/{name}_subject.txt", context).split())
            text = render_to_string(f"{app}/email/{name}.txt", context)
            html = _html(f"{app}/email/{name}.html", context, subject, text)
        # The first language's message holds the key itself (the once-per-key check above);
        # the others are written with it in the same transaction, so all or none exist.
        part_key = key if not rendered else f"{key[:190]}#{language}"
        rendered.append(
            Notification(
                key=part_key,
                template=template,
                recipients=", ".join(addresses),
                language=language,
                subject=subject[:300],
                text=text,
                html=html,
            )
        )
    try:
        with transaction.atomic():
            for notification in rendered:
                notification.save()
    except IntegrityError:
        return None  # the same message, written meanwhile by another transaction
    for notification in rendered:
        transaction.on_commit(partial(_hand_to_worker, notification.pk))
    return rendered[0]


# A deliverer holds a message this long at most (longer than any SMTP time-out, see
# EMAIL_TIMEOUT); a deliverer killed while sending leaves it to the next one after that.
CLAIM_LEASE = timedelta(minutes=5)
# Waits between failed attempts: 1, 2, 4 … minutes, at most an hour.
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=1)
logger = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    wait: timedelta = FIRST_RETRY * 2 ** max(0, min(attempts - 1, 10))
    return min(LAST_RETRY, wait)


def deliver(notification_id: int, now: datetime | None = None) -> bool:
    """Send one stored message, if nobody has yet and nobody is sending it. The row is
    claimed with one conditional UPDATE, so two deliverers (workers, the command) never
    both send it. A failed send (SMTP down, refused) is recorded — attempts, error, the
    time of the next attempt — and retried later; it never raises, so the change that
    wrote the message has long succeeded whatever the mail server does.

    The one window left: a deliverer killed after the server accepted the message and
    before the row says so sends it again after CLAIM_LEASE; the repeat has the same
    Message-ID, so mail clients show it once."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.unsent()
        .filter(pk=notification_id)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMultiAlternatives(
        notification.subject,
        notification.text,
        settings.DEFAULT_FROM_EMAIL,
        notification.recipient_list,
        headers={"Message-ID": message_id(notification)},
    )
    message.attach_alternative(notification.html, "text/html")
    try:
        message.send()
    except Exception as failure:
        attempts = notification.attempts + 1
        retry_at = now + backoff(attempts)
        Notification.objects.filter(pk=notification_id).update(
            claimed_at=None,
            attempts=attempts,
            last_error=f"{type(failure).__name__}: {failure}"[:500],
            next_attempt_at=retry_at,
        )
        logger.warning(
            "E-mail %s not sent (attempt %d, next at %s): %s",
            notification_id,
            attempts,
            retry_at.isoformat(timespec="seconds"),
            type(failure).__name__,
        )
        _retry_later(notification_id, retry_at)
        return False
    Notification.objects.filter(pk=notification_id).update(
        sent_at=timezone.now(), claimed_at=None, next_attempt_at=None, text="", html=""
    )
    return True


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt at one message."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<te-{notification.pk}-{notification.created_at:%Y%m%d%H%M%S}@{domain}>"


def deliver_pending(now: datetime | None = None) -> int:
    """Deliver every message still waiting past DELIVERY_GRACE whose retry time has come
    (the scheduled command). Returns how many were sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.unsent()
        .filter(created_at__lt=now - DELIVERY_GRACE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
    )
    return sum(deliver(pk, now) for pk in pending.values_list("pk", flat=True))


def _retry_later(notification_id: int, when: datetime) -> None:
    """Queue the next attempt for ``when`` when the task backend can defer; the scheduled
    command picks the message up in any case."""
    from .tasks import deliver_notification

    if deliver_notification.get_backend().supports_defer:
        deliver_notification.using(run_after=when).enqueue(notification_id)


def _hand_to_worker(notification_id: int) -> None:
    from .tasks import deliver_notification  # the task module imports this one

    deliver_notification.enqueue(notification_id)


def _by_language(recipients: list[Any]) -> dict[str, list[str]]:
    """The recipients' addresses by the language each reads (a user's ``language``; the
    site's for a bare address or a user without one), each address once, in order."""
    groups: dict[str, list[str]] = {}
    seen: set[str] = set()
    for recipient in recipients:
        if isinstance(recipient, str):
            address, language = recipient.strip(), ""
        else:
            address = (getattr(recipient, "email", "") or "").strip()
            language = getattr(recipient, "language", "") or ""
        if not address or address in seen:
            continue
        seen.add(address)
        groups.setdefault(language or settings.LANGUAGE_CODE, []).append(address)
    return groups


def _html(name: str, context: dict[str, Any], subject: str, text: str) -> str:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return render_to_string("notifications/email/base.html", {"subject": subject, "text": text})
    return template.render(context)
