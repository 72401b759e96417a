"""The email channel (SPEC section 5): buyers and sellers writing from their own mail client.

- `relay`: the SMTP relay (`manage.py runmailrelay`), which stores raw mail and says 250;
- `parse`: reading a raw mail (charsets, headers, the text and the attachments);
- `services.inbound`: storing a mail, then turning it into a message through the send funnel;
- `services.outbound`: every email we send, first a row, then sent by a task after commit;
- `services.permissions`: the addresses a seller may write from (R11);
- `selectors`: a seller's approved addresses, and where its copies go (R22);
- `views`: the inbound webhook, the one-click links of copy emails, Messaging Permissions;
- `admin`: inbound mail, outbound email and messaging permissions in the staff admin.

Background work is queued through `messaging.jobs`, never by importing `messaging.tasks`.
"""
