"""One case's page: the seller's, with the team inbox, and the message cards both parties' case
pages print.

- `selectors`: the case and its messages in plain statements, the scopes a party may act in
  (cases, messages, attachments), what another member sent meanwhile, an order's cases;
- `cards`: the message card, one definition for the seller's and the buyer's case pages;
- `views`: the seller's case page, replying, Resolve/Close/Reopen, No Response Needed (R15)
  and Report Message (R16);
- `team`, `team_context`: its live updates, presence and assignment (issue 14);
- `attachments`: downloading an attachment (R13: the two parties and staff).
"""
