"""Settings package: ``base`` holds everything shared; ``local`` (demo and development),
``test`` and ``production`` adjust it. Pick one with ``DJANGO_SETTINGS_MODULE``."""
