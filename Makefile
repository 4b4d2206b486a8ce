# The two commands of the README. Each creates .venv and installs what it needs (demo: only the demo's extras).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: demo test system-deps lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-demo: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[demo]'
	touch $@

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[all,test]'
	touch $@ $(VENV)/.installed-demo

demo: $(VENV)/.installed-demo
	$(PY) -m nerve.demo --out runs/demo

# What pip cannot give (Chromium, Debian's Fashion-MNIST): installed as root; otherwise their tests are skipped
# with the command that enables them, except under CI=true, where they must run.
system-deps:
	@sh .ci/system-deps

test: $(VENV)/.installed system-deps
	$(PY) -m pytest -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# needs: apt-get install dataset-fashion-mnist (the data) and torch 2.13.0 CPU (benchmark-only)
bench: $(VENV)/.installed
	$(PY) -m pip install -q torch==2.13.0
	$(PY) benchmarks/bench_mlp.py
	$(PY) benchmarks/bench_cnn.py

clean:
	rm -rf $(VENV) runs .pytest_cache
