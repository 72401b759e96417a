"""The writes of reports and moderation: `flags` (what a party marks on a message it received)
and `decisions` (what staff decide on a report)."""
