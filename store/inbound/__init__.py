"""Raw inbound events: stored once per provider item, processed by the `inbound.process` actor."""
