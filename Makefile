# Quickstart targets: `make demo` and `make test` work on a fresh clone with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO := .orbitwatch-demo
export ORBITWATCH_HOME := $(CURDIR)/$(DEMO)

.PHONY: demo test lint venv clean bench web

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -e .

demo: venv
	rm -rf $(DEMO)
	$(BIN)/orbitwatch catalog synth --objects 20000 --seed 1 -o $(DEMO)/synthetic.json --satcat $(DEMO)/synthetic_satcat.csv
	$(BIN)/orbitwatch catalog load $(DEMO)/synthetic.json $(DEMO)/synthetic_satcat.csv
	$(BIN)/orbitwatch catalog info --at 2026-01-01T00:00:00Z
	$(BIN)/orbitwatch propagate --at 2026-01-01T00:00:00Z --step 60 --count 1440
	$(BIN)/orbitwatch propagate --at 2026-01-01T00:00:00Z --id 1,2,3 --frame geodetic --count 3 --step 60
	$(BIN)/orbitwatch passes --at 2026-01-01T00:00:00Z --days 1 --site Paris=48.85,2.35,35 --limit 10

lint: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q

# the web UI's bundle (committed): only needed after changing web/src
web:
	cd web && npm ci --no-audit --no-fund && npm run build

bench: venv
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) $(DEMO) build *.egg-info
