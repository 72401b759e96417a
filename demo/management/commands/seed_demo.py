"""Demo data for `make run` and for benchmarks. Safe to run again: it only adds what is missing.

- `demo.reference`: categories, sellers, members, products, buyers, staff, orders;
- `demo.stories`: the demo cases and the sellers' own messages, played through the services;
- `demo.bulk`: `--orders N --cases N`, the benchmark top-up inserted in bulk.

Prints the demo logins as `<role> <email> <password>`, one a line (scripts/run.py reads them).
"""

import random
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from demo.bulk import bulk_cases_top_up, bulk_orders_top_up
from demo.reference import (
    DEMO_PASSWORD,
    OPTED_OUT_BUYERS,
    SELLERS,
    buyers_ensure,
    categories_ensure,
    email_channel_ensure,
    orders_ensure,
    sellers_ensure,
    staff_ensure,
)
from demo.shipping import demo_shipments_play
from demo.stories import demo_stories_play
from messaging.performance.services import response_metrics_compute


class Command(BaseCommand):
    help = (
        "Create demo sellers, buyers, staff, orders and buyer-seller cases (idempotent) and print "
        "the demo logins."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--orders",
            type=int,
            default=0,
            help="Make sure the first demo seller has at least this many orders, inserted in bulk "
            "(for benchmarks).",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            help="Make sure the first demo seller has at least this many cases, inserted in bulk "
            "with their messages (for benchmarks).",
        )
        parser.add_argument(
            "--messages-per-case",
            type=int,
            default=10,
            help="Messages in each case added by --cases (default 10).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed for demo data.")

    def handle(
        self,
        *args: Any,
        orders: int,
        cases: int,
        messages_per_case: int,
        seed: int,
        **options: Any,
    ) -> None:
        now = timezone.now()
        with transaction.atomic():
            sellers = sellers_ensure(categories_ensure())
            buyers = buyers_ensure()
            staff = staff_ensure()
            orders_ensure(random.Random(seed), sellers, buyers, now)
        demo_stories_play(sellers=sellers, buyers=buyers, now=now, seed=seed + 1)
        demo_shipments_play(seller=sellers[0], now=now)
        with transaction.atomic():
            email_channel_ensure(sellers[0])
        if orders:
            bulk_orders_top_up(random.Random(seed), sellers[0], buyers, orders)
        if cases:
            bulk_cases_top_up(random.Random(seed + 2), sellers[0], cases, messages_per_case)
        # The response-time dashboard shows the demo at once rather than after beat's first run.
        response_metrics_compute()
        self._print_logins(sellers, buyers, staff)

    def _print_logins(self, sellers: list[SellerAccount], buyers: list[User], staff: User) -> None:
        base_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
        self.stdout.write(f"Seller Central: {base_url}/  (sign in at {base_url}/accounts/login/)")
        for _, _, members, _ in SELLERS:
            for email, _, _ in members:
                self.stdout.write(f"seller {email} {DEMO_PASSWORD}")
        self.stdout.write(f"buyer {buyers[0].email} {DEMO_PASSWORD}")
        self.stdout.write(f"buyer {buyers[min(OPTED_OUT_BUYERS)].email} {DEMO_PASSWORD}")
        self.stdout.write(f"staff {staff.email} {DEMO_PASSWORD}")
