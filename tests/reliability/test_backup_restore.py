"""docs/backup.md, run as written: the real cases and a petition with evidence files are dumped with
pg_dump (custom format) and the media folder archived with tar; both are restored on a new PostgreSQL
server into a fresh database and an empty folder, and every table, sequence and file is found identical.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from config.embedded_db.server import BIN_DIR
from tests.reliability.services import PrivatePostgres
from tests.reliability.stack import production_environment, run_manage, run_script

pytestmark = pytest.mark.slow

TABLES = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
)
SEQUENCES = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
EVIDENCE_CHECK = """
import hashlib
from petitions.models import Evidence
from rrm.models import Case, Deadline, Document, TimelineEvent

def intact(item):
    with item.file.open("rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest() == item.sha256

print(json.dumps({
    "cases": Case.objects.count(),
    "events": TimelineEvent.objects.count(),
    "deadlines": Deadline.objects.count(),
    "documents": Document.objects.count(),
    "documents_readable": all(item.file.open("rb").read() for item in Document.objects.exclude(file="")),
    "evidence_intact": {item.pk: intact(item) for item in Evidence.objects.all()},
}))
"""


def fingerprint(cluster: PrivatePostgres, database: str) -> dict[str, Any]:
    """Per table: row count and MD5 of every row in a fixed order; per sequence: its last value."""
    tables = [name for (name,) in cluster.execute(TABLES, database=database)]
    rows = {
        name: cluster.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
            f'FROM "{name}" AS t',
            database=database,
        )[0]
        for name in tables
    }
    return {"tables": rows, "sequences": dict(cluster.execute(SEQUENCES, database=database))}


def file_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run(*command: str) -> None:
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert finished.returncode == 0, f"{' '.join(command)}:\n{finished.stderr}"


def test_it_restores_a_dump_into_a_fresh_database_with_every_case_event_and_document_intact(
    migrated_cluster: PrivatePostgres, tmp_path: Path, measured: dict[str, object]
) -> None:
    dump, archive = tmp_path / "rrm.dump", tmp_path / "rrm-media.tar.gz"
    with migrated_cluster.copy() as source:
        env = production_environment(postgres=source, workdir=tmp_path / "source")
        run_manage("import_cases", "data/cases.csv", env=env)
        seeded = run_script(
            "from tests.reliability import seeding\nprint(json.dumps(seeding.petition_with_evidence()))",
            env=env,
        )
        before = fingerprint(source, "rrm")
        source_counts = run_script(EVIDENCE_CHECK, env=env)
        media = Path(env["DJANGO_MEDIA_ROOT"])
        media_before = file_hashes(media)

        started = time.monotonic()
        run(str(BIN_DIR / "pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", source.url("rrm"))
        dumped = time.monotonic() - started
        run("tar", "--create", "--gzip", f"--file={archive}", f"--directory={media}", ".")

    # The source server is gone: restore on a new one, into a fresh database and an empty media folder.
    with PrivatePostgres.initialised() as target:
        run(
            str(BIN_DIR / "createdb"),
            "--host=127.0.0.1",
            f"--port={target.port}",
            "--username=postgres",
            "rrm",
        )
        started = time.monotonic()
        run(
            str(BIN_DIR / "pg_restore"),
            f"--dbname={target.url('rrm')}",
            "--no-owner",
            "--exit-on-error",
            str(dump),
        )
        restored = time.monotonic() - started
        restored_env = production_environment(postgres=target, workdir=tmp_path / "restored")
        restored_media = Path(restored_env["DJANGO_MEDIA_ROOT"])
        run("tar", "--extract", "--gzip", f"--file={archive}", f"--directory={restored_media}")
        after = fingerprint(target, "rrm")
        restored_counts = run_script(EVIDENCE_CHECK, env=restored_env)
        migrations_pending = run_manage("migrate", "--check", "--plan", env=restored_env)

    measured.update(
        tables=len(before["tables"]),
        rows=sum(count for count, _ in before["tables"].values()),
        dump_bytes=dump.stat().st_size,
        dump_seconds=round(dumped, 2),
        restore_seconds=round(restored, 2),
        media_files=len(media_before),
        counts=restored_counts,
    )
    assert before["tables"]["rrm_case"][0] == 22  # the 21 real cases and the petition's case
    assert after == before
    assert file_hashes(restored_media) == media_before and len(media_before) == 3
    assert restored_counts == source_counts
    assert restored_counts["documents"] == 1 and restored_counts["documents_readable"] is True
    assert restored_counts["evidence_intact"] == {str(pk): True for pk in seeded["evidence"]}
    assert "No planned migration operations." in migrations_pending
