# salto-analysis: the two commands a new user needs are `make briefing` and `make test`.
# Both create the virtual environment .venv on first use (or when pyproject.toml changed)
# and install the project into it; nothing else has to be installed by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YEAR   ?=
ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help briefing test test-fast lab sample dictionary bench clean-venv

help:  ## list the targets
	@echo "salto-analysis — make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo "Variables: YEAR=<reporting year> for make briefing (default: latest in the data); ARGS='...' passes extra options."

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "salto-analysis needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11 and retry.")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing salto-analysis and its dependencies into $(VENV) (first run takes a few minutes)..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

briefing: $(STAMP)  ## run the yearly briefing on data/sample/ (HTML in reports/<year>/)
	$(BIN)/salto-briefing $(if $(YEAR),--year $(YEAR)) $(ARGS)

test: $(STAMP)  ## run the whole test suite (unit, notebooks, briefing end to end)
	$(BIN)/python -m pytest $(ARGS)

test-fast: $(STAMP)  ## run the unit tests only (skips notebook and briefing runs)
	$(BIN)/python -m pytest -m "not slow" $(ARGS)

lab: $(STAMP)  ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

sample: $(STAMP)  ## regenerate the synthetic sample data in data/sample/
	$(BIN)/python -m salto_analysis.synth

dictionary: $(STAMP)  ## regenerate data/sample/DATA_DICTIONARY.md from the schemas
	$(BIN)/python -m salto_analysis.dictionary

bench: $(STAMP)  ## run the benchmarks (slow; see benchmarks/README.md)
	$(BIN)/python benchmarks/run_all.py $(ARGS)

clean-venv:  ## delete .venv (the next make target rebuilds it)
	rm -rf $(VENV)
