"""R10 auto-close at marketplace scale (issue 13): every Opened and Resolved case of a
`seed_scale` database made due at once, by running `cases_auto_close` at a moment far ahead.
It prints figures; it asserts nothing. It WRITES (the cases stay closed): run it on a copy.

    createdb -h 127.0.0.1 -U postgres -T h13p_scale h13p_close
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h13p_close .venv/bin/python bench/autoclose.py

Without --commit it runs in one transaction that is rolled back at the end instead (the
database is left as it was; the batches still lock and write every row).
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import load_average  # noqa: E402  (the root is on sys.path now)
from bench.in_process import django_setup  # noqa: E402


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commit", action="store_true", help="keep the closed cases")
    parser.add_argument("--days-ahead", type=int, default=3650)
    args = parser.parse_args()

    # No default database: it writes, so DATABASE_URL names the copy to run it on.
    django_setup(default_database=None)
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from cases.models import Case, CaseTransition
    from cases.services import cases_auto_close

    before = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    transitions = CaseTransition.objects.count()
    print(
        f"database {connection.settings_dict['NAME']}: cases by status {before}; "
        f"load {load_average()}"
    )
    far_future = timezone.now() + timedelta(days=args.days_ahead)
    started = time.perf_counter()
    try:
        with transaction.atomic():
            closed = cases_auto_close(now=far_future)
            took = time.perf_counter() - started
            after = dict(Case.objects.values_list("status").annotate(n=Count("id")))
            logged = CaseTransition.objects.count() - transitions
            if not args.commit:
                raise _Rollback
    except _Rollback:
        pass
    print(
        f"auto-close: {closed:,} cases closed in {took:.1f} s = {1000 * took / max(closed, 1):.2f} "
        f"ms per case ({logged:,} transitions logged; after: {after}; "
        f"{'committed' if args.commit else 'rolled back'}; load {load_average()})"
    )


if __name__ == "__main__":
    main()
