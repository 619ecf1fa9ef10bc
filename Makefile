# Two entry points for a fresh machine (only Python 3.11 needed):
#   make demo   - run the main job on the bundled sample plan
#   make test   - lint and run the test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench workbook dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/xltools demo --out 演示输出

# ruff, then the architecture contract (pyproject.toml [tool.importlinter])
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# -n 2: two test processes (xdist); -rs: list every skipped test with its reason
test: lint
	$(BIN)/pytest -q -p no:cacheprovider -n 2 -rs

bench: $(STAMP)
	$(BIN)/python bench/plan.py
	$(BIN)/python bench/merge.py 100 1000 10000 --runs 3
	$(BIN)/python bench/excel_calls.py
workbook: $(STAMP)
	$(BIN)/python workbooks/build.py

# the offline install bundle for Windows PCs: dist/xltools-offline/ and its .zip (downloads wheels)
dist: $(STAMP)
	$(BIN)/python scripts/make_dist.py

clean:
	rm -rf $(VENV) 演示输出
