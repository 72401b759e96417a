"""The seller's inbox ("Buyer-Seller Messages"): the hot page.

- `selectors`: one page of cases under a filter, searched or not, in one plain statement (the
  inbox reads the case rows only); the counts and lines above the list (R4 notices, R16
  warnings);
- `presentation`: each case row built in Python, the owner of each case, the live poller;
- `forms`: the filter and the search;
- `views`: the inbox, its live "N new" poll, the "not delivered" notices (R4) and dismissing
  them, dismissing a staff warning (R16);
- `services`: the R4 notices, created by the send funnel, put away by the seller.
"""
