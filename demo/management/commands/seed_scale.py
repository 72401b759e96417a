"""A data set like a real marketplace for benchmarks (demo/scale.py), in minutes:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h13s_scale \\
        .venv/bin/python manage.py seed_scale              # 1,000,000 messages
    ... seed_scale --scale 0.01                            # a quick run: 10,000 messages

Into the database of DATABASE_URL (migrated first); meant for an empty database. Prints the large
seller's owner login at the end (every user has that password).
"""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from accounts.models import SellerAccount
from demo.scale import LARGE_OWNER_EMAIL, LARGE_SLUG, SCALE_PASSWORD, scale_seed, vacuum_analyze


class Command(BaseCommand):
    help = "Build a marketplace-sized data set for benchmarks (bench/pages.py); see demo/scale.py."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Fraction of the full size (1: 1,000 sellers, 200,000 buyers, 1,000,000 orders, "
            "300,000 cases, 1,000,000 messages); 0.01 for a quick run.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument("--no-migrate", action="store_true", help="Do not run migrate first.")
        parser.add_argument(
            "--no-vacuum", action="store_true", help="Skip VACUUM ANALYZE at the end."
        )

    def handle(
        self, *args: Any, scale: float, seed: int, no_migrate: bool, no_vacuum: bool, **options: Any
    ) -> None:
        if not no_migrate:
            call_command("migrate", verbosity=0)
        started = time.perf_counter()
        if SellerAccount.objects.filter(slug=LARGE_SLUG).exists():
            self.stdout.write("The scale data set is already in this database; nothing added.")
        else:
            result = scale_seed(scale=scale, seed=seed, log=self.stderr.write)
            for model, count in result.counts.items():
                self.stdout.write(f"{model:<22} {count:>10,}")
            phases = ", ".join(f"{k} {v:.0f} s" for k, v in result.seconds.items())
            self.stdout.write(f"phases: {phases}")
            if not no_vacuum and not connection.in_atomic_block:
                self.stderr.write("VACUUM ANALYZE")
                vacuum_analyze()
        self.stdout.write(f"built in {time.perf_counter() - started:.0f} s")
        self.stdout.write(f"seller {LARGE_OWNER_EMAIL} {SCALE_PASSWORD}")
