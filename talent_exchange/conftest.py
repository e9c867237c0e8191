"""Fixtures shared by the tests of several apps (the root conftest.py has the world)."""

import pytest


@pytest.fixture
def exports_dir(settings, tmp_path):
    """Exports (reports, a run's or a market's download) written into the test's own folder,
    their e-mailed links to a fixed site. A module that writes exports says
    ``pytest.mark.usefixtures("exports_dir")``; the reports app's tests all do."""
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.SITE_URL = "https://talent.example.org"
    return settings.EXPORTS_DIR
