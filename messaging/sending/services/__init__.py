"""The one send funnel, the one door every message goes through: `message_send` (and
`message_check`, the same verdict without storing) take a `Draft`.

- `funnel`: the door itself, and storing what it lets through in one transaction;
- `facts`: the draft, who sends it where (its route), the facts the judge needs;
- `files`: attachment files on storage (removed when a send fails; the daily sweep);
- `subjects`: a stored subject fits its column, whatever was added to it.
"""

from messaging.sending.services.facts import Draft
from messaging.sending.services.funnel import message_check, message_send

__all__ = ["Draft", "message_check", "message_send"]
