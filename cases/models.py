from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The tables the plain SQL of cases.services names; each model's Meta takes its name from here.
CASE_TABLE = "cases_case"
CASE_TRANSITION_TABLE = "cases_casetransition"
CASE_SEARCH_TEXT_TABLE = "cases_casesearchtext"
# The messages' table. `messaging.models.Message` lives a layer above and cases imports nothing
# from it: the inbox summary (cases.services) reads its messages by this name, in the vocabulary
# below (`Direction`, `Outcome`, `ResponseState`), which Message's columns use
# (tests/cases/test_message_table.py checks that Message is this table, with those columns).
MESSAGE_TABLE = "messaging_message"

# The case columns computed from its messages by the one statement in cases.services
# (`case_summaries_refresh`), and `needs_response`, which the database derives from them.
INBOX_SUMMARY_FIELDS = (
    "needs_response",
    "waiting_since",
    "responded",
    "has_no_response_needed",
    "has_sent",
    "reported",
    "message_count",
    "latest_message_at",
    "latest_direction",
    "latest_snippet",
    "latest_blocked_rule",
    "buyer_latest_at",
    "buyer_latest_snippet",
)
# Written with every refresh, beside the summary: when it was last recomputed (R21 metrics).
SUMMARY_STAMP_FIELD = "summary_changed_at"


# The vocabulary of a case's messages, which the inbox summary is computed from (the Message
# model itself lives in messaging, a layer above).


class Direction(models.TextChoices):
    BUYER_TO_SELLER = "b2s", "Buyer → seller"
    SELLER_TO_BUYER = "s2b", "Seller → buyer"


