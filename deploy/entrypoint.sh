#!/usr/bin/env bash
# The image's commands. Every setting comes from the environment (docs/administrators.md).
#   web        gunicorn on :8000 (WEB_CONCURRENCY workers, default 3)
#   worker     the background task worker
#   scheduler  the five-minute and daily jobs, in a loop (DAILY_AT, default 02:30, UTC)
#   migrate    apply database migrations (once per upgrade, before the new version starts)
#   selfsigned write a self-signed TLS certificate for SITE_HOST into /certs, if none is there
#   anything else: run it (e.g. `talent-exchange createsuperuser`, `talent-exchange backup`)
set -euo pipefail

run_jobs() {
  for job in "$@"; do
    talent-exchange "$job" || echo "scheduler: $job failed (exit $?); it runs again next time" >&2
  done
}

case "${1:-web}" in
  web)
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
      rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    fi
    # No access log: gunicorn's would bypass the log redaction (docs/administrators.md, Logs).
    exec gunicorn talent_exchange.wsgi --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-3}" \
      --forwarded-allow-ips '*' --timeout 60 --graceful-timeout 30
    ;;
  worker)
    exec talent-exchange worker --no-startup-delay
    ;;
  scheduler)
    daily_at=${DAILY_AT:-02:30}
    last_daily=""
    while true; do
      run_jobs mark_stalled_runs send_notifications recover_tasks
      run_jobs send_session_reminders
      today=$(date -u +%F)
      if [ "$(date -u +%H:%M)" \> "$daily_at" ] && [ "$last_daily" != "$today" ]; then
        run_jobs send_reminders purge_expired_records expire_exports
        last_daily=$today
      fi
      sleep 300 &
      wait $!
    done
    ;;
  migrate)
    exec talent-exchange migrate --no-input
    ;;
  selfsigned)
    cert=/certs/tls.crt key=/certs/tls.key
    if [ -s "$cert" ] && [ -s "$key" ]; then echo "selfsigned: $cert exists"; exit 0; fi
    host=${SITE_HOST:-localhost}
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$host" \
      -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" \
      -keyout "$key" -out "$cert" 2>/dev/null
    chmod 644 "$cert" "$key"
    echo "selfsigned: wrote a certificate for $host (for local use only)"
    ;;
  *)
    exec "$@"
    ;;
esac
