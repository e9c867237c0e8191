#!/usr/bin/env bash
# The build steps of the container image (Dockerfile), also run by CI outside a container
# (.ci/run), so that what the image does is tested on every change.
#
#   deploy/install.sh system   Debian packages the app needs at run time: WeasyPrint's
#                              libraries and fonts, the PostgreSQL client (back-ups).
#                              With BUILD=1 also what building needs: node/npm, gettext.
#   deploy/install.sh app      Into $VENV: the locked Python dependencies (hashes checked) and
#                              the app; npm packages; compiled translations; static files
#                              collected into $STATIC_ROOT.
#   deploy/install.sh check    The result works: production settings load and pass
#                              `check --deploy`, a PDF renders, static files are in place.
#
# Variables: APP_DIR (the checkout; default: this script's repository), VENV (default
# $APP_DIR/.venv), STATIC_ROOT (default $APP_DIR/var/static), PYTHON (default python3.11).
# Runs as root (apt) or, for `app` and `check`, as any user who can write APP_DIR and VENV.
set -euo pipefail

APP_DIR=${APP_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
VENV=${VENV:-$APP_DIR/.venv}
PYTHON=${PYTHON:-python3.11}
export STATIC_ROOT=${STATIC_ROOT:-$APP_DIR/var/static}
RUNTIME_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core ca-certificates"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing_packages() {
  local wanted=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || wanted+=("$p")
  done
  echo "${wanted[@]:-}"
}

system() {
  # Libraries are looked for as Debian packages; tools by their command, so a machine that has
  # them from elsewhere (Node.js from NodeSource, a newer PostgreSQL client) is left alone.
  # shellcheck disable=SC2086
  local wanted; wanted=$(missing_packages $RUNTIME_PACKAGES)
  command -v pg_dump >/dev/null && command -v pg_restore >/dev/null || wanted="$wanted postgresql-client"
  if [ "${BUILD:-0}" = 1 ]; then
    command -v npm >/dev/null || wanted="$wanted nodejs npm"
    command -v msgfmt >/dev/null || wanted="$wanted gettext"
    command -v "$PYTHON" >/dev/null || wanted="$wanted python3 python3-venv"
  fi
  wanted=$(echo $wanted)
  if [ -z "$wanted" ]; then echo "install.sh: Debian packages present."; return; fi
  echo "install.sh: installing Debian packages: $wanted"
  as_root apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $wanted >/dev/null
  if [ "${CLEAN_APT:-0}" = 1 ]; then as_root rm -rf /var/lib/apt/lists/*; fi
}

app() {
  cd "$APP_DIR"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps \
    -r requirements.lock
  # Editable: the settings find node_modules/ beside the package, as in a checkout.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -e .
  npm ci --no-audit --no-fund --loglevel=error
  build_env "$VENV/bin/talent-exchange" compilemessages -v 0 \
    --ignore=.venv --ignore=node_modules --ignore=var --ignore=.git
  build_env "$VENV/bin/talent-exchange" collectstatic --no-input -v 0
}

# The production settings with throw-away values: building needs no secret and no database.
build_env() {
  env DJANGO_SETTINGS_MODULE=talent_exchange.settings.production \
    SECRET_KEY="build-only-$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    ALLOWED_HOSTS=build.invalid DATABASE_URL="sqlite:///$(mktemp -u)" SITE_URL=https://build.invalid \
    LOG_FORMAT=plain "$@"
}

check() {
  cd /
  build_env "$VENV/bin/talent-exchange" check --deploy --fail-level WARNING
  build_env "$VENV/bin/python" - <<'PY'
import django
django.setup()
from pathlib import Path
from django.conf import settings
from weasyprint import HTML
pdf = HTML(string="<h1>Talent Exchange</h1><p>Accords de placement — é à ç</p>").write_pdf()
assert pdf.startswith(b"%PDF"), "WeasyPrint did not render a PDF"
manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
assert manifest.exists(), f"static files were not collected into {settings.STATIC_ROOT}"
print(f"install.sh check: settings load, a PDF renders ({len(pdf)} bytes), static files in {settings.STATIC_ROOT}.")
PY
  command -v pg_dump >/dev/null && command -v pg_restore >/dev/null \
    || { echo "install.sh: pg_dump/pg_restore missing (postgresql-client)"; exit 1; }
}

case "${1:-all}" in
  system) system ;;
  app) app ;;
  check) check ;;
  all) BUILD=1 system; app; check ;;
  *) echo "usage: $0 [system|app|check|all]" >&2; exit 2 ;;
esac
