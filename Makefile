# uppsikt: `make run` builds everything on the demo snapshot, `make test` checks it all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else bootstrapped from PyPI into the user's Python.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
NODE_MODULES := reports/node_modules/.package-lock.json

.PHONY: help install run test lint dev bench clean

help:
	@echo "make run    installera, köra hela kedjan på demodata och bygga rapporten"
	@echo "make test   alla tester (ruff, sqlfluff, pytest med riktig dbt, Dagster, Evidence, Chromium)"
	@echo "make dev    Dagsters gränssnitt på http://127.0.0.1:3000"
	@echo "make bench  prestandamätningar (hämtning, effektmodeller, PDF-utskrift av en byggd rapport)"

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

# npm ci rejects the lockfile here (other platforms' optional binaries are absent): npm install.
$(NODE_MODULES): reports/package.json reports/package-lock.json
	cd reports && npm install --no-audit --no-fund --loglevel=error
	@touch $@

install: .venv/.installed $(NODE_MODULES)

run: install
	$(RUN) uppsikt run

lint: .venv/.installed
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) sqlfluff lint dbt/models

test: install lint
	$(RUN) pytest

dev: install
	# Background jobs start with SIGINT ignored; restore default signals so Ctrl-C and kill work.
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster} setsid env --default-signal=INT,TERM \
		$(RUN) dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

bench: .venv/.installed
	$(RUN) python benchmarks/bench_extract.py
	$(RUN) python benchmarks/bench_effects.py
	$(RUN) python benchmarks/bench_calibration.py
	$(RUN) python benchmarks/bench_pdf.py

clean:
	rm -rf warehouse reports/build reports/.evidence dbt/target dbt/logs .dagster
