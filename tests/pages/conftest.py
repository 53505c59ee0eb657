"""Fixtures of the public pages' tests."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

SHIPPED_CASES = Path(__file__).resolve().parents[2] / "data" / "cases.csv"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Statistics are cached under the public data version, which a rolled-back test leaves behind."""
    cache.clear()


@pytest.fixture
def real_cases(db: None) -> None:
    """The real cases of data/cases.csv, imported as `make run` imports them."""
    call_command("import_cases", str(SHIPPED_CASES), stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def spanish_client() -> Client:
    """A browser that chose Spanish with the language switcher (which sets this cookie)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


@pytest.fixture
def site(transactional_db: None, live_server: object) -> str:
    """The live server's address, with the real cases imported before the browser starts (the browser
    must not be running while the test touches the database)."""
    call_command("import_cases", str(SHIPPED_CASES), stdout=StringIO(), stderr=StringIO())
    return str(live_server.url)  # type: ignore[attr-defined]
