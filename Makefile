# uppsikt: `make run` builds everything on the demo snapshot, `make test` checks it all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else bootstrapped from PyPI into the user's Python.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
# The stamp orchestration/lib/report/evidence.py:install writes: make, `uppsikt run` and the tests share it.
NODE_MODULES := reports/node_modules/.uppsikt-install
# pytest-xdist workers, a module at a time each, in the order tests/conftest.py sets (the two builds first);
# the 25 slowest tests and fixtures are listed at the end, to show where the suite's time goes. One more
# worker than this machine's two cores: the suite waits a good deal (a scheduled run, page loads, locks),
# and with two workers the cores stood idle 11 % of the time (whole suite: 653 s with 2, 593 s with 3; with
# 4, 609 s against 597 s with 3 measured one after the other: a fourth worker only adds contention).
TEST_WORKERS ?= 3
PYTEST := $(RUN) pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder --durations=25

.PHONY: help system-packages system-packages-beside install run test test-fast lint dev serve check bench clean

help:
	@echo "make run    installera, köra hela kedjan på demodata och bygga rapporten"
	@echo "make test   alla tester (ruff, sqlfluff, pytest med riktig dbt, Dagster, Evidence, Chromium)"
	@echo "make test-fast  snabba tester utan de långsamma (helkörning, Evidence-bygge, webbläsare)"
	@echo "make dev    Dagsters gränssnitt på http://127.0.0.1:3000"
	@echo "make serve  driftläge: schema, sensorer och felnotiser (Dagsters daemon) och gränssnittet"
	@echo "make check  kontrollera inställningar, register, Chromium, Node, lager och e-post"
	@echo "make clean  ta bort byggda filer (aldrig lagret med rapporthistoriken, state/ eller outbox/)"
	@echo "make bench  prestandamätningar (hämtning, effektmodeller, PDF-utskrift, rapportens tillväxt med sidantal, färsk klon)"

# Bytecode compiled once at install (about 10 s): where PYTHONDONTWRITEBYTECODE is set (CI images often
# set it) every Python process would otherwise compile Dagster, dbt and the rest from source each time it
# starts (3 s of each dbt call and of loading the definitions, measured). The Makefile is a prerequisite so
# that a checkout installed before this compiles too.
.venv/.installed: pyproject.toml uv.lock Makefile
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode
	@touch $@

# npm install only when package.json, the lockfile or a patch changed (the same check the pipeline makes).
$(NODE_MODULES): .venv/.installed reports/package.json reports/package-lock.json $(wildcard reports/patches/*)
	@echo "npm install: installerar rapportens paket (första gången 1–3 minuter)"
	$(RUN) python -c "from pathlib import Path; from orchestration.lib.report.evidence import install; install(Path('reports'))"
	@touch $@

# Chromium, fonts, Node: installed with apt-get when missing, else a stop naming the command to run.
# SYSTEM_PACKAGES (empty: scripts/system-packages.txt) names other packages instead.
system-packages:
	@bash scripts/install-system-packages.sh $(SYSTEM_PACKAGES)

system-packages-beside:
	@bash scripts/install-system-packages.sh --beside $(SYSTEM_PACKAGES)

install: .venv/.installed $(NODE_MODULES)

# What only printing needs (Chromium, fonts) is installed beside the pipeline, which waits for it before
# printing (--beside in the script); the report's npm install runs inside `uppsikt run`, beside the pull
# and dbt (lib/ops/pipeline.py).
run: system-packages-beside .venv/.installed
	$(RUN) uppsikt run

# The code location must load: what `dg check defs` checks (dagster-dg is not a dependency), with a Dagster
# home of its own so that no developer's instance is touched. It loads beside sqlfluff, its output shown
# after sqlfluff's: one core for 7 s against sqlfluff's two for 9 s, 16 s one after the other.
VALIDATE_DEFS := $(RUN) dagster definitions validate

lint: .venv/.installed
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	@home=$$(mktemp -d); \
	DAGSTER_HOME=$$home $(VALIDATE_DEFS) > $$home/validate.log 2>&1 & validate=$$!; \
	$(RUN) sqlfluff lint --processes 2 dbt/models; sql=$$?; \
	wait $$validate; status=$$?; \
	echo "$(VALIDATE_DEFS)"; cat $$home/validate.log; rm -rf $$home; \
	test $$sql -eq 0 -a $$status -eq 0

# As in `make run`, what only printing needs (Chromium, fonts) installs beside the rest; the tests that
# start a browser wait for it (report/pdf.py:chromium_path). The report's npm install and the lint run
# side by side, their output kept apart (24 and 20 s one after the other on a fresh clone, 35 s together);
# the tests start when both are done.
test: system-packages-beside .venv/.installed
	@$(MAKE) --no-print-directory -j 2 --output-sync=target $(NODE_MODULES) lint
	$(PYTEST)

test-fast: system-packages-beside install
	$(PYTEST) -m "not slow"

# Both read .env through uppsikt (python-dotenv) and keep Dagster's state in UPPSIKT_STATE (state/).
# Background jobs start with SIGINT ignored; restore default signals so Ctrl-C and kill work.
dev: system-packages install
	setsid env --default-signal=INT,TERM $(RUN) uppsikt dev

serve: system-packages install
	setsid env --default-signal=INT,TERM $(RUN) uppsikt serve

check: .venv/.installed
	$(RUN) uppsikt check

bench: .venv/.installed
	$(RUN) python benchmarks/bench_extract.py
	$(RUN) python benchmarks/bench_effects.py
	$(RUN) python benchmarks/bench_calibration.py
	$(RUN) python benchmarks/bench_national.py
	$(RUN) python benchmarks/bench_pdf.py
	$(RUN) python benchmarks/bench_report.py --runs
	$(RUN) python benchmarks/bench_fresh.py

# Only what a run rebuilds. The warehouse holds the report history (history.*) and the GX baselines,
# state/ the run history, outbox/ what was sent: none of them can be rebuilt, so clean never touches them.
clean:
	rm -rf reports/build reports/.build-staging reports/.compile-cache reports/.evidence dbt/target dbt/logs
