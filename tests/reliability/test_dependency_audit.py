"""bin/audit-dependencies' verdicts on pip-audit's report, with a stand-in pip-audit that prints one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "audit-dependencies"
SKIPPED = {
    "name": "django",
    "version": "5.2",
    "skip_reason": "Dependency not found on PyPI and could not be audited",
}
CLEAN = {"name": "django", "version": "5.2", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.1"], "description": "..."}],
}


def audit(
    tmp_path: Path, dependencies: list[dict[str, object]], **env: str
) -> subprocess.CompletedProcess[str]:
    stand_in = tmp_path / "pip-audit"
    stand_in.write_text(f"#!/bin/sh\ncat <<'JSON'\n{json.dumps({'dependencies': dependencies})}\nJSON\n")
    stand_in.chmod(0o755)
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, "RRM_PIP_AUDIT": str(stand_in), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_fails_on_a_known_vulnerability_naming_it_and_its_fix(tmp_path: Path) -> None:
    finished = audit(tmp_path, [VULNERABLE, CLEAN])
    assert finished.returncode == 1
    assert "VULNERABLE django 5.2: PYSEC-2099-1 (fixed in 5.2.1)" in finished.stdout


def test_it_passes_when_every_audited_package_is_clean(tmp_path: Path) -> None:
    finished = audit(tmp_path, [CLEAN, SKIPPED])
    assert finished.returncode == 0
    assert "1 packages audited, no known vulnerability; 1 skipped" in finished.stdout


@pytest.mark.parametrize(("required", "code"), [("0", 0), ("1", 2)])
def test_it_says_the_audit_was_not_done_when_no_package_could_be_audited(
    tmp_path: Path, required: str, code: int
) -> None:
    finished = audit(tmp_path, [SKIPPED, SKIPPED], RRM_AUDIT_REQUIRED=required)
    assert finished.returncode == code
    assert "audit: NOT DONE" in finished.stdout and "could audit none of 2 packages" in finished.stdout
