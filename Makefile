# Quickstart targets: `make demo` and `make test` work on a fresh clone with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO := .orbitwatch-demo
export ORBITWATCH_HOME := $(CURDIR)/$(DEMO)

.PHONY: demo test test-fast lint venv clean bench web

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -e .

# the main job on the embedded default catalog (orbitwatch's own synthetic catalog, no
# network): one day of all-vs-all screening, the top conjunctions by Pc, the HTML report
demo: venv
	rm -rf $(DEMO)
	$(BIN)/orbitwatch catalog synth --objects 20000 --seed 1 -o $(DEMO)/synthetic.json --satcat $(DEMO)/synthetic_satcat.csv
	$(BIN)/orbitwatch catalog load $(DEMO)/synthetic.json $(DEMO)/synthetic_satcat.csv
	$(BIN)/orbitwatch screen --at 2026-01-01T00:00:00Z --days 1 --limit 0 --format csv > $(DEMO)/events.csv
	$(BIN)/orbitwatch report --sort pc --limit 10
	$(BIN)/orbitwatch report --sort pc --format html --out $(DEMO)/report.html
	@echo
	@echo "The demo's catalog and screening run are in $(DEMO)/catalog.db; every event is in"
	@echo "$(DEMO)/events.csv and the report is $(CURDIR)/$(DEMO)/report.html. Next:"
	@echo "  export ORBITWATCH_HOME=$(CURDIR)/$(DEMO)   # or give --db $(CURDIR)/$(DEMO)/catalog.db"
	@echo "  . .venv/bin/activate"
	@echo "  orbitwatch runs list"
	@echo "  orbitwatch report --coordination"
	@echo "  orbitwatch serve        # web UI on http://127.0.0.1:8737/"

lint: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/lint-imports

# the PostgreSQL tests use a local server: started here where Debian's is installed and
# we may (root); elsewhere they skip, saying why (ORBITWATCH_TEST_PG names another server)
test: lint
	@.ci/start-postgres >/dev/null 2>&1 || echo "note: no local PostgreSQL started; its tests skip unless ORBITWATCH_TEST_PG names a server"
	$(BIN)/python -m pytest -q

# the developer's loop: everything but the tests marked slow (brute-force references,
# the browser, the load test), in about two minutes
test-fast: lint
	$(BIN)/python -m pytest -q -m "not slow"

# the web UI's bundle (committed): only needed after changing web/src
web:
	cd web && npm ci --no-audit --no-fund && npm run build

bench: venv
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) $(DEMO) build *.egg-info
