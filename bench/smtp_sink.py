"""A local SMTP server that keeps who each message was for, one JSON line per message.

    python bench/smtp_sink.py PORT FILE

For the load test's e-mail check (load_test.py --mail): the app's workers send to it as to
any mail server; nothing leaves the machine. Uses the standard library's ``smtpd`` (present
up to Python 3.11, which the project targets)."""

from __future__ import annotations

import asyncore
import json
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import smtpd


class Sink(smtpd.SMTPServer):
    def __init__(self, port: int, path: str) -> None:
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.out = open(path, "a", buffering=1)  # noqa: SIM115

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        self.out.write(json.dumps({"from": mailfrom, "to": rcpttos, "bytes": len(data)}) + "\n")


if __name__ == "__main__":
    Sink(int(sys.argv[1]), sys.argv[2])
    asyncore.loop()
