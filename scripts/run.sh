#!/usr/bin/env bash
# `make run`: the web server, a Celery worker with embedded beat, and (later) the SMTP relay,
# all on SQLite and kombu's filesystem broker under var/. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/broker/queue var/broker/processed var/broker/control var/media

# Idempotent: fills an empty database, adds only what is missing otherwise.
LOGINS=$($PY manage.py seed_demo)

trap 'trap - EXIT INT TERM; kill 0 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
.venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
  --schedule=var/celerybeat-schedule >var/worker.log 2>&1 &
$PY manage.py runserver 127.0.0.1:8000 &

sleep 2
cat <<MSG

  AlphaDiscounters Seller Central is running at http://127.0.0.1:8000/
  Worker and beat log: var/worker.log · Ctrl-C stops everything.

  Demo logins (role email password):
$(echo "$LOGINS" | grep -E '^(seller|buyer|staff) ' | sed 's/^/    /')

MSG
wait
