# The two set-up commands of the README:
#   make run   serve the embedded default (PostgreSQL in var/pg, tasks in-process) on 127.0.0.1:8000
#   make test  ruff, mypy, the import contracts (lint-imports) and the migrations check, then the suite
#              on an embedded PostgreSQL of its own (or the one DATABASE_URL names), then the reliability
#              stage
# and the two stages CI adds (RELIABILITY.md):
#   make reliability  fault tests on private PostgreSQL/Redis, API fuzzing, backup/restore, hardening
#   make security     pip-audit of the installed environment (bin/audit-dependencies)
# Both create .venv with `python3 -m venv` when it is missing and reinstall the project only when
# pyproject.toml is newer than the last install.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-from-pyproject
HOST_PORT ?= 127.0.0.1:8000
CASES_CSV ?= data/cases.csv
PYTEST_ARGS ?=
# The suite's tests wait on servers and subprocesses as much as they compute: one worker per core (pytest-xdist,
# each with its own test database on the shared embedded server) halves its time. The reliability stage
# stays serial: its fault tests time what they break.
PYTEST_WORKERS ?= auto
RELIABILITY_TESTS := tests/reliability

CHROMIUM ?= /usr/bin/chromium
REDIS_SERVER ?= /usr/bin/redis-server
.PHONY: run test reliability security

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev,security]'
	touch $(INSTALLED)

# Without DATABASE_URL each command below uses the embedded PostgreSQL server in var/pg: the first process
# that connects starts it, the last one to exit stops it (config/embedded_db/server.py).
run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_cases $(CASES_CSV)
	@echo
	@echo "Admin login: create one with '$(BIN)/python manage.py createsuperuser',"
	@echo "then open http://$(HOST_PORT)/admin/ (API: http://$(HOST_PORT)/api/v1/)."
	@echo
	@# Without a broker there is no beat: a sweep loop beside the server keeps the deadline alerts running.
	$(BIN)/python manage.py sweep_deadlines --loop & sweeper=$$!; \
	trap 'kill $$sweeper 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST_PORT)

# The checks run first so that pytest's summary is the last thing printed. The test database is built
# afresh from the migrations each time (--create-db), so rows that an earlier run's transactional tests
# flushed (the seeded deadline rules) are always there. pytest's exit code 5 means it ran no test: a
# broken collection, never a pass. The migrations check runs on the tests' embedded server.
# The browser tests drive Debian's Chromium (Playwright never downloads one), and the Celery and fault
# tests start redis-server: each is installed once, as root, when missing.
$(CHROMIUM):
	apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core

$(REDIS_SERVER):
	apt-get update && apt-get install -y --no-install-recommends redis-server

# `make test` is the README's one test command: the checks, the suite, then the reliability stage
# (each fault test starts its own PostgreSQL cluster from the embedded binaries and its own Redis server,
# on free loopback ports). No PostgreSQL service is needed: without DATABASE_URL the suite runs on an
# embedded server in a temporary folder (config/settings/test.py).
test: $(INSTALLED) $(CHROMIUM) $(REDIS_SERVER)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(call run_pytest,--ignore=$(RELIABILITY_TESTS) -n $(PYTEST_WORKERS))
	$(call run_pytest,$(RELIABILITY_TESTS))

# The reliability stage alone.
reliability: $(INSTALLED) $(REDIS_SERVER)
	$(call run_pytest,$(RELIABILITY_TESTS))

# pytest's exit code 5 means it ran no test: a broken collection or everything deselected, never a pass.
define run_pytest
	@status=0; DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest --create-db $(1) $(PYTEST_ARGS) \
		|| status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "make: FAILED: pytest ran no test (exit 5): nothing collected or everything deselected." >&2; \
	fi; \
	exit $$status
endef

security: $(INSTALLED)
	$(BIN)/python bin/audit-dependencies
