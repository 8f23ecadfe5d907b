"""The contract agent and the contract workflow after a negotiation is agreed.

The graph (`state.py`, `nodes.py`, `graph.py`): agreed terms → contract from the organization's template → manager
approval (kind `contract`, with the clause-by-clause difference from the standard template) → PDF rendered, hashed,
stored and a personal signing link sent to the creator.

The other modules are the workflow services that combine the store with the document, e-signature and payment
tools (the store can't import tools, so they live here, above both): `effects.py` (what a contract approval
commits), `issuing.py` (PDF + signing link), `signing.py` (view, sign, countersign), `payouts.py` (process an
approved payment: one payout, one invoice, notifications). API routers and workers call them.
"""
