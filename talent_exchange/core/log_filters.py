"""Secrets never reach the logs.

Some links carry a secret in their path (an endorsement link, a password-reset or
set-password link) or in their query string (``?token=``), and Django logs the path of every
404 and 403; e-mail addresses appear in login failures and task messages. ``RedactSecrets``
is attached to every handler in ``settings.LOGGING``: it rewrites each record's message (and
its traceback) with those parts replaced by ``[redacted]`` and ``[e-mail]``.

A new URL with a secret in it must be covered by ``SECRET_PATHS``;
``core/tests/test_log_redaction.py`` fails for any URL pattern with a parameter named like
a secret (``token``, ``uidb64``, ``key``, ``secret``) that is not.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_SEGMENT = r"[^/?#\s'\"<>]+"

# (pattern, replacement): the path prefix is kept so a log still says which page was asked.
SECRET_PATHS: list[tuple[re.Pattern[str], str]] = [
    # nominations: /nominations/endorse/<token>/
    (re.compile(rf"(/endorse/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # accounts: /accounts/reset/<uidb64>/<token>/ (and /reset/<uidb64>/set-password/)
    (re.compile(rf"(/reset/){_SEGMENT}/{_SEGMENT}"), rf"\g<1>{REDACTED}/{REDACTED}"),
    # accounts: /accounts/welcome/<uidb64>/<token>/ (an invited person chooses a password)
    (re.compile(rf"(/welcome/){_SEGMENT}/{_SEGMENT}"), rf"\g<1>{REDACTED}/{REDACTED}"),
    # learning: /learning/feed/<token>.ics (a person's secret calendar address)
    (re.compile(rf"(/learning/feed/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
    # reports: /reports/programs/<id>/download/<key>/ (a finished export's download key)
    (re.compile(rf"(/download/){_SEGMENT}"), rf"\g<1>{REDACTED}"),
]
SECRET_QUERY = re.compile(
    r"((?:[?&]|&amp;|\b)(?:token|key|secret|code|state|signature|sig|password|uidb64|client_assertion)=)[^&#\s'\"<>]+",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with secrets in links and e-mail addresses replaced."""
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    text = SECRET_QUERY.sub(rf"\g<1>{REDACTED}", text)
    return EMAIL.sub("[e-mail]", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logger's problem, not ours
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        # Every formatter (the JSON one too) then writes the redacted text, never formats
        # the exception afresh.
        record.exc_info = None
        return True
