"""French as written in Canada: Django's ``fr_CA`` formats for the ``fr`` language, with the
hour written "13 h 40" (Django's ``fr_CA`` leaves the "h" unescaped, so it prints the hour
again: "13 01 40")."""

from django.conf.locale.fr_CA.formats import *  # type: ignore[import-untyped]  # noqa: F403

TIME_FORMAT = "H\xa0\\h\xa0i"  # 13 h 40
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 31 janvier 2024, 13 h 40
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # 2024-01-31 13 h 40
