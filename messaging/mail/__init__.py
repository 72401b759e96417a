"""The email channel: reading inbound mail (parse) and the SMTP relay (relay)."""
