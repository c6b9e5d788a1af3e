# vmdoctor — the two commands of the quick start:
#   make demo   set up a virtualenv and scan the built-in demo lab
#   make test   install everything the tests need (Python and Debian packages), then lint,
#               type-check and run the whole suite (unit, checks, integration, e2e)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck unit system-deps docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/vmdoctor scan --format html -o vmdoctor-demo-report.html; \
	  code=$$?; echo "(exit code $$code: 0 ok, 1 warning, 2 critical, 3 unknown — see the README)"; \
	  test $$code -lt 3

system-deps:
	bash scripts/install-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

unit: $(STAMP)
	$(BIN)/pytest -q tests/unit tests/checks

test: system-deps $(STAMP) lint typecheck
	$(BIN)/pytest -q -p no:cacheprovider

docs: $(STAMP)
	$(BIN)/vmdoctor checks docs -o docs/checks.md

bench: $(STAMP)
	$(BIN)/python benchmarks/scan/bench_scan.py

clean:
	rm -rf $(VENV) .build .pytest_cache .mypy_cache .ruff_cache
