"""Sending a message: the one send funnel every message goes through, whatever its channel
(web forms, inbound email, periodic tasks), and what it reads.

- `services`: `message_send` and `message_check` (the funnel, its facts, its attachment files);
- `selectors`: R8's messages delivered today and the daily limit, R17's once per order;
- `drafts`: what the views of message forms share (the draft, the live check while typing).
"""
