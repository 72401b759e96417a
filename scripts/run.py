"""`make run`: the web server, a Celery worker with embedded beat and the SMTP relay for the alias
domain, on PostgreSQL (DATABASE_URL, else the embedded server under var/postgres, started here
and stopped last) and kombu's filesystem broker under var/. Outbound mail is written to var/mail/
(config/settings/local.py). Ctrl-C stops them all; a process that dies stops the rest too."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.embedded_postgres import Cluster, ensure_running  # noqa: E402
from scripts.commands import MANAGE, celery_worker_command, manage, relay_command  # noqa: E402
from scripts.processes import Processes  # noqa: E402

VAR = ROOT / "var"
EMBEDDED = VAR / "postgres"
WEB_PORT = 8000
RELAY_PORT = int(os.environ.get("RELAY_PORT", "2525"))


def banner(logins: str) -> str:
    roles = ("seller", "buyer", "staff")
    shown = "\n".join(f"    {line}" for line in logins.splitlines() if line.split(" ")[0] in roles)
    return f"""
  AlphaDiscounters Seller Central is running at http://127.0.0.1:{WEB_PORT}/
  Database: {os.environ["DATABASE_URL"]}
  Logs: var/web.log (the web server), var/worker.log (Celery worker and beat), var/relay.log.
  Ctrl-C stops everything.

  Mail relay (inbound, the alias domain): smtp://127.0.0.1:{RELAY_PORT}
  Outbound mail is not sent: each email is a file under var/mail/, and staff see every one
  at http://127.0.0.1:{WEB_PORT}/admin/messaging/outboundemail/ (README, "Email").

  Demo logins (role email password):
{shown}
"""


def main() -> int:
    for folder in ("broker/queue", "broker/processed", "broker/control", "media", "mail"):
        (VAR / folder).mkdir(parents=True, exist_ok=True)
    started_database = False
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"], started_database = ensure_running(EMBEDDED)
    processes = Processes(VAR, cwd=ROOT)
    try:
        env = dict(os.environ)
        manage("migrate", "--noinput", env=env, timeout=600)
        # Idempotent: fills an empty database, adds only what is missing otherwise.
        logins = manage("seed_demo", env=env, timeout=600)
        schedule = f"--schedule={VAR / 'celerybeat-schedule'}"
        worker = celery_worker_command("--beat", "--loglevel=INFO", "--concurrency=2", schedule)
        processes.start("worker", worker, env)
        processes.start("relay", relay_command(RELAY_PORT), env)
        processes.start("web", [*MANAGE, "runserver", f"127.0.0.1:{WEB_PORT}"], env)
        print(banner(logins), flush=True)
        while not processes.dead():
            time.sleep(0.5)
        for name in processes.dead():
            print(f"{name} stopped unexpectedly; its log (var/{name}.log) ends:", file=sys.stderr)
            print(processes.log(name)[-2000:], file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("\nStopping…", flush=True)
        processes.stop_all(timeout=15)
        if started_database:
            Cluster(EMBEDDED).stop()
            print("Stopped the embedded PostgreSQL.")


if __name__ == "__main__":
    sys.exit(main())
