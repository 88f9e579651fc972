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
# Any HOST but loopback serves the room's network (classroom mode, wargame/settings.py): DEBUG off, a secret
# key kept in var/, this machine's addresses allowed and advertised. `make classroom` binds 0.0.0.0.
ROOM = $(if $(filter 127.0.0.1 localhost ::1,$(HOST)),false,true)
# The address students open: this machine's on the room's network in classroom mode (or PUBLIC_URL).
BASE_URL_CMD = $(if $(filter true,$(ROOM)),$(PY) -m wargame.network --port $(PORT),echo http://$(HOST):$(PORT))
CHROMIUM ?= /usr/bin/chromium
# Two installs: what playing needs (make run: wheels only, under a minute) and the development tools on top
# (make test: pygambit compiles from source the first time, for minutes).
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
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

.PHONY: help venv install migrate seed run classroom run-stack test lint bench e2e messages messages-extract \
        ensure-chromium lock clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

# ----------------------------------------------------------------------------------------------------
# Environment
# ----------------------------------------------------------------------------------------------------
$(PY):
	@echo "==> Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

# Each reinstalls only when the dependencies change; pip's cache serves packages that compile (pygambit).
$(RUN_STAMP): pyproject.toml constraints.txt | $(PY)
	@echo "==> Installing what playing needs into $(VENV): the runtime dependencies only, pinned by constraints.txt"
	$(PY) -m pip install --constraint constraints.txt --editable .
	@touch $@

$(DEV_STAMP): pyproject.toml constraints.txt | $(PY)
	@echo "==> Installing the development tools into $(VENV) (the first time pygambit compiles from source: minutes)"
	$(PY) -m pip install --constraint constraints.txt --editable '.[dev]'
	@touch $@ $(RUN_STAMP)

install: $(RUN_STAMP) ## create .venv and install what playing needs (no development tools)
venv: $(DEV_STAMP) ## create .venv and install the project with its development tools (make test does)

lock: | $(PY) ## re-pin every transitive dependency into constraints.txt (after changing pyproject.toml)
	$(PY) -m pip install --quiet --editable '.[dev]'
	$(PY) scripts/lock.py
	@touch $(DEV_STAMP) $(RUN_STAMP)

# ----------------------------------------------------------------------------------------------------
# Run
# ----------------------------------------------------------------------------------------------------
# Classroom mode reaches the commands that read the settings (a served-to-the-room run keeps its own key).
migrate seed run run-stack: export CLASSROOM = $(ROOM)

migrate: install ## apply database migrations
	@echo "==> Preparing the database"
	$(PY) manage.py migrate --noinput

seed: install ## create the demo instructor login and the demo class
	$(PY) manage.py seed_demo --base-url "$$($(BASE_URL_CMD))"

messages: install $(MO_FILES) ## compile the translations (locale/*/LC_MESSAGES/*.po -> .mo)

%.mo: %.po
	$(PY) scripts/compilemessages.py $<

messages-extract: install ## collect new strings into the .po files (needs GNU gettext)
	$(PY) manage.py makemessages --locale ja --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*' --no-obsolete

run: install migrate messages seed ## play on http://$(HOST):$(PORT)/ (embedded mode: one process)
	@url="$$($(BASE_URL_CMD))"; \
	echo; \
	echo "  Crisis Table:  $$url/"; \
	echo "  Instructor:    $$url/instructor/  (classes, dashboard, projector, debriefs; login printed above)"; \
	echo "  Admin:         $$url/admin/  (scenarios)"; \
	echo "  Demo class:    join link printed above"; \
	echo "  Bot students:  $(PY) manage.py play_bots --url $$url --code <code> --students 2"; \
	echo "  Health:        $$url/healthz"; \
	if [ "$(ROOM)" = true ]; then \
	  echo; \
	  echo "  Served to the room's network: phones on the same network open $$url/"; \
	  echo "  (DEBUG off; the instructor's password is kept in var/; a network that isolates its clients"; \
	  echo "  stops phones reaching this computer: see the README, \"Running a class in a lecture hall\")."; \
	fi; \
	echo; \
	echo "  Ctrl-C stops the server."; \
	echo
	exec $(PY) scripts/supervise.py "$(BIN)/uvicorn wargame.asgi:application --host $(HOST) --port $(PORT) $(UVICORN_OPTS)"

classroom: HOST := 0.0.0.0
classroom: run ## serve a class to the room's network: phones join at this computer's address (QR code)

run-stack: install messages ## ASGI server + Celery worker + beat on DATABASE_URL and REDIS_URL
	@$(PY) -c 'import os, sys; sys.exit(0 if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL") else "run-stack needs DATABASE_URL and REDIS_URL (see .env.example)")'
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --base-url "$$($(BASE_URL_CMD))"
	@echo "  Crisis Table (stack): $$($(BASE_URL_CMD))/   Ctrl-C stops everything."
	exec $(PY) scripts/supervise.py \
	  "$(BIN)/celery -A wargame worker --loglevel WARNING" \
	  "$(BIN)/celery -A wargame beat --loglevel WARNING --schedule $(VENV)/celerybeat-schedule" \
	  "$(BIN)/uvicorn wargame.asgi:application --host $(HOST) --port $(PORT) $(UVICORN_OPTS)"

# ----------------------------------------------------------------------------------------------------
# Check
# ----------------------------------------------------------------------------------------------------
test: venv ensure-chromium ## ruff, the import contracts and every test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(PY) -m pytest

lint: venv ## ruff and the import contracts only
	$(BIN)/ruff check .
	$(BIN)/lint-imports

e2e: venv ensure-chromium ## browser tests only (Debian chromium, never a downloaded browser)
	$(PY) -m pytest -m browser

bench: venv ## the performance benchmarks (docs/performance.md)
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
