"""Issue 13: `make prod-check` (scripts/prod_check.py) starts the production stack of
deploy/Procfile on PostgreSQL and Redis, signs in, loads the inbox, sends a message, sees the
worker email it and stops everything. Here on a private PostgreSQL cluster and the local Redis."""

import subprocess
import sys

from tests.integration.conftest import ROOT, subprocess_env


def test_prod_check_passes_on_postgresql_and_redis(private_postgres, redis_url):
    redis_server = redis_url.rsplit("/", 1)[0]
    env = subprocess_env(
        PRODCHECK_POSTGRES=f"postgres://postgres@127.0.0.1:{private_postgres.port}",
        PRODCHECK_REDIS=redis_server,
    )
    env.pop("DJANGO_SETTINGS_MODULE")
    result = subprocess.run(  # noqa: S603  (this interpreter, our script)
        [sys.executable, str(ROOT / "scripts" / "prod_check.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "prod-check: OK" in output
    for step in (
        "buyer: sign in, write to the seller about the order",
        "seller: sign in, load the inbox, open the case, reply",
        "worker: the reply's email is sent to the buyer through SMTP",
        "sessions: in the Redis cache (cached_db)",
    ):
        assert f"prod-check: {step}" in output
    # Every process of the Procfile was started and stopped.
    assert "stopped web, worker, beat, relay" in output
