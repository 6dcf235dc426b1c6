# uppsikt: `make run` builds everything on the demo snapshot, `make test` checks it all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else bootstrapped from PyPI into the user's Python.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
# The stamp orchestration/lib/evidence.py:install writes: make, `uppsikt run` and the tests share it.
NODE_MODULES := reports/node_modules/.uppsikt-install
# pytest-xdist workers, a module at a time each, in the order tests/conftest.py sets (the two builds first).
TEST_WORKERS ?= 2
PYTEST := $(RUN) pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

.PHONY: help install run test test-fast lint dev bench clean

help:
	@echo "make run    installera, köra hela kedjan på demodata och bygga rapporten"
	@echo "make test   alla tester (ruff, sqlfluff, pytest med riktig dbt, Dagster, Evidence, Chromium)"
	@echo "make test-fast  snabba tester utan de långsamma (helkörning, Evidence-bygge, webbläsare)"
	@echo "make dev    Dagsters gränssnitt på http://127.0.0.1:3000"
	@echo "make bench  prestandamätningar (hämtning, effektmodeller, PDF-utskrift, rapportens tillväxt med sidantal)"

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

# npm install only when package.json, the lockfile or a patch changed (the same check the pipeline makes).
$(NODE_MODULES): .venv/.installed reports/package.json reports/package-lock.json $(wildcard reports/patches/*)
	$(RUN) python -c "from pathlib import Path; from orchestration.lib.evidence import install; install(Path('reports'))"
	@touch $@

install: .venv/.installed $(NODE_MODULES)

run: install
	$(RUN) uppsikt run

lint: .venv/.installed
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) sqlfluff lint --processes 2 dbt/models

test: install lint
	$(PYTEST)

test-fast: install
	$(PYTEST) -m "not slow"

dev: install
	# Background jobs start with SIGINT ignored; restore default signals so Ctrl-C and kill work.
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster} setsid env --default-signal=INT,TERM \
		$(RUN) dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

bench: .venv/.installed
	$(RUN) python benchmarks/bench_extract.py
	$(RUN) python benchmarks/bench_effects.py
	$(RUN) python benchmarks/bench_pdf.py
	$(RUN) python benchmarks/bench_report.py --runs

clean:
	rm -rf warehouse reports/build reports/.evidence dbt/target dbt/logs .dagster
