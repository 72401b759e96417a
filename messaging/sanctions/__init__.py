"""Staff sanctions on a seller's messaging (R30; rules R35-R39): set and lifted in the admin,
enforced by the send funnel's judge (`messaging.policy.sanctions`), told to the seller's owner
(banner, email), lifted by beat at their end date, listed in the dispute file."""
