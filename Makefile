# The two commands of the README. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: demo test lint bench clean docs

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[all,test]'
	touch $@

demo: $(VENV)/.installed
	$(PY) -m nerve.demo --out runs/demo

test: $(VENV)/.installed
	$(PY) -m pytest -q

# the tutorial site into site/ (tests/test_docs.py builds it too, so `make test` covers it)
docs: $(VENV)/.installed
	$(PY) -m mkdocs build --strict

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# needs: apt-get install dataset-fashion-mnist (the data) and torch 2.13.0 CPU (benchmark-only)
bench: $(VENV)/.installed
	$(PY) -m pip install -q torch==2.13.0
	$(PY) benchmarks/bench_mlp.py
	$(PY) benchmarks/bench_cnn.py

clean:
	rm -rf $(VENV) runs .pytest_cache site
