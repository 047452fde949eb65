# ldnkg: `make run` sets everything up and builds the graph; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SEED   ?= ../shared/seed/three-roles-of-ldn.txt
OUT    ?= build

.PHONY: run build test lint bench notebooks-strip clean interop

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[analysis,test]'
	touch $@

# The peers' own validators (kgx, bmt, owlready2 + HermiT, nanopub) in a venv of their own: kgx pins
# older dependencies than ldnkg. Tests that need it find it at .venv-interop (see tests/interop/).
INTEROP := .venv-interop

$(INTEROP)/.installed: tests/interop/requirements.txt tests/interop/constraints.txt
	$(PYTHON) -m venv $(INTEROP)
	$(INTEROP)/bin/python -m pip install --quiet -c tests/interop/constraints.txt -r tests/interop/requirements.txt
	touch $@

interop: $(INTEROP)/.installed

run: $(BIN)/.installed build

build: $(BIN)/.installed
	$(BIN)/ldnkg build --out $(OUT) $(if $(wildcard $(SEED)),--source $(SEED))

test: $(BIN)/.installed $(INTEROP)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/build_bench.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
