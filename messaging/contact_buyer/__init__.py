"""Contact Buyer and Request a Review: the seller's messages about an order (R5, R6, R7, R3,
R17), and the platform texts they may start from (R23).

- `selectors`: the contact reasons an order offers, why either is closed;
- `services`: a platform text sent in the buyer's language, Request a Review, the automatic
  review requests (a periodic task);
- `forms`, `views`: the Contact Buyer page and the Request a Review button.
"""
