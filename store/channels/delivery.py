"""The delivery status model shared by every channel, and the pure rule that merges out-of-order updates.

    queued → sent → delivered → read        failed(+reason) from queued or sent

Providers deliver status callbacks at least once and in any order (WhatsApp may report `read` before
`delivered`). `advance_status` therefore only moves forwards along the ladder and ignores stale updates.

`failed` is terminal with one exception: a later `delivered` or `read` receipt wins over it, because a
receipt from the recipient's device proves the message arrived (a failure reported for an earlier attempt,
or a provider reporting a transient failure before the device acknowledged, must not hide that). A `failed`
that arrives after `delivered`/`read` is ignored for the same reason. `sent` never overrides `failed`.
"""

from __future__ import annotations

import enum


class DeliveryStatus(enum.StrEnum):
    queued = "queued"
    sent = "sent"
    delivered = "delivered"
    read = "read"
    failed = "failed"


_RANK = {DeliveryStatus.queued: 0, DeliveryStatus.sent: 1, DeliveryStatus.delivered: 2, DeliveryStatus.read: 3}
_RECEIPTS = {DeliveryStatus.delivered, DeliveryStatus.read}


def advance_status(current: DeliveryStatus | str, incoming: DeliveryStatus | str) -> DeliveryStatus:
    """The status after applying `incoming` to `current`; equal to `current` when the update is stale."""
    current, incoming = DeliveryStatus(current), DeliveryStatus(incoming)
    if current == DeliveryStatus.failed:
        return incoming if incoming in _RECEIPTS else current
    if incoming == DeliveryStatus.failed:
        return current if current in _RECEIPTS else incoming
    return incoming if _RANK[incoming] > _RANK[current] else current


def parse_status(value: str) -> DeliveryStatus | None:
    """A provider's status word as ours (`"deleted"`, `"warning"` and other extras → None: not tracked)."""
    try:
        return DeliveryStatus(value.lower())
    except ValueError:
        return None
