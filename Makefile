# kenshu: `make demo` runs the main job on the bundled examples; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KENSHU := $(VENV)/bin/kenshu
PLUGINS := $(sort $(dir $(wildcard plugins/*/pyproject.toml)))
DEMO := out/demo

.PHONY: venv demo test lint bench clean

$(VENV)/.installed: pyproject.toml requirements-test.txt $(wildcard plugins/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e . $(addprefix -e ,$(PLUGINS)) -r requirements-test.txt
	touch $@

venv: $(VENV)/.installed

demo: venv
	@rm -rf $(DEMO) && mkdir -p $(DEMO)/examples $(DEMO)/reports
	@$(KENSHU) examples -o $(DEMO)/examples > /dev/null
	@for f in $(DEMO)/examples/*.xlsx; do \
	  name=$$(basename $$f .xlsx); \
	  echo "== $$name"; \
	  $(KENSHU) validate $$f --annotate $(DEMO)/reports/$$name-annotated.xlsx > $(DEMO)/reports/$$name-findings.txt; \
	  head -n 1 $(DEMO)/reports/$$name-findings.txt; \
	  $(KENSHU) report $$f -o $(DEMO)/reports/$$name-report.xlsx | sed 's/^/   /'; \
	  $(KENSHU) report $$f --json > $(DEMO)/reports/$$name-report.json; \
	  $(KENSHU) convert $$f $(DEMO)/reports/$$name.json > /dev/null; \
	  true; \
	done
	@echo ""
	@echo "Outputs are in $(CURDIR)/$(DEMO)/reports:"
	@ls -1 $(DEMO)/reports | sed 's/^/  /'

test: venv
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# Benchmarks (not tests): kenshu against the floors and peers; writes bench/RESULTS.md.
# Generated workbooks are kept in out/bench/. BENCH_ARGS="--sizes 1000,10000" for a short run.
bench: venv
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out build *.egg-info
