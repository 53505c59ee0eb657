# Production image: gunicorn serves config.wsgi; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_MEDIA_ROOT=/app/var/media

RUN groupadd --system rrm && useradd --system --gid rrm --home-dir /app --shell /usr/sbin/nologin rrm

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml ./
COPY config/__init__.py config/__init__.py
COPY rrm/__init__.py rrm/__init__.py
COPY petitions/__init__.py petitions/__init__.py
COPY remediation/__init__.py remediation/__init__.py
RUN pip install .

COPY . .
RUN pip install --no-deps . \
    && mkdir -p /app/var/media \
    && chown -R rrm:rrm /app/var

# collectstatic needs the production settings; the key exists only for this command and is thrown away.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

USER rrm

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 CMD ["python", "bin/healthcheck"]

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
