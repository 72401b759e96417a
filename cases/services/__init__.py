"""Every write of the cases domain, split by what it writes. The messaging services call these
in the same transaction as each message; views, commands and tasks call them too.

- `opening`: a new case, its first history entry and its search text;
- `states`: state changes (SPEC section 3) and what each new message does to its case
  (`case_record_message`, the send funnel's one call into cases);
- `summary`: the inbox summary on the case row, one SQL statement for one case or thousands;
- `auto_close`: R10, closing quiet and resolved cases, and the warning the day before;
- `assignment`: a case's owner among the seller's members (issue 14).
"""

from cases.services.assignment import (
    ASSIGNED_CAUSE,
    AUTO_ASSIGNED_CAUSE,
    NOT_A_MEMBER_MSG,
    UNASSIGNED_CAUSE,
    case_assign,
    case_unassign,
)
from cases.services.auto_close import cases_auto_close, cases_closing_warn
from cases.services.opening import (
    case_open,
    case_record_opened,
    case_search_texts_fill,
    case_search_texts_write,
)
from cases.services.states import case_change_state_by_seller, case_record_message, case_transition
from cases.services.summary import case_summaries_refresh, case_summaries_refresh_id_range

__all__ = [
    "ASSIGNED_CAUSE",
    "AUTO_ASSIGNED_CAUSE",
    "NOT_A_MEMBER_MSG",
    "UNASSIGNED_CAUSE",
    "case_assign",
    "case_change_state_by_seller",
    "case_open",
    "case_record_message",
    "case_record_opened",
    "case_search_texts_fill",
    "case_search_texts_write",
    "case_summaries_refresh",
    "case_summaries_refresh_id_range",
    "case_transition",
    "case_unassign",
    "cases_auto_close",
    "cases_closing_warn",
]
