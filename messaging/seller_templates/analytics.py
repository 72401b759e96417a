"""Template analytics on Manage Templates (R23): how much each seller template is used, and how
often the case it answered needed nothing more from the buyer.

Messages link the template they were started from (`Message.template`, set by the send funnel),
so this reads messages: it lives in messaging, above templates_app, and computes everything in
one query for any number of templates.

For each template, over its uses in the last 30 days:

* `uses`: seller messages sent with it (stored, delivered or blocked: what the use count counts);
* `cases_answered`: cases it answered, counting only delivered messages sent at least 48 hours
  ago (before that, whether the buyer writes again is not known yet);
* `cases_settled`: of those cases, the ones where the buyer did not write again within 48 hours
  of any answer with this template.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef, Q

from accounts.models import SellerAccount
from cases.models import Direction, Outcome
from messaging.models import Message

WINDOW_DAYS = 30
SETTLED_HOURS = 48


@dataclass(frozen=True)
class TemplateAnalytics:
    uses: int = 0
    cases_answered: int = 0
    cases_settled: int = 0

    @property
    def settled_percent(self) -> int | None:
        """The share of answered cases the buyer did not write again on, in whole percent;
        None before any case can be judged."""
        if not self.cases_answered:
            return None
        return round(100 * self.cases_settled / self.cases_answered)


def template_analytics(
    *, seller: SellerAccount, template_ids: Iterable[int], now: datetime
) -> dict[int, TemplateAnalytics]:
    """The analytics of the seller's templates among `template_ids` (every id gets an entry).
    One query: the messages sent with them in the window, grouped by template, each with
    whether the buyer wrote on its case within 48 hours after it."""
    ids = list(template_ids)
    result = dict.fromkeys(ids, TemplateAnalytics())
    if not ids:
        return result
    judged_until = now - timedelta(hours=SETTLED_HOURS)
    buyer_wrote_again = Message.objects.filter(
        case=OuterRef("case"),
        direction=Direction.BUYER_TO_SELLER,
        created_at__gt=OuterRef("created_at"),
        created_at__lte=ExpressionWrapper(
            OuterRef("created_at") + timedelta(hours=SETTLED_HOURS),
            output_field=DateTimeField(),
        ),
    )
    answered = Q(created_at__lte=judged_until, outcome=Outcome.DELIVERED)
    rows = (
        Message.objects.filter(
            seller=seller,
            template_id__in=ids,
            direction=Direction.SELLER_TO_BUYER,
            created_at__gt=now - timedelta(days=WINDOW_DAYS),
            created_at__lte=now,
        )
        .annotate(buyer_wrote_again=Exists(buyer_wrote_again))
        .values("template_id")
        .annotate(
            uses=Count("id"),
            cases_answered=Count("case_id", distinct=True, filter=answered),
            cases_followed_up=Count(
                "case_id", distinct=True, filter=answered & Q(buyer_wrote_again=True)
            ),
        )
        .order_by()
    )
    for row in rows:
        result[row["template_id"]] = TemplateAnalytics(
            uses=row["uses"],
            cases_answered=row["cases_answered"],
            cases_settled=row["cases_answered"] - row["cases_followed_up"],
        )
    return result
