"""The logging configuration, built fresh on each call (``logging.config.dictConfig``
consumes the dictionary it is given, so a copy of a used one is no good)."""

from __future__ import annotations

from typing import Any


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """Every handler carries the "redact" filter (core/log_filters.py) and the request/task
    ids (operations/context.py). ``log_format`` is "plain" or "json"."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "talent_exchange.core.log_filters.RedactSecrets"},
            "context": {"()": "talent_exchange.operations.context.LogContext"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s "
                "%(task_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            "django": {"handlers": [], "propagate": True},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # db_worker adds its own stdout handler unless one is configured: use ours.
            "django_tasks": {"handlers": ["console"], "propagate": False},
            "django_tasks_db": {"handlers": ["console"], "propagate": False},
        },
    }
