# The commands the README names. Everything runs from the project's own virtual environment.
SHELL := /bin/bash
# The first Python 3.11 or newer on the PATH (python3 first); PYTHON=/path/to/python chooses another.
SUPPORTED_PYTHONS := python3 python3.13 python3.12 python3.11
PYTHON ?= $(firstword $(foreach p,$(SUPPORTED_PYTHONS),$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $(p))))
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
TEST_DATABASE_URL := $(if $(DATABASE_URL),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/sg17portal)
TEST_REDIS_URL := $(if $(REDIS_URL),$(REDIS_URL),redis://127.0.0.1:6379/1)

.PHONY: install run test lint format check-deploy bench clean messages

$(STAMP): pyproject.toml
	@test -x $(PY) || test -n "$(PYTHON)" || { echo "The portal needs Python 3.11 or newer, and none of $(SUPPORTED_PYTHONS) is one: install python3.11 (or newer), or run make PYTHON=/path/to/python3.11 $(MAKECMDGOALS)." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)
	@$(PY) -m sg17portal.catalogs compile

## make run: the portal on the embedded default (SQLite, file broker, mail in var/mail) with worker and beat.
run: export PORT := $(PORT)
run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Portal: http://127.0.0.1:$(PORT)/   (mail is written to var/mail/; Ctrl-C stops everything)"
	@exec $(PY) -m sg17portal.embedded --port $(PORT)

## make test: the whole suite on PostgreSQL and Redis, as CI runs it.
test: install
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) tests/check_services.py
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DJANGO_ENV=test $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_ENV=test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=test $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	SECRET_KEY=compose-config-check docker-compose config -q
	$(PY) -m sg17portal.catalogs check
	$(MAKE) --no-print-directory check-deploy

check-deploy: install
	DJANGO_ENV=production SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=portal.example.org SITE_URL=https://portal.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

## make messages: the catalogs under locale/ refreshed from the source (needs GNU gettext's xgettext).
messages: install
	$(PY) -m sg17portal.catalogs update

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bench/run.py

clean:
	rm -rf var $(VENV)
