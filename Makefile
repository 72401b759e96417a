# AlphaDiscounters Seller Central. `make run` serves the app with demo data; `make test` runs
# every test. Both set up what they need first (.venv from requirements.lock, node_modules from
# package-lock.json).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: setup run test lint format bench screenshots lock clean

$(PIP_STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(PIP_STAMP) $(NPM_STAMP)

run: setup
	$(PY) manage.py migrate --noinput
	bash scripts/run.sh

test: setup
	bash scripts/ensure-browser.sh
	$(PY) -m pytest $(PYTEST_ARGS)

# Python style, the app layers (pyproject.toml [tool.importlinter]), types, and the templates:
# djLint, then no inline code that the Content Security Policy would block.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	$(PY) scripts/check_templates_csp.py templates

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) bench/inbox.py

screenshots: setup
	bash scripts/ensure-browser.sh
	$(PY) scripts/screenshots.py

# Re-pin Python dependencies after changing pyproject.toml.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^alphadiscounters' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var staticfiles
