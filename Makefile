# AlphaDiscounters Seller Central. `make run` serves the app with demo data; `make test` runs
# every test, on PostgreSQL (DATABASE_URL, else an embedded server under var/postgres that they
# start and stop: config/embedded_postgres.py). Both set up what they need first (.venv from
# requirements.lock, node_modules from package-lock.json, the compiled translations from
# locale/*/LC_MESSAGES/django.po).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
# Buyer pages in five languages: the .po catalogs are committed, the .mo files are compiled here.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: setup run test lint format bench bench-inbox load screenshots lock clean messages prod-check

$(PIP_STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(PIP_STAMP)
	bash scripts/ensure-gettext.sh
	$(PY) manage.py compilemessages --locale=$* --ignore=.venv --ignore=node_modules

setup: $(PIP_STAMP) $(NPM_STAMP) $(MO_FILES)

run: setup
	$(PY) scripts/run.py

test: setup
	bash scripts/ensure-browser.sh
	$(PY) -m pytest $(PYTEST_ARGS)

# Python style, the app layers (pyproject.toml [tool.importlinter]), types, and the templates:
# djLint, then no inline code that the Content Security Policy would block.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	# mypy's Django plugin reads the settings; it connects to no database, so it needs a URL only
	# (without one the test settings would start the embedded server).
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:1/mypy} $(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	$(PY) scripts/check_templates_csp.py templates

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every seller page through gunicorn beside a floor view, on the `seed_scale` data set
# (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/h13s_scale): bench/README.md.
# BENCH_ARGS, e.g. --explain or --flat URL1 URL2 URL3. The in-process inbox benchmark is
# `make bench-inbox` (bench/inbox.py).
bench: setup
	$(PY) bench/pages.py $(BENCH_ARGS)

bench-inbox: setup
	$(PY) bench/inbox.py

# A bounded load run on real servers (gunicorn, a Celery worker, the mail relay) with PostgreSQL
# and Redis on 127.0.0.1; fails on any 5xx or lost write. docs/RELIABILITY.md; LOAD_ARGS="--help".
load: setup
	$(PY) bench/load.py $(LOAD_ARGS)

# The production stack (deploy/Procfile: gunicorn, Celery worker and beat, the mail relay) on
# the local PostgreSQL and Redis with config.settings.production: signs in, loads the inbox,
# sends a message, sees the worker email it, stops everything (scripts/prod_check.py).
prod-check: setup
	$(PY) scripts/prod_check.py

screenshots: setup
	bash scripts/ensure-browser.sh
	$(PY) scripts/screenshots.py

# Update the catalogs after adding or changing a {% translate %} or gettext text on a buyer page,
# then translate the new entries in each locale/<lang>/LC_MESSAGES/django.po (`make setup`
# compiles them).
messages: setup
	$(PY) manage.py makemessages -l de -l fr -l es -l ja --no-wrap --add-location=file \
	  --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=staticfiles \
	  --ignore=bench --ignore=test-artifacts

# Re-pin Python dependencies after changing pyproject.toml.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^alphadiscounters' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var staticfiles
