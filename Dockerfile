# syntax=docker/dockerfile:1
# Talent Exchange's image. Every build step is deploy/install.sh, which CI also runs outside a
# container (.ci/run → make image-check), so the image's recipe is tested on every change.
# Pinned base: an exact Python patch release on an exact Debian release. To move it, change
# this one line (and add @sha256:… of the tag your registry serves, to pin it byte for byte).
ARG BASE_IMAGE=python:3.11.14-slim-bookworm

# --- build: compilers are not needed (every dependency ships wheels), node/npm and gettext are
FROM ${BASE_IMAGE} AS build
ENV APP_DIR=/app VENV=/app/.venv STATIC_ROOT=/app/var/static \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHON=python3.11
WORKDIR /app
COPY deploy/install.sh deploy/install.sh
RUN BUILD=1 CLEAN_APT=1 deploy/install.sh system
COPY . .
RUN deploy/install.sh app && deploy/install.sh check \
    && rm -rf /root/.npm /app/.git /app/var/*.sqlite3*

# --- runtime: the Debian libraries WeasyPrint loads, the PostgreSQL client, no build tools
FROM ${BASE_IMAGE} AS runtime
COPY deploy/install.sh /tmp/install.sh
RUN CLEAN_APT=1 /tmp/install.sh system && rm /tmp/install.sh \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /certs /tmp/prometheus && chown app:app /certs /tmp/prometheus
COPY --from=build /app /app
RUN mkdir -p /app/var/exports && chown app:app /app/var /app/var/exports
ENV PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=talent_exchange.settings.production \
    STATIC_ROOT=/app/var/static \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
USER app:app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
