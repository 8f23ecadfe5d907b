"""The contract agent: agreed negotiation → contract on the organization's template → manager approval (kind
`contract`, with the clause-by-clause difference from the standard template) → PDF rendered, hashed, stored and a
personal signing link sent to the creator.

Only the graph lives here (`state.py`, `nodes.py`, `graph.py`). The rules it applies are the contract domain's, in
`store/contracts/` (drafting, the approval's effect, issuing, signing) and `store/payments/` (payouts), which the API
and workers call directly too.
"""
