# Talent Exchange: two commands do all the set-up.
#   make demo   – install, migrate an embedded SQLite database, load demo data, serve
#   make test   – install what the tests need and run the whole suite
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Set TEST_POSTGRES_URL (as .ci/run does) to run the suite a second time on PostgreSQL.
TEST_POSTGRES_URL ?=
PYTEST_ARGS ?= -n 2

.PHONY: demo test install system-libs gettext messages lint typecheck check-deploy image-check chromium lock bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required (looked for $(PYTHON))."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is required: apt-get install -y npm (or install Node.js 20)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian libraries that WeasyPrint (agreement PDFs) loads at run time.
SYSTEM_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

system-libs:
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p | grep -q 'libharfbuzz-subset.so.0'; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's $(SYSTEM_LIBS) for PDF rendering…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_LIBS) >/dev/null; \
	  else \
	    echo "PDF rendering needs Debian packages. Run: sudo apt-get install -y $(SYSTEM_LIBS)"; \
	    exit 1; \
	  fi; \
	fi

# Debian's GNU gettext: `compilemessages` (and `makemessages`) need msgfmt.
gettext:
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's gettext for the translations…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "The translations need Debian's gettext. Run: sudo apt-get install -y gettext"; \
	    exit 1; \
	  fi; \
	fi

# The compiled catalogues (*.mo) are build artefacts, made from the committed *.po files.
messages: gettext $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=talent_exchange.settings.test $(PY) manage.py compilemessages -v 0 \
	  --ignore=.venv --ignore=node_modules --ignore=var --ignore=.git

install: system-libs $(VENV)/.installed node_modules/.installed messages

demo: install
	DJANGO_SETTINGS_MODULE=talent_exchange.settings.local $(PY) manage.py migrate --no-input -v 0
	DJANGO_SETTINGS_MODULE=talent_exchange.settings.local $(PY) manage.py seed_demo
	@echo "Starting the task worker and the web server on http://127.0.0.1:$(PORT)/ (Ctrl-C stops both)."
	@DJANGO_SETTINGS_MODULE=talent_exchange.settings.local $(PY) manage.py worker & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DJANGO_SETTINGS_MODULE=talent_exchange.settings.local $(PY) manage.py runserver 127.0.0.1:$(PORT)

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium. Run: sudo apt-get update && sudo apt-get install -y chromium"; \
	    exit 1; \
	  fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs (configuration in pyproject.toml): strict for the matching engine and
# every services module, the default level elsewhere.
typecheck: install
	$(VENV)/bin/mypy

check-deploy: install
	DJANGO_SETTINGS_MODULE=talent_exchange.settings.production DEMO_MODE=false \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  ALLOWED_HOSTS=talent-exchange.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=talent_exchange.settings.test $(PY) manage.py makemigrations --check --dry-run

# The container image's build steps (deploy/install.sh, what the Dockerfile runs), run outside
# a container on a copy of the tree (as the image's build context: .dockerignore's exclusions),
# into a fresh virtualenv, then checked (settings, check --deploy, a PDF, static files).
IMAGE_CHECK_DIR ?= $(or $(TMPDIR),/tmp)/talent-exchange-image-check
image-check:
	rm -rf $(IMAGE_CHECK_DIR) && mkdir -p $(IMAGE_CHECK_DIR)
	tar -c --exclude=./.git --exclude=./.venv --exclude=./node_modules --exclude=./var \
	  --exclude='*.mo' --exclude='__pycache__' . | tar -x -C $(IMAGE_CHECK_DIR)
	APP_DIR=$(IMAGE_CHECK_DIR) VENV=$(IMAGE_CHECK_DIR)/.venv STATIC_ROOT=$(IMAGE_CHECK_DIR)/var/static \
	  PYTHON=$(PYTHON) $(IMAGE_CHECK_DIR)/deploy/install.sh all
	rm -rf $(IMAGE_CHECK_DIR)

# The suite keeps its bytecode (a container image's PYTHONDONTWRITEBYTECODE would have every
# worker and subprocess compile the project again: about 5 CPU-s a process).
test: install chromium lint typecheck check-deploy
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/pytest $(PYTEST_ARGS)
	@if [ -n "$(TEST_POSTGRES_URL)" ]; then \
	  echo "== test suite on PostgreSQL =="; \
	  DATABASE_URL="$(TEST_POSTGRES_URL)" env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/pytest $(PYTEST_ARGS); \
	fi

lock:
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

bench: install
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(PY) bench/matching_bench.py

clean:
	rm -rf $(VENV) node_modules var
