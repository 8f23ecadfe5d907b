"""Contract templates, terms, clause diffs and PDF rendering (contracts, signature audit pages, invoices)."""