class Outcome(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    BLOCKED = "blocked", "Blocked"
    REJECTED = "rejected", "Rejected"
    HELD = "held", "Held for review"  # R37: stored, delivered only when staff release it


class ResponseState(models.TextChoices):
    """Where a buyer message stands on "Response Needed" (SPEC section 3)."""

    NEEDED = "needed", "Response needed"
    RESPONDED = "responded", "Responded"
    NO_RESPONSE_NEEDED = "no_response_needed", "No response needed"
    REPORTED = "reported", "Reported"
    NOT_APPLICABLE = "", "—"  # seller messages


# What a buyer may see of a case's messages: their own, and seller messages that reached them (a
# seller message blocked by the buyer's opt-out, R2, stays the seller's). Filters messages.
MESSAGES_VISIBLE_TO_BUYER = models.Q(direction=Direction.BUYER_TO_SELLER) | models.Q(
    outcome=Outcome.DELIVERED
)


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("Opened")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


_WAITING_AND_NOT_CLOSED = models.Q(waiting_since__isnull=False) & ~models.Q(
    status=CaseStatus.CLOSED
)


class Case(models.Model):
    """The messages about one customer-service event between a buyer and a seller.

    Besides its own facts, a case keeps what the inbox filters and sorts on, updated by the
    messaging services in the same transaction as each message (the inbox reads only cases).
    """

    class StartedBy(models.TextChoices):
        BUYER = "buyer", "Buyer"
        SELLER = "seller", "Seller"

    # No index of their own: every inbox index starts with the seller, the buyer's message
    # center index with the buyer (one index fewer to write each time the row changes).
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    relationship = models.ForeignKey(
        "accounts.Relationship", on_delete=models.PROTECT, related_name="cases"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # What an "Ask a question" case (R24) is about, when the buyer chose a product.
    product = models.ForeignKey(
        "orders.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # a partial index, below
    )
    contact_reason = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPENED)
    started_by = models.CharField(max_length=6, choices=StartedBy.choices)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Activity by the buyer or the seller (R10 counts from it; staff and tasks do not move it).
    last_activity_at = models.DateTimeField(default=timezone.now)
    # R10: the activity the buyer was warned about ("closes tomorrow unless you reply"); equal to
    # `last_activity_at` while that warning stands, so each quiet spell is warned about once.
    closing_warned_for = models.DateTimeField(null=True, blank=True)

    # ---- inbox summary (kept by cases.services.case_summaries_refresh)
    buyer_alias = models.CharField(max_length=64)
    order_number = models.CharField(max_length=19, blank=True)
    # When the oldest buyer message still waiting for a reply arrived; None when none waits.
    waiting_since = models.DateTimeField(null=True, blank=True)
    # "Response Needed": a buyer message waits and the case is not closed (a closed case takes
    # no reply). The one definition of the rule, computed by the database on every write of the
    # row, so a state change or auto-close never has to set it.
    needs_response = models.GeneratedField(
        expression=_WAITING_AND_NOT_CLOSED,  # type: ignore[arg-type]  # a Q, which Django takes
        output_field=models.BooleanField(),
        db_persist=True,
    )
    responded = models.BooleanField(default=False)
    has_no_response_needed = models.BooleanField(default=False)
    has_sent = models.BooleanField(default=False)
    reported = models.BooleanField(default=False)
    message_count = models.PositiveIntegerField(default=0)
    latest_message_at = models.DateTimeField(null=True, blank=True)
    latest_direction = models.CharField(max_length=3, blank=True)
    latest_snippet = models.CharField(max_length=200, blank=True)
    # The rule that blocked the latest message (e.g. "R2"); empty when it was delivered.
    latest_blocked_rule = models.CharField(max_length=8, blank=True)
    # The buyer's message center shows only what reached the buyer (no blocked seller messages).
    buyer_latest_at = models.DateTimeField(null=True, blank=True)
    buyer_latest_snippet = models.CharField(max_length=200, blank=True)
    # When any message of the case last changed (stored, answered, flagged), its state or its
    # owner did: the response-time metrics (R21) recompute the days of cases changed since their
    # last run, and the live inbox (issue 14) counts the cases changed since it was shown.
    summary_changed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The member of the seller who owns the case (issue 14), or nobody. Set and cleared only by
    # cases.services.case_assign / case_unassign (and the auto-assign when a member replies).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index, below
    )

    class Meta:
        db_table = CASE_TABLE
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            # The default inbox: Response Needed, oldest waiting first.
            models.Index(
                fields=["seller", "waiting_since", "id"],
                condition=models.Q(needs_response=True),
                name="case_inbox_response_needed",
            ),
            models.Index(fields=["seller", "-latest_message_at", "-id"], name="case_inbox_all"),
            # "Reported" and "No Response Needed": a few percent of the cases, which the other
            # indexes would find only by walking all of the seller's cases (issue 13).
            models.Index(
                fields=["seller", "-latest_message_at", "-id"],
                condition=models.Q(reported=True),
                name="case_inbox_reported",
            ),
            models.Index(
                fields=["seller", "-latest_message_at", "-id"],
                condition=models.Q(has_no_response_needed=True),
                name="case_inbox_no_response",
            ),
            models.Index(
                fields=["seller", "status", "-latest_message_at", "-id"], name="case_inbox_status"
            ),
            # "Assigned to me" and "Unassigned" (assigned_to IS NULL also uses it).
            models.Index(
                fields=["seller", "assigned_to", "-latest_message_at", "-id"],
                name="case_inbox_assigned",
            ),
            # The live inbox: "what changed since" is a range scan of one seller's entries.
            models.Index(fields=["seller", "summary_changed_at"], name="case_inbox_changes"),
            models.Index(fields=["buyer", "-buyer_latest_at"], name="case_buyer_center"),
            # Partial indexes from here on: a row outside the condition (a closed case, a case
            # with no product or owner: most of them) adds no entry when it is written, and
            # every write of a case row is a new version with an entry in each index (issue 13).
            # R10: the cases that can still close, by when they went quiet or were resolved.
            models.Index(
                fields=["last_activity_at"],
                condition=models.Q(status=CaseStatus.OPENED),
                name="case_auto_close",
            ),
            models.Index(
                fields=["status_changed_at"],
                condition=models.Q(status=CaseStatus.RESOLVED),
                name="case_resolved_close",
            ),
            # The foreign keys' own lookups (deleting a product, a member leaving).
            models.Index(
                fields=["product"], condition=models.Q(product__isnull=False), name="case_product"
            ),
            models.Index(
                fields=["assigned_to"],
                condition=models.Q(assigned_to__isnull=False),
                name="case_assigned_to",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}: {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseSearchText(models.Model):
    """What inbox search matches on a case besides the text of its messages: the buyer alias,
    order ID and subject, copied from the case when it opens (they never change). They sit in a
    table of their own with the trigram index (cases/0011) so that the case row, written again
    on every message, flag and state change, does not carry that index: each new version of a
    row adds an entry to every index of its table, and the trigram index was half of what
    closing cases cost (issue 13, bench/README.md). Written by `cases.services.case_open` and
    the bulk loaders through `case_search_texts_write` / `case_search_texts_fill`."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="search_text"
    )
    # Searches are always within one seller; the trigram index finds the rows, this filters.
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    buyer_alias = models.CharField(max_length=64)
    order_number = models.CharField(max_length=19, blank=True)
    subject = models.CharField(max_length=200)

    class Meta:
        db_table = CASE_SEARCH_TEXT_TABLE

    def __str__(self) -> str:
        return f"Search text of case {self.case_id}"


class CaseTransition(models.Model):
    """The history of a case: every state change (who or what made it, when, from and to) and,
    as entries of their own kind, every assignment to a member and unassignment. An assignment
    entry leaves the state as it was (`from_status` = `to_status`)."""

    class Kind(models.TextChoices):
        STATUS = "status", "State change"
        ASSIGNED = "assigned", "Assigned"
        UNASSIGNED = "unassigned", "Unassigned"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    from_status = models.CharField(max_length=10, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What made the change when no person did, or how: "buyer reply", "auto-close after 14 days".
    cause = models.CharField(max_length=120)
    # Assignment entries: the member the case was assigned to, or taken from when unassigned.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = CASE_TRANSITION_TABLE
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        if self.kind != self.Kind.STATUS:
            return f"{self.case_id}: {self.get_kind_display().lower()} ({self.cause})"
        return f"{self.case_id}: {self.from_status or '—'} → {self.to_status} ({self.cause})"
