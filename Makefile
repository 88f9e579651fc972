# Crisis Table. `make run` to play, `make test` to check everything; `make help` lists the rest.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
STAMP := $(VENV)/.crisis-table-installed
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
# Frames are capped at the server: no client message needs more than 64 KiB.
UVICORN_OPTS ?= --ws-max-size 65536 --lifespan on

# In CI the whole suite runs against the real services (integration tests fail, not skip, without them).
# pytest-django creates its own database `test_<name>` next to the one named here and drops it after.
ifeq ($(CI),true)
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/crisis_table
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
endif

.PHONY: help venv install migrate seed run run-stack test lint bench e2e messages messages-extract \
        ensure-chromium lock clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

# ----------------------------------------------------------------------------------------------------
# Environment
# ----------------------------------------------------------------------------------------------------
$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when the dependencies change; pip's cache serves packages that compile (pygambit).
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	@touch $@

venv: $(STAMP) ## create .venv and install the project with its dev tools
install: $(STAMP) ## same as venv

lock: | $(PY) ## re-pin every transitive dependency into constraints.txt (after changing pyproject.toml)
	$(PY) -m pip install --quiet --editable '.[dev]'
	$(PY) scripts/lock.py
	@touch $(STAMP)

# ----------------------------------------------------------------------------------------------------
# Run
# ----------------------------------------------------------------------------------------------------
migrate: install ## apply database migrations
	$(PY) manage.py migrate --noinput

seed: install ## create the demo instructor login and the demo class
	$(PY) manage.py seed_demo --base-url http://$(HOST):$(PORT)

messages: install $(MO_FILES) ## compile the translations (locale/*/LC_MESSAGES/*.po -> .mo)

%.mo: %.po
	$(PY) scripts/compilemessages.py $<

messages-extract: install ## collect new strings into the .po files (needs GNU gettext)
	$(PY) manage.py makemessages --locale ja --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*' --no-obsolete

run: install migrate messages seed ## play on http://$(HOST):$(PORT)/ (embedded mode: one process)
	@echo
	@echo "  Crisis Table:  http://$(HOST):$(PORT)/"
	@echo "  Instructor:    http://$(HOST):$(PORT)/instructor/  (classes, dashboard, debriefs; login printed above)"
	@echo "  Admin:         http://$(HOST):$(PORT)/admin/  (scenarios)"
	@echo "  Demo class:    join link printed above"
	@echo "  Bot students:  $(PY) manage.py play_bots --url http://$(HOST):$(PORT) --code <code> --students 2"
	@echo "  Health:        http://$(HOST):$(PORT)/healthz"
	@echo
	exec $(PY) scripts/supervise.py "$(BIN)/uvicorn wargame.asgi:application --host $(HOST) --port $(PORT) $(UVICORN_OPTS)"

run-stack: install messages ## ASGI server + Celery worker + beat on DATABASE_URL and REDIS_URL
	@$(PY) -c 'import os, sys; sys.exit(0 if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL") else "run-stack needs DATABASE_URL and REDIS_URL (see .env.example)")'
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --base-url http://$(HOST):$(PORT)
	@echo "  Crisis Table (stack): http://$(HOST):$(PORT)/   Ctrl-C stops everything."
	exec $(PY) scripts/supervise.py \
	  "$(BIN)/celery -A wargame worker --loglevel WARNING" \
	  "$(BIN)/celery -A wargame beat --loglevel WARNING --schedule $(VENV)/celerybeat-schedule" \
	  "$(BIN)/uvicorn wargame.asgi:application --host $(HOST) --port $(PORT) $(UVICORN_OPTS)"

# ----------------------------------------------------------------------------------------------------
# Check
# ----------------------------------------------------------------------------------------------------
test: install ensure-chromium ## ruff, the import contracts and every test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(PY) -m pytest

lint: install ## ruff and the import contracts only
	$(BIN)/ruff check .
	$(BIN)/lint-imports

e2e: install ensure-chromium ## browser tests only (Debian chromium, never a downloaded browser)
	$(PY) -m pytest -m browser

bench: install ## the performance benchmarks (docs/performance.md)
	$(PY) bench/run_all.py

# Browser tests use the system Chromium; install it when missing and we may (root with apt-get).
ensure-chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
	  echo "warning: $(CHROMIUM) is missing and cannot be installed here; browser tests will not run" >&2; \
	fi

clean: ## remove caches and collected static files (keeps .venv and the database)
	rm -rf .pytest_cache .ruff_cache .hypothesis staticfiles
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
