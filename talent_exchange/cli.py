"""The ``talent-exchange`` console command.

``talent-exchange match INPUT.json --mode stable|optimal`` runs the matching engine on its
own (no Django set-up needed); every other sub-command is one of Django's management
commands (``talent-exchange migrate``, ``talent-exchange runserver`` …).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "match":
        from talent_exchange.matching.cli import main as match_main

        return match_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_exchange.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0
