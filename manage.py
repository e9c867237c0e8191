#!/usr/bin/env python
"""Django's command-line utility for Talent Exchange (same as the ``talent-exchange`` command)."""

import sys

from talent_exchange.cli import main

if __name__ == "__main__":
    sys.exit(main())
