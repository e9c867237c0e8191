"""WSGI entry point (``gunicorn talent_exchange.wsgi``); production settings by default."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_exchange.settings.production")
application = get_wsgi_application()
