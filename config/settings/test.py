"""Tests: real PostgreSQL by default (the CI machine runs it); DATABASE_URL overrides."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = "test-only-secret-key-with-enough-length-and-entropy-0123456789"
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/rrm")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # as in every other environment
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# Webhook receivers of development and tests listen on this machine.
RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
# Rebuilding the bulk export after every committed change would slow every transactional test; the
# export's own tests switch it on.
PUBLIC_EXPORT_REBUILD_ON_CHANGE = False
