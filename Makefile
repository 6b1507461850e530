# Leaderful — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
export LEADERFUL_TEST_DATABASE_URL ?= $(PG_TEST_URL)
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx
export LEADERFUL_NGINX ?= $(NGINX)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install venv frontend-deps frontend-build migrate run test lint typecheck \
        imports test-sqlite test-postgres test-frontend test-e2e postgres chromium nginx bench bench-fanout \
        bench-stream bench-digest bench-webhooks openapi clean

help:
	@echo "make run    install, migrate, build the web app, seed on first run, serve on http://$(HOST):$(PORT)"
	@echo "make test   lint, types, import rules, API tests on SQLite and PostgreSQL, frontend, browser e2e"
	@echo "make bench  load benchmarks on PostgreSQL (never part of make test)"
	@echo "make bench-stream  2,000 notification streams on one worker: memory and delivery delay"
	@echo "make bench-digest  weekly digests for 5,000 and 20,000 people to a local SMTP server"
	@echo "make bench-webhooks  1,000 events to 10 subscribed local webhook receivers"
	@echo "make openapi  regenerate openapi/openapi.json and the typed web client"

# --- installation -----------------------------------------------------------------------------

$(UV):
	$(PYTHON) -m pip install --user --quiet uv || $(PYTHON) -m pip install --quiet uv

$(BIN)/leaderful: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

venv: $(BIN)/leaderful

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

frontend-deps: frontend/node_modules/.package-lock.json

frontend-build: frontend-deps
	cd frontend && npm run build

install: venv frontend-deps

# --- running ----------------------------------------------------------------------------------

migrate: venv
	$(BIN)/leaderful migrate

run: install frontend-build migrate
	$(BIN)/leaderful seed --if-empty
	$(BIN)/leaderful serve --host $(HOST) --port $(PORT)

# --- tests ------------------------------------------------------------------------------------

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy .

imports: venv
	$(BIN)/lint-imports

test-sqlite: venv nginx
	LEADERFUL_TEST_DB=sqlite $(BIN)/pytest -q -p no:cacheprovider --ignore=tests/e2e tests

# PostgreSQL must answer; when it does not, try to start the local cluster. Outside CI we fall
# back to SQLite only (loudly); under CI=true a missing PostgreSQL fails the run.
postgres:
	@if pg_isready -q -h 127.0.0.1 -p 5432; then exit 0; fi; \
	echo "PostgreSQL is not answering; trying to start the local cluster"; \
	for version in $$(ls /etc/postgresql 2>/dev/null); do \
	  $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$version main start || true; \
	done; \
	for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	echo "PostgreSQL is unreachable at 127.0.0.1:5432" >&2; exit 1

test-postgres: venv nginx
	@if $(MAKE) --no-print-directory postgres; then \
	  LEADERFUL_TEST_DB=postgres $(BIN)/pytest -q -p no:cacheprovider --ignore=tests/e2e tests; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "FAIL: CI=true and PostgreSQL is unavailable" >&2; exit 1; \
	else \
	  echo; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!  PostgreSQL unavailable: the PostgreSQL half of the suite did NOT run.  !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo; \
	fi

test-frontend: frontend-deps
	cd frontend && npm run typecheck && npm run lint && npm test

chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@$(CHROMIUM) --version

# Debian's nginx, for the test that runs the production front (deploy/nginx.conf) before a real
# server; the test fails under CI=true when it is missing.
nginx:
	@command -v $(NGINX) >/dev/null 2>&1 || { \
	  echo "installing Debian's nginx for the reverse-proxy test"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
	@$(NGINX) -v

test-e2e: venv frontend-build chromium postgres
	LEADERFUL_TEST_DB=postgres LEADERFUL_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q -p no:cacheprovider tests/e2e

test: lint typecheck imports test-sqlite test-postgres test-frontend test-e2e
	@echo "make test: all checks passed"

# --- tools ------------------------------------------------------------------------------------

BENCH_ARGS ?= --workers 2 --duration 10 --connections 64 --threads 2

bench: venv postgres
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m tests.perf.bench $(BENCH_ARGS)
	$(BIN)/python -m tests.perf.fanout
	$(BIN)/python -m tests.perf.stream $(STREAM_BENCH_ARGS)
	$(BIN)/python -m tests.perf.digest $(DIGEST_BENCH_ARGS)

# Notification fan-out: one post to 10,000 members at notify_level=all (POST latency, time until
# every notification exists).
bench-fanout: venv postgres
	$(BIN)/python -m tests.perf.fanout

# Notification streams alone: N open SSE connections on one server worker, memory per
# connection and the delay from a POST to its notification at every client.
STREAM_BENCH_ARGS ?= --connections 2000 --rounds 5

bench-stream: venv postgres
	$(BIN)/python -m tests.perf.stream $(STREAM_BENCH_ARGS)

# Weekly digests: built for N people and handed to a local SMTP server; time and peak memory
# for 5,000 and for 20,000 people (flat memory: the job keeps one batch of people at a time).
DIGEST_BENCH_ARGS ?= --people 5000 20000

bench-digest: venv postgres
	$(BIN)/python -m tests.perf.digest $(DIGEST_BENCH_ARGS)

# Webhooks: N events to R organisation webhooks, each a local HTTP receiver that verifies every
# signature; the time from the events' commit until every receiver has every event.
WEBHOOK_BENCH_ARGS ?= --events 1000 --receivers 10

bench-webhooks: venv postgres
	$(BIN)/python -m tests.perf.webhooks $(WEBHOOK_BENCH_ARGS)

openapi: venv
	$(BIN)/leaderful openapi
	@if [ -f frontend/package.json ]; then $(MAKE) --no-print-directory frontend-deps && cd frontend && npm run gen:api; fi

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .mypy_cache .ruff_cache tests/e2e/artifacts
