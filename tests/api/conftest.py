from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from tests.api.world import World, build_world


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path):
    """Each test stores uploads in its own folder, so that a test can count what was stored."""
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def world(db: None) -> World:
    return build_world()
