"""Pure helpers for inbound traffic: webhook signatures and payload parsing, email reply extraction, STOP words."""
