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
- **In the recipient's language**: the message is rendered under the recipients' language
  (a user's ``language``, when users have one; else ``settings.LANGUAGE_CODE``). This is also
  where a recipient's preferences will be applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
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
    ones are skipped) once the current transaction commits. Returns the stored message, or
    None when there is nobody to write to or a message with this ``key`` exists."""
    recipients = list(to)
    addresses = _addresses(recipients)
    if not addresses:
        return None
    key = key or f"{template}:{uuid.uuid4().hex}"
    if Notification.objects.filter(key=key).exists():
        return None
    language = _language_of(recipients)
    app, name = template.split("/", 1)
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{app}/email/{name}_subject.txt", context).split())
        text = render_to_string(f"{app}/email/{name}.txt", context)
        html = _html(f"{app}/email/{name}.html", context, subject, text)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key,
                template=template,
                recipients=", ".join(addresses),
                language=language,
                subject=subject[:300],
                text=text,
                html=html,
            )
    except IntegrityError:
        return None  # the same message, written meanwhile by another transaction
    transaction.on_commit(partial(_hand_to_worker, notification.pk))
    return notification


def deliver(notification_id: int) -> bool:
    """Send one stored message, if nobody has yet. The row is claimed with one conditional
    UPDATE, so two workers (or the worker and the command) never both send it."""
    claimed = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMultiAlternatives(
        notification.subject,
        notification.text,
        settings.DEFAULT_FROM_EMAIL,
        notification.recipient_list,
    )
    message.attach_alternative(notification.html, "text/html")
    try:
        message.send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(sent_at=None)
        raise
    Notification.objects.filter(pk=notification_id).update(text="", html="")
    return True


def deliver_pending(now: datetime | None = None) -> int:
    """Deliver every message still waiting past DELIVERY_GRACE (the scheduled command)."""
    limit = (now or timezone.now()) - DELIVERY_GRACE
    pending = Notification.objects.unsent().filter(created_at__lt=limit).order_by("pk")
    return sum(deliver(pk) for pk in pending.values_list("pk", flat=True))


def _hand_to_worker(notification_id: int) -> None:
    from .tasks import deliver_notification  # the task module imports this one

    deliver_notification.enqueue(notification_id)


def _addresses(recipients: list[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for recipient in recipients:
        address = recipient if isinstance(recipient, str) else getattr(recipient, "email", "")
        if address:
            seen.setdefault(address.strip(), None)
    return list(seen)


def _language_of(recipients: list[Any]) -> str:
    """The recipients' shared language, else the site's. (Users get a ``language`` field
    with the bilingual work; until then every message is in the site's language.)"""
    languages = {getattr(r, "language", "") or "" for r in recipients if not isinstance(r, str)}
    if len(languages) == 1 and (language := languages.pop()):
        return language
    return settings.LANGUAGE_CODE


def _html(name: str, context: dict[str, Any], subject: str, text: str) -> str:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return render_to_string("notifications/email/base.html", {"subject": subject, "text": text})
    return template.render(context)
