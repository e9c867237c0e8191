"""A task worker (or a piece of code) that kills itself with SIGKILL at a chosen point, for the
crash tests (test_crash.py). Run as a subprocess with DATABASE_URL naming the test database:

    python crash_worker.py [--kill-at module:attr[.method]] [--nth N] [--after]
                           [--smtp-port P] (--worker | --exec CODE)

``--kill-at`` wraps the function: its N-th call kills the process before it runs (or, with
``--after``, after it returned — e.g. inside the caller's transaction, before the commit).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys


def install_hook(target: str, nth: int, after: bool) -> None:
    module_name, _, attr_path = target.partition(":")
    owner = importlib.import_module(module_name)
    *parents, name = attr_path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = getattr(owner, name)
    calls = 0

    def hooked(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == nth and not after:
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if calls == nth and after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, hooked)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kill-at", default="")
    parser.add_argument("--nth", type=int, default=1)
    parser.add_argument("--after", action="store_true")
    parser.add_argument("--smtp-port", type=int, default=0)
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--exec", dest="code", default="")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_exchange.settings.test")
    import django
    from django.test.utils import override_settings

    django.setup()
    overrides = {"TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}}
    if options.smtp_port:
        overrides.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=options.smtp_port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        )
    override_settings(**overrides).enable()
    if options.kill_at:
        install_hook(options.kill_at, options.nth, options.after)
    if options.worker:
        from django.core.management import call_command

        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    if options.code:
        exec(options.code, {})  # noqa: S102 (a test's own code)
    sys.exit(0)


if __name__ == "__main__":
    main()
