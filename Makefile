# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test test-slow bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q torch==2.13.0
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m torch7.demo

test: $(STAMP)
	$(BIN)/python -m pytest torch7 tests -q

test-slow: $(STAMP)
	$(BIN)/python -m pytest torch7 tests -q -m slow

bench: $(STAMP)
	$(BIN)/python benchmarks/tensor_ops.py
	$(BIN)/python benchmarks/nn_small.py
	$(BIN)/python benchmarks/optim_step.py
	$(BIN)/python benchmarks/convnet.py
	$(BIN)/python benchmarks/conv3x3.py
	$(BIN)/python benchmarks/serialization.py
	$(BIN)/python benchmarks/charrnn.py --memory
	$(BIN)/python benchmarks/th_startup.py
	$(BIN)/python benchmarks/autograd.py
	$(BIN)/python benchmarks/distributed.py

lint: $(STAMP)
	$(BIN)/ruff check torch7 tests benchmarks examples

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
