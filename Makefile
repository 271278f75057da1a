# cs-analytics — every command a user or CI needs. Only Python 3.11 and make are assumed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ACCOUNTS ?= 2000
DEMO_MONTHS ?= 36
# The demo company's last drop is today's, as a nightly run would see it (no export is late).
DEMO_END_DATE ?= $(shell date +%F)
export CSA_LANDING_DIR ?= data/landing
export CSA_WAREHOUSE_PATH ?= data/warehouse.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install demo run test test-fast lint format ui dbt-parse dbt-sources lock clean bench bench-usage browser report

# --compile-bytecode: uv, unlike pip, leaves packages uncompiled, and where Python may not write
# __pycache__ (PYTHONDONTWRITEBYTECODE, read-only installs) every process recompiled every import:
# about 1.6 s more for each dbt step's subprocess, more for each Dagster process.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the locked dependencies

dbt-parse: $(STAMP) ## prepare the dbt manifest Dagster reads (does not touch the warehouse)
	$(BIN)/python -m orchestration.prepare

# After a change to orchestration/contract.py or to which staging model reads an export:
# tests/test_dbt_contract.py fails until the generated files match.
dbt-sources: $(STAMP) ## write the dbt sources YAML and export_staging_models() from the contract and the dbt graph
	$(BIN)/python -m orchestration.dbt_contract

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

demo: $(STAMP) ## generate demo data, then `make run` on it from an empty warehouse
	$(BIN)/python -m demo --accounts $(DEMO_ACCOUNTS) --months $(DEMO_MONTHS) --end-date $(DEMO_END_DATE) --out $(CSA_LANDING_DIR) --replace
	rm -f $(CSA_WAREHOUSE_PATH) $(CSA_WAREHOUSE_PATH).wal
	@$(MAKE) --no-print-directory run

# Dagster uses a job's own console logger only when the run config names it; without this the
# console shows every DEBUG event of the run (orchestration/operations/console.py).
RUN_CONSOLE := --config-json '{"loggers": {"console": {}}}'

# The check report is printed whether the run passed or not; where the results are only after
# a run that passed. The run's exit status is make's.
run: $(STAMP) dbt-parse $(DAGSTER_HOME)/dagster.yaml ## run the pipeline on CSA_LANDING_DIR: new drops, every check, the marts
	@$(BIN)/dg launch --assets '*' $(RUN_CONSOLE); status=$$?; \
	  $(BIN)/python -m orchestration.checks.run_report; \
	  if [ $$status -eq 0 ]; then $(BIN)/python -m orchestration.summary; fi; \
	  exit $$status

# The report tests open the KPI report in Debian's headless Chromium; install it when missing.
CHROMIUM_PACKAGES := chromium chromium-driver fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser: ## Debian's chromium + chromedriver for the report tests (apt-get, once)
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; else \
	  echo "Installing $(CHROMIUM_PACKAGES) for the KPI report tests"; \
	  $(SUDO) apt-get install -y --no-install-recommends $(CHROMIUM_PACKAGES) >/dev/null \
	  || { $(SUDO) apt-get update >/dev/null && \
	       $(SUDO) apt-get install -y --no-install-recommends $(CHROMIUM_PACKAGES) >/dev/null; }; \
	fi

report: $(STAMP) dbt-parse $(DAGSTER_HOME)/dagster.yaml ## rewrite the KPI report from the marts already built
	$(BIN)/dg launch --assets kpi_report $(RUN_CONSOLE)

# The suite runs on PYTEST_WORKERS processes (pytest-xdist), each test file wholly on one of them
# (--dist loadfile: a module's shared pipeline run is made once); each worker has its own dbt
# target folder (tests/conftest.py). PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
test: $(STAMP) browser lint ## lint and run the whole test suite
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements-spark.lock
	touch $(SPARK_STAMP)

.PHONY: install-spark test-spark
install-spark: $(SPARK_STAMP) ## add dbt-spark and pyspark (local Spark, docs/spark.md) to .venv

test-spark: $(SPARK_STAMP) ## DuckDB and Spark build the same marts (tests/test_spark_parity.py)
	$(BIN)/python -m pytest -m spark

test-fast: $(STAMP) lint ## lint + the unit-level tests (loader, rules, checks, config, formatting): about a minute
	$(BIN)/python -m pytest -m 'not spark and not pipeline' -q

# sqlfluff's dbt templater compiles the project against profiles.yml's in-memory `lint`
# target (.sqlfluff): no warehouse, no activated virtualenv, about 40 s of CPU.
lint: $(STAMP) ## ruff (Python) and sqlfluff (dbt models and tests, .sqlfluff)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project

format: $(STAMP) ## fix what ruff and sqlfluff can fix (sqlfluff takes a few minutes)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/sqlfluff fix dbt_project

UI_PORT ?= 3000
# `dg dev` loads the project of pyproject.toml's [tool.dg] with this virtualenv's Python; under it
# orchestration/project.py parses dbt with this virtualenv's dbt, so no `dbt-parse` first.
ui: $(STAMP) $(DAGSTER_HOME)/dagster.yaml ## the Dagster UI on http://127.0.0.1:$(UI_PORT) (dg dev)
	$(BIN)/dg dev -h 127.0.0.1 -p $(UI_PORT)

.PHONY: metrics
# MetricFlow on the dbt semantic layer (models/semantic/, docs/analyst-guide.md): any `mf`
# command, on the warehouse of CSA_WAREHOUSE_PATH. It opens the warehouse: not during a run.
MF ?= list metrics
metrics: $(STAMP) ## MetricFlow on the warehouse: make metrics MF='query --metrics nrr_pct --group-by metric_time__month'
	$(BIN)/python -m orchestration.metricflow_cli $(MF)

.PHONY: docs recover
DOCS_DIR ?= data/dbt-docs
# `dbt docs generate` opens the warehouse to read its catalog: never while a run is going on.
docs: $(STAMP) ## dbt docs as one static page: $(DOCS_DIR)/static_index.html
	$(BIN)/python -m orchestration.dbt_cli docs generate --static --target-path $(abspath $(DOCS_DIR))

recover: $(STAMP) $(DAGSTER_HOME)/dagster.yaml ## after a killed run: mark it failed and free its duckdb slot
	$(BIN)/python -m orchestration.operations.recovery

SCALE ?= demo
BILLING ?= contract
STRIPE_FILES ?= csv
USAGE ?= contract
BENCH_ARGS ?=
bench: $(STAMP) dbt-parse ## benchmark every stage at SCALE=demo|medium|large|xlarge|all or a,b, BILLING=contract|stripe, USAGE=contract|segment, BENCH_ARGS=--load-only (prints tables, writes JSON)
	$(BIN)/python -m benchmarks --scale $(SCALE) --billing $(BILLING) --stripe-files $(STRIPE_FILES) --usage $(USAGE) $(BENCH_ARGS)

VENDOR ?= segment
bench-usage: $(STAMP) dbt-parse ## the usage load from VENDOR=segment|amplitude against the contract file at SCALE, at equal input rows
	$(BIN)/python -m benchmarks.usage_load --scale $(SCALE) --usage $(VENDOR)

lock: ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev -p 3.11 -o requirements.lock --no-header

clean:
	rm -rf data/warehouse.duckdb* dbt_project/target dbt_project/logs .dagster_home
