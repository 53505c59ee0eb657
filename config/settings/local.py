"""Development: the embedded default (PostgreSQL in var/pg, in-process tasks) unless the environment
says otherwise."""

from config.settings.base import *  # noqa: F403
from config.settings.base import api_renderer_classes, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = api_renderer_classes(debug=DEBUG)  # noqa: F405
# Off while debugging, like DEBUG itself: a developer signs in as a case officer without an authenticator.
RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS = env.bool(
    "RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS", default=not DEBUG
)
# A development key only: production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-not-for-production")
# Webhook receivers of development and tests listen on this machine.
RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
