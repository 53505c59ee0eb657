"""Tests: PostgreSQL named by DATABASE_URL, or else an embedded server of their own (never var/'s)."""

import hashlib
import tempfile
from pathlib import Path

from config.database import databases
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env

SECRET_KEY = "test-only-secret-key-with-enough-length-and-entropy-0123456789"
# One server per test session, in a folder of the system's temporary directory named after this checkout,
# so that the test process and the processes it starts share it. pytest-django builds test_rrm in it. An
# operating system crash is not what these tests are about: the server skips flushing to disk.
EMBEDDED_POSTGRES_DIR = Path(
    env(
        "RRM_EMBEDDED_POSTGRES_DIR",
        default=str(
            Path(tempfile.gettempdir())
            / f"rrm-test-postgres-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]}"
        ),
    )
)
# One connection, without the `logins` alias: axes' own connection would commit its rows outside the
# transaction each test rolls back, and they would lock later tests out.
DATABASES = databases(
    env,
    embedded_root=EMBEDDED_POSTGRES_DIR,
    server_settings={"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
    logins_alias=False,
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# Webhook receivers of development and tests listen on this machine.
RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
# Rebuilding the bulk export after every committed change would slow every transactional test; the
# export's own tests switch it on.
PUBLIC_EXPORT_REBUILD_ON_CHANGE = False
# Tests that are about two-factor authentication switch it on.
RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS = False
