"""The buyer's side: the message center, the buyer's case page, reporting a seller message,
contacting the seller about an order, the storefront and "Ask a question" (R24). Pages in the
buyer's language (accounts.language).

- `selectors`: the cases that reached the buyer;
- `presentation`: the message center's rows;
- `forms`, `views`: the pages.

The buyer's message cards are `messaging.case_page.cards`; what the buyer sends goes through
the send funnel (`messaging.sending.services`).
"""
