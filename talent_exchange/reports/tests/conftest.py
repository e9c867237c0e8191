import pytest


@pytest.fixture(autouse=True)
def _exports_in_the_tests_folder(exports_dir):
    """Every reports test writes its exports under its own folder (talent_exchange/conftest.py)."""
    return exports_dir
