"""The marketplace's own notices about orders (R28, R29): receivers of `orders.events.order_event`
that queue an email through the outbound path, in the transaction of the change.

- to the buyer, From the marketplace, in the buyer's language: shipped, delivered, canceled,
  refunded, and each step of a return (`buyer`);
- to the seller's notification address: a new order, with the buyer alias and "do not ship"
  while Pending (`seller`).
"""
