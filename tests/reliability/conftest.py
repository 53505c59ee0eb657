"""Fixtures of the reliability tests: private servers, and a migrated cluster copied for each test."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.services import PrivatePostgres, PrivateRedis
from tests.reliability.stack import production_environment, run_manage


@pytest.fixture(scope="session")
def migrated_cluster() -> Iterator[PrivatePostgres]:
    """A stopped private cluster holding database `rrm`, migrated once; tests run on copies of it."""
    cluster = PrivatePostgres.initialised()
    workdir = Path(tempfile.mkdtemp(prefix="rrm-migrate-"))
    try:
        cluster.start()
        cluster.create_database("rrm")
        run_manage("migrate", "--noinput", env=production_environment(postgres=cluster, workdir=workdir))
        cluster.stop()
        yield cluster
    finally:
        cluster.remove()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def private_postgres(migrated_cluster: PrivatePostgres) -> Iterator[PrivatePostgres]:
    """This test's own PostgreSQL server: a copy of the migrated cluster on a new loopback port."""
    with migrated_cluster.copy() as cluster:
        yield cluster


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    with PrivateRedis() as server:
        yield server


@pytest.fixture(scope="session")
def collected_static(migrated_cluster: PrivatePostgres, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Production serves hashed static files from a manifest (whitenoise): collect them once, as a
    deployment does (into STATIC_ROOT, the project's staticfiles/, which git ignores)."""
    workdir = tmp_path_factory.mktemp("collectstatic")
    run_manage(
        "collectstatic",
        "--noinput",
        env=production_environment(postgres=migrated_cluster, workdir=workdir),
    )


MEASUREMENTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability"


@pytest.fixture
def measured(request: pytest.FixtureRequest) -> Iterator[dict[str, object]]:
    """Figures a test reports (times, counts), written to test-artifacts/reliability/<test>.json for
    RELIABILITY.md once the test has run."""
    figures: dict[str, object] = {}
    yield figures
    MEASUREMENTS.mkdir(parents=True, exist_ok=True)
    (MEASUREMENTS / f"{request.node.name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
