"""The email channel's writes: `inbound` (mail in), `outbound` (email out), `permissions`
(approved sender addresses, R11). The send funnel itself is `messaging.sending.services`."""
