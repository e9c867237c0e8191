import pytest


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.SITE_URL = "https://talent.example.org"
    return settings.EXPORTS_DIR
