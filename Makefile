# Both entry points build the local virtualenv on first use; only PyPI is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck pytest bench test-spark messages docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "emurules needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/emurules check examples/law-2022/criteria.emu
	$(BIN)/emurules rank examples/law-2022/criteria.emu --data examples/law-2022/data --top 5

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests examples tools benchmarks
	$(BIN)/ruff format --check src tests examples tools benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

pytest: $(STAMP)
	$(BIN)/pytest

# Not part of `make test`; options go in BENCH, e.g. make bench BENCH="--budget 600".
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH)

# Opt-in, not part of `make test` nor CI: the Spark SQL run on a local Spark session and
# compared with the row engine (tests/engine/sql/test_spark.py). Needs Java (17).
test-spark: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	EMURULES_SPARK=1 $(BIN)/pytest tests/engine/sql/test_spark.py

# The documentation site, into site/ (tests/test_docs_site.py builds it with --strict too).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The .mo catalogues are committed; a test fails when one is older than its .po sources.
messages: $(STAMP)
	$(BIN)/python tools/messages.py

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache .hypothesis
