"""The demo mailbox: every e-mail the app sends in demo mode is kept, so a tester can read it
at /demo/mail/ (a password-reset link, a nomination notice) without a mail server.

Each message is one RFC 5322 file (``<id>.eml``) in ``DEMO_MAIL_DIR`` (by default
``var/mail`` beside the database). Files rather than a table: the mailbox survives a database
reset, a tester can open a message in any mail client, and nothing here touches the schema.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

# A message id is its UTC time to the microsecond (so names sort by time) and a random part.
MAIL_ID_PATTERN = r"\d{8}T\d{12}-[0-9a-f]{12}"
_MAIL_ID = re.compile(MAIL_ID_PATTERN)
_TIME_FORMAT = "%Y%m%dT%H%M%S%f"
RECIPIENTS_HEADER = "X-Demo-Recipients"


def mail_dir() -> Path:
    return Path(getattr(settings, "DEMO_MAIL_DIR", settings.BASE_DIR / "var" / "mail"))


@dataclass(frozen=True)
class StoredMail:
    id: str
    sent_at: datetime
    subject: str
    sender: str
    to: list[str]
    cc: list[str]
    recipients: list[str]  # everyone it was sent to, Bcc included
    body: str = ""
    html: str = ""
    attachments: list[str] = field(default_factory=list)


def store(message: EmailMessage) -> str:
    """Write one message to the mailbox and return its id."""
    folder = mail_dir()
    folder.mkdir(parents=True, exist_ok=True)
    mail_id = f"{timezone.now().astimezone(UTC):{_TIME_FORMAT}}-{uuid.uuid4().hex[:12]}"
    mime = message.message()
    mime[RECIPIENTS_HEADER] = ", ".join(message.recipients())
    partial = folder / f".{mail_id}.tmp"
    partial.write_bytes(mime.as_bytes(linesep="\n"))
    os.replace(partial, folder / f"{mail_id}.eml")  # readers never see half a message
    return mail_id


def mail_ids() -> list[str]:
    """Ids of the stored messages, newest first."""
    folder = mail_dir()
    if not folder.is_dir():
        return []
    ids = (p.stem for p in folder.glob("*.eml"))
    return sorted((i for i in ids if _MAIL_ID.fullmatch(i)), reverse=True)


def read(mail_id: str) -> StoredMail | None:
    """The message with this id, or None. Only well-formed ids reach the file system."""
    if not _MAIL_ID.fullmatch(mail_id):
        return None
    try:
        raw = (mail_dir() / f"{mail_id}.eml").read_bytes()
    except FileNotFoundError:
        return None
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    return StoredMail(
        id=mail_id,
        sent_at=datetime.strptime(mail_id[:21], _TIME_FORMAT).replace(tzinfo=UTC),
        subject=str(parsed.get("Subject", "")),
        sender=str(parsed.get("From", "")),
        to=_addresses(parsed.get("To")),
        cc=_addresses(parsed.get("Cc")),
        recipients=_addresses(parsed.get(RECIPIENTS_HEADER)),
        body=_content(parsed, "plain"),
        html=_content(parsed, "html"),
        attachments=[part.get_filename() or "" for part in parsed.iter_attachments()],
    )


def read_all(ids: list[str]) -> list[StoredMail]:
    return [mail for mail in map(read, ids) if mail is not None]


def _addresses(header) -> list[str]:
    if header is None:
        return []
    return [part.strip() for part in str(header).split(",") if part.strip()]


def _content(parsed, subtype: str) -> str:
    part = parsed.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""


class DemoMailboxBackend(BaseEmailBackend):
    """A Django e-mail backend that keeps every message in the demo mailbox instead of
    sending it."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                store(message)
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent
