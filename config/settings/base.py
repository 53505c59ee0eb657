"""Settings shared by every environment, by topic; every value that differs comes from the environment.

Each setting is assigned once here; a profile (local.py, production.py, test.py) overrides only what it
must. The variables are listed in docs/configuration.md.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from config.database import databases

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class SettingsEnvironment(environ.Env):
    """The process's variables, over those of a file (.env by default; DJANGO_ENV_FILE=/dev/null reads
    none): a variable already set in the environment always wins over the file. The file's variables
    land in a copy, so reading the settings leaves os.environ as it was."""

    ENVIRON = dict(os.environ)


env = SettingsEnvironment()
SettingsEnvironment.read_env(env("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)


def api_renderer_classes(*, debug: bool) -> list[str]:
    """JSON; the browsable API only while debugging: its forms list the choices of related fields."""
    browsable = ["rest_framework.renderers.BrowsableAPIRenderer"] if debug else []
    return ["rest_framework.renderers.JSONRenderer", *browsable]


def cache(url: str) -> dict[str, Any]:
    """The cache CACHE_URL names. Redis is config.cache's backend: one client per process, and an outage
    answered as a miss instead of a 500; a Redis that hangs costs a request two seconds at most."""
    backend = environ.Env.cache_url_config(url)
    if backend["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        return backend
    timeouts = {"socket_connect_timeout": 2, "socket_timeout": 2}
    options = {**backend.get("OPTIONS", {}), **timeouts}
    return {**backend, "BACKEND": "config.cache.OutageTolerantRedisCache", "OPTIONS": options}


# Core

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "rrm",
    "petitions",
    "remediation",
    "importer",
    "public",
    "pages",
    "accounts",
    "csp",
    "axes",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session proved an authenticator code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Answers of the case-management API are for their caller alone: Cache-Control: private, no-store.
    "rrm.api.middleware.PrivateApiCacheControlMiddleware",
    "axes.middleware.AxesMiddleware",
    # A database that cannot be reached for a moment (restart, failover) answers 503 with Retry-After,
    # not 500; CONN_HEALTH_CHECKS reconnects on the next request.
    "config.availability.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# Database

# PostgreSQL everywhere: the server DATABASE_URL names, or else the embedded server (config/embedded_db),
# a private cluster in RRM_EMBEDDED_POSTGRES_DIR reached through its Unix socket there, started by the
# first process that connects and stopped when the last one exits (config/database.py).
EMBEDDED_POSTGRES_DIR = Path(env("RRM_EMBEDDED_POSTGRES_DIR", default=str(BASE_DIR / "var" / "pg")))
DATABASES = databases(env, embedded_root=EMBEDDED_POSTGRES_DIR)
# Axes writes through the `logins` alias (config/database.py, config.security.LoginAttemptsRouter), so a
# failed API login still counts when its 400 rolls back the request's transaction.
DATABASE_ROUTERS = ["config.security.LoginAttemptsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Languages and time

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

# Files

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Evidence is kept outside the web root and served only through permission-checking views.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# Largest evidence file accepted, in bytes.
RRM_EVIDENCE_MAX_BYTES = env.int("RRM_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)

# Cache and mail

CACHES = {"default": cache(env.str("CACHE_URL", default="locmemcache://"))}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="rrm-notifications@localhost")

# Tasks (Celery): with no broker configured, tasks run in-process so the embedded default needs no Redis.

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Seconds between deadline sweeps (beat, and `manage.py sweep_deadlines --loop`); the minutes variable
# stays for existing deployments.
RRM_SWEEP_INTERVAL_SECONDS = env.int(
    "RRM_SWEEP_INTERVAL_SECONDS", default=60 * env.int("RRM_SWEEP_INTERVAL_MINUTES", default=15)
)
# Seconds between re-enqueuings of export builds whose task or worker was lost
# (public.services.resume_stalled_builds).
PUBLIC_EXPORT_RESUME_SECONDS = env.int("PUBLIC_EXPORT_RESUME_SECONDS", default=600)
# A run still queued when the next one is due is redundant: it expires rather than piling up.
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "rrm.tasks.sweep_deadlines",
        "schedule": timedelta(seconds=RRM_SWEEP_INTERVAL_SECONDS),
        "options": {"expires": RRM_SWEEP_INTERVAL_SECONDS},
    },
    "resume-public-export-builds": {
        "task": "public.tasks.resume_export_builds",
        "schedule": timedelta(seconds=PUBLIC_EXPORT_RESUME_SECONDS),
        "options": {"expires": PUBLIC_EXPORT_RESUME_SECONDS},
    },
}

# Deadlines and notifications

# Days before a due date at which watchers are warned, largest first.
RRM_DEADLINE_LEAD_DAYS = env.list("RRM_DEADLINE_LEAD_DAYS", cast=int, default=[7, 3, 1])
# Webhooks may go to private, loopback or plain-http addresses only where this is on (development and
# tests): elsewhere an organisation's address could reach the service's own network.
RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False)
# The service's public address, for the links in notice e-mails (the case, confirm, unsubscribe).
RRM_SITE_URL = env("RRM_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Case-management API

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Token first, so that a caller without credentials is answered 401 (WWW-Authenticate: Token), not
    # 403. Sessions serve the browser and enforce CSRF on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rrm.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rrm.api.pagination.Pages",
    "PAGE_SIZE": 50,
    # DRF's parsers, with JSON nested deeper than rrm.api.parsers.MAX_DEPTH refused (400), not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "rrm.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": api_renderer_classes(debug=DEBUG),
    "DEFAULT_THROTTLE_RATES": {
        "evidence_uploads": env("RRM_EVIDENCE_UPLOAD_RATE", default="120/hour"),
        "token_requests": env("RRM_TOKEN_REQUEST_RATE", default="20/minute"),
        "api_key_requests": env("PUBLIC_API_KEY_REQUEST_RATE", default="5/hour"),
    },
    "EXCEPTION_HANDLER": "rrm.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    # The schema view sits outside the versioned namespace; without a default version it lists no endpoint.
    "DEFAULT_VERSION": "v1",
}

# API tokens (django-rest-knox, rrm/api/tokens.py): only a hash is stored; each login issues a new token,
# valid for RRM_API_TOKEN_LIFETIME_HOURS; sent as `Authorization: Token <key>`.
RRM_API_TOKEN_LIFETIME_HOURS = env.int("RRM_API_TOKEN_LIFETIME_HOURS", default=24)
if RRM_API_TOKEN_LIFETIME_HOURS < 1:
    raise ImproperlyConfigured("RRM_API_TOKEN_LIFETIME_HOURS must be a whole number of hours, at least 1.")
REST_KNOX = {"TOKEN_TTL": timedelta(hours=RRM_API_TOKEN_LIFETIME_HOURS), "AUTH_HEADER_PREFIX": "Token"}

SPECTACULAR_SETTINGS = {
    "TITLE": "USMCA Rapid Response Labor Mechanism case record",
    "DESCRIPTION": "Petitions, cases, statutory deadlines and remediation under USMCA Annex 31-A/31-B.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DEFAULT_GENERATOR_CLASS": "config.api_schema.ApiSchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "public.api.schema.snippet_only_when_searched",
    ],
    # Swagger UI from the project's static files (drf-spectacular-sidecar), not from a CDN the content
    # security policy refuses.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "rrm.choices.Stage",
        "EventKindEnum": "rrm.choices.EventKind",
        "DeadlineStatusEnum": "rrm.choices.DeadlineStatus",
        "NotificationStatusEnum": "rrm.choices.NotificationStatus",
        "PetitionStatusEnum": "petitions.models.PetitionStatus",
        "RemediationPlanKindEnum": "remediation.models.RemediationPlanKind",
        "RemediationPlanStatusEnum": "remediation.models.RemediationPlanStatus",
        "RemediationActionKindEnum": "remediation.models.RemediationActionKind",
        "RemediationActionProgressEnum": "remediation.api.serializers.ACTION_PROGRESS_STATUSES",
        "RemedyKindEnum": "remediation.models.RemedyKind",
    },
}

# Public API

# Bulk export builds live here, one directory per build; served only through /api/v1/public/export/.
PUBLIC_EXPORT_ROOT = Path(env("PUBLIC_EXPORT_ROOT", default=str(BASE_DIR / "var" / "public-export")))
# A change to the case record asks for a new export build once its transaction commits.
PUBLIC_EXPORT_REBUILD_ON_CHANGE = env.bool("PUBLIC_EXPORT_REBUILD_ON_CHANGE", default=True)
# Seconds a rendered public answer, and a computed statistic or list total, stay in the cache (CACHE_URL);
# a change to the case record makes every cached entry obsolete at once. 0 turns that cache off.
PUBLIC_API_RESPONSE_CACHE_SECONDS = env.int("PUBLIC_API_RESPONSE_CACHE_SECONDS", default=300)
PUBLIC_API_STATS_CACHE_SECONDS = env.int("PUBLIC_API_STATS_CACHE_SECONDS", default=3600)
# Keys on request (/api-key/): the tier a confirmed address gets at once (staff change it per key in the
# admin), how many days the confirmation link works, and how many requests an address may send.
PUBLIC_API_REQUESTED_KEY_TIER = env("PUBLIC_API_REQUESTED_KEY_TIER", default="researcher")
PUBLIC_API_KEY_REQUEST_DAYS = env.int("PUBLIC_API_KEY_REQUEST_DAYS", default=2)
# Budget of anonymous callers while no throttle tier in the database is marked for them.
PUBLIC_API_FALLBACK_ANONYMOUS_RATE = env("PUBLIC_API_FALLBACK_ANONYMOUS_RATE", default="60/60")

# Security

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Proxies in front of the service that append to X-Forwarded-For; 0 takes the peer address as the caller
# (rrm.api.network.client_address, for every throttle and the login lock-out). PUBLIC_API_TRUSTED_PROXIES
# is the earlier name, still read for existing deployments.
RRM_TRUSTED_PROXIES = env.int("RRM_TRUSTED_PROXIES", default=env.int("PUBLIC_API_TRUSTED_PROXIES", default=0))

# Content-Security-Policy on every response: scripts, styles, fonts and images only from this site (the
# pages load Chart.js and their own scripts from static files; chart data is JSON, not script); no
# plugin, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login brute force (django-axes): the admin login, the API's token and session logins all go through
# django.contrib.auth.authenticate with the request, where config.security.LoginLockout refuses a
# locked-out caller before the password is checked. An address is locked out after
# RRM_LOGIN_FAILURE_LIMIT failures from it, whatever usernames they named, for RRM_LOGIN_COOLOFF_MINUTES;
# the address is rrm.api.network.client_address. Failures for a username from other addresses do not
# lock its owner out (RELIABILITY.md, "Locking out a known account"): the address-only count already
# includes every address and username pair, so no pair needs a count of its own.
AUTHENTICATION_BACKENDS = ["config.security.LoginLockout", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("RRM_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("RRM_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "rrm.api.network.client_address"
# Failures expire with the cool-off, not at the next success: a success would clear its address's count,
# so an attacker could sign in to an account of their own between guesses at others'.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
# Failures and lockouts are still logged (as warnings, username and address masked); no start-up banner.
AXES_VERBOSE = False

# Accounts (accounts/): the sign-in page and where it leads; invitation links last this many days.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "pages:home"
RRM_INVITATION_DAYS = env.int("RRM_INVITATION_DAYS", default=7)
# Case officers must prove a TOTP code (accounts.middleware) where this is on: by default outside DEBUG.
RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS = env.bool(
    "RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS", default=not DEBUG
)
# The issuer name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = env("RRM_TOTP_ISSUER", default="RRM case record")

# The language cookie travels with the session's guarantees (see production.py for Secure).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
