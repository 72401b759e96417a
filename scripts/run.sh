#!/usr/bin/env bash
# `make run`: the web server, a Celery worker with embedded beat, and the SMTP relay for the
# alias domain, all on SQLite and kombu's filesystem broker under var/. Outbound mail is written
# to var/mail/ (config/settings/local.py). Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/broker/queue var/broker/processed var/broker/control var/media var/mail
RELAY_PORT=${RELAY_PORT:-2525}

# Idempotent: fills an empty database, adds only what is missing otherwise.
LOGINS=$($PY manage.py seed_demo)

trap 'trap - EXIT INT TERM; kill 0 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
.venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
  --schedule=var/celerybeat-schedule >var/worker.log 2>&1 &
$PY manage.py runmailrelay --host 127.0.0.1 --port "$RELAY_PORT" >var/relay.log 2>&1 &
$PY manage.py runserver 127.0.0.1:8000 &

sleep 2
cat <<MSG

  AlphaDiscounters Seller Central is running at http://127.0.0.1:8000/
  Worker and beat log: var/worker.log · Ctrl-C stops everything.

  Mail relay (inbound, the alias domain): smtp://127.0.0.1:$RELAY_PORT · log: var/relay.log
  Outbound mail is not sent: each email is a file under var/mail/, and staff see every one
  at http://127.0.0.1:8000/admin/messaging/outboundemail/ (README, "Email").

  Demo logins (role email password):
$(echo "$LOGINS" | grep -E '^(seller|buyer|staff) ' | sed 's/^/    /')

MSG
wait
