# ldnkg: `make run` sets everything up and builds the graph; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SEED   ?= ../shared/seed/three-roles-of-ldn.txt
OUT    ?= build

.PHONY: run build test lint bench notebooks-strip clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[analysis,test]'
	touch $@

run: $(BIN)/.installed build

build: $(BIN)/.installed
	$(BIN)/ldnkg build --out $(OUT) $(if $(wildcard $(SEED)),--source $(SEED))

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/build_bench.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
