# Two commands do all the set-up: `make run` builds the warehouse, `make test` runs the tests.
# Both create the virtual environment and install the pinned dependencies on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)
export FIGURES_DAGSTER_STORAGE ?= $(CURDIR)/.dagster_home
# Runs started by the UI, the sensor or the schedule record their partition range once per asset,
# not one event per asset and file (as `figures run` does, pipelines/runner.py).
export DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS ?= true
# ... and write the materializations of one step's partitions in one transaction (pipelines/instance_storage.py).
export DAGSTER_EVENT_BATCH_SIZE ?= 1000

.PHONY: run test ui bench install clean compiled

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-cache-dir --upgrade pip
	$(BIN)/pip install --quiet --no-cache-dir -c constraints.txt -e '.[dev,compiled]' \
	  || { df -h . "$${TMPDIR:-/tmp}"; echo "installing the environment failed (the space left is above)"; exit 1; }
	touch $(STAMP)

# The extractor and the reconciliation rules compiled with mypyc (scripts/build_compiled.py, about a
# minute): the same claims and tables, about 25 % faster. Built with the environment and again whenever
# one of their sources changes; a package uses a build only while its stamp is its sources' hash
# (pipelines/compiled_modules.py), so an edited source runs as written until then. Without a C compiler,
# or if mypyc fails, the sources run. FIGURES_PURE_PYTHON=1 runs the sources anyway (to debug, trace or
# monkeypatch them). The same script keeps the programs of the extractor's regexes, built from the
# lexicons, so that each process that extracts does not compile them again (pipelines/extraction/regex_programs.py).
COMPILED := $(VENV)/.compiled-built
$(COMPILED): $(STAMP) pipelines/compiled_modules.py $(wildcard pipelines/extraction/*.py) $(wildcard pipelines/extraction/lexicons/*.yaml) pipelines/reconciliation_rules.py pipelines/reconciliation_policy.py
	$(BIN)/python scripts/build_compiled.py || echo "the sources of what did not compile run as they are"
	touch $(COMPILED)

# The project's bytecode, written ahead: where Python may not write it (PYTHONDONTWRITEBYTECODE, common in
# containers and CI), every process of every run compiled the project's modules again, 0.15 to 0.25 s of
# each start. Python still checks each file against its source, so an edited module runs as written.
BYTECODE := $(VENV)/.bytecode-built
PROJECT_SOURCES := $(shell find pipelines schemas warehouse -name '*.py' -not -path '*/_compiled*' 2>/dev/null)
$(BYTECODE): $(STAMP) $(PROJECT_SOURCES)
	$(BIN)/python -m compileall -q pipelines schemas warehouse
	touch $(BYTECODE)

BUILT := $(STAMP) $(COMPILED) $(BYTECODE)

install: $(BUILT)

compiled: $(COMPILED)

run: $(BUILT)
	$(BIN)/figures run

test: $(BUILT)
	$(BIN)/pytest

# The launcher stops dagster dev and everything it started on SIGTERM or Ctrl-C (scripts/dagster_ui.py).
UI_HOST ?= 127.0.0.1
UI_PORT ?= 3000
ui: $(BUILT)
	mkdir -p $(FIGURES_DAGSTER_STORAGE)
	exec $(BIN)/python scripts/dagster_ui.py -h $(UI_HOST) -p $(UI_PORT)

bench: $(BUILT)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python benchmarks/gold_set.py
	$(BIN)/python benchmarks/peer_specs.py ../shared/peer-specs
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/speed.py --figure-share 0.05 --no-peer
	$(BIN)/python benchmarks/gold_set.py --gold benchmarks/gold/heldout
	$(BIN)/python benchmarks/hostile.py
	$(BIN)/python benchmarks/extraction_scaling.py
	$(BIN)/python benchmarks/html_main_text.py
	$(BIN)/python benchmarks/convergence.py --seeds 1

clean:
	rm -rf $(VENV) .dagster_home warehouse/figures.duckdb pipelines/extraction/_compiled pipelines/_compiled pipelines/extraction/_regex_programs.marshal
