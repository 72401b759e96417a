"""Reports and moderation (R15, R16, R25): what a party flags on a message it received, and what
staff do about it.

- `services.flags`: No Response Needed (R15) and Report Message (R16), from the pages and from
  the one-click links of copy emails;
- `services.decisions`: staff working through the reports queue (dismiss, warn a party), and
  the warned party putting a warning away;
- `admin`: the reports queue and the staff warnings in the staff admin;
- `dispute_file`: the staff "Dispute file" page (R25) and the button that links to it;
- `selectors`: the staff warnings a warned party sees, and the dispute file's reads;
- `forms`, `views`: Report Message, the report page of either party;
- `staff_groups`: the "Dispute Resolution" staff group (installed by migration messaging/0013).
"""
