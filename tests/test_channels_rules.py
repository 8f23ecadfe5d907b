"""Pure channel rules: the delivery status ladder, the 24-hour window choice, WhatsApp error classes,
address normalization, STOP words, unsubscribe tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import InvalidInput, NotFound
from store.channels.delivery import DeliveryStatus as S
from store.channels.delivery import advance_status
from store.contacts.normalize import normalize_email, normalize_phone
from store.contacts.stop_words import is_stop_request
from store.contacts.tokens import make_unsubscribe_token, read_unsubscribe_token
from tools.integrations.whatsapp import TemplateRef, TemplateRequired, choose_whatsapp_payload
from tools.integrations.whatsapp_errors import classify_whatsapp_error, error_from_body


@pytest.mark.parametrize(("current", "incoming", "expected"), [
    (S.queued, S.sent, S.sent),
    (S.sent, S.delivered, S.delivered),
    (S.delivered, S.sent, S.delivered),  # late `sent` after `delivered`
    (S.read, S.delivered, S.read),  # out of order: read came first
    (S.queued, S.read, S.read),
    (S.sent, S.failed, S.failed),
    (S.queued, S.failed, S.failed),
    (S.delivered, S.failed, S.delivered),  # a receipt beats a late failure
    (S.failed, S.sent, S.failed),  # failed is terminal...
    (S.failed, S.delivered, S.delivered),  # ...except against a receipt from the device
    (S.failed, S.read, S.read),
    (S.read, S.read, S.read),
])
def test_advance_status_never_moves_backwards(current: S, incoming: S, expected: S) -> None:
    assert advance_status(current, incoming) == expected


def test_any_order_of_updates_ends_in_the_same_state() -> None:
    import itertools

    for order in itertools.permutations([S.sent, S.delivered, S.read]):
        status = S.queued
        for update in order:
            status = advance_status(status, update)
        assert status == S.read


NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
TEMPLATE = TemplateRef("creator_outreach", "en", ["Cleo", "Acme"])


def test_free_text_inside_the_window_template_outside() -> None:
    inside = choose_whatsapp_payload(NOW - timedelta(hours=2), NOW, text="Hi!", template=TEMPLATE)
    assert inside.kind == "text" and inside.content["body"] == "Hi!"
    outside = choose_whatsapp_payload(NOW - timedelta(hours=25), NOW, text="Hi!", template=TEMPLATE)
    assert outside.kind == "template"
    assert outside.content["components"][0]["parameters"][1] == {"type": "text", "text": "Acme"}
    never = choose_whatsapp_payload(None, NOW, text="Hi!", template=TEMPLATE)
    assert never.kind == "template"
    # a message queued just before the window closes would arrive after it: the margin sends the template
    assert choose_whatsapp_payload(NOW - timedelta(hours=23, minutes=58), NOW, text="Hi", template=TEMPLATE
                                   ).kind == "template"


def test_closed_window_without_template_is_refused() -> None:
    with pytest.raises(TemplateRequired) as error:
        choose_whatsapp_payload(NOW - timedelta(days=3), NOW, text="Hi!")
    assert error.value.status_code == 409


@pytest.mark.parametrize(("code", "http", "retryable", "reason"), [
    (130429, 400, True, "throughput_limited"),
    (131048, 400, True, "spam_rate_limited"),
    (131056, 400, True, "pair_rate_limited"),
    (80007, 400, True, "account_rate_limited"),
    (131000, 500, True, "provider_error"),
    (131026, 400, False, "undeliverable"),
    (131030, 400, False, "recipient_not_allowed"),
    (131047, 400, False, "needs_template"),
    (131050, 400, False, "user_opted_out"),
    (132001, 404, False, "template_not_found"),
    (190, 401, False, "access_token_expired"),
    (None, 503, True, "http_503"),
    (None, 429, True, "http_429"),
    (999999, 400, False, "whatsapp_999999"),
])
def test_whatsapp_errors_are_classified(code: int | None, http: int, retryable: bool, reason: str) -> None:
    result = classify_whatsapp_error(code, http, "details")
    assert (result.retryable, result.reason) == (retryable, reason)
    assert result.needs_template == (code == 131047)
    assert result.opted_out == (code == 131050)


def test_error_details_come_from_graph_and_webhook_shapes() -> None:
    graph = {"error": {"message": "(#131026) Message undeliverable", "code": 131026,
                       "error_data": {"messaging_product": "whatsapp", "details": "not on WhatsApp"}}}
    assert error_from_body(graph) == (131026, "not on WhatsApp")
    assert error_from_body({"code": 131047, "title": "Re-engagement message"}) == (131047, "Re-engagement message")
    assert error_from_body("oops") == (None, None)


def test_addresses_normalize_to_one_key() -> None:
    assert normalize_email("  Cleo.Park@Example.COM ") == "cleo.park@example.com"
    assert normalize_phone("+44 7700 900-123") == normalize_phone("447700900123") == "+447700900123"
    assert normalize_phone("0044 (7700) 900123") == "+447700900123"
    for bad in ("12345", "+44 abc", ""):
        with pytest.raises(InvalidInput):
            normalize_phone(bad)
    with pytest.raises(InvalidInput):
        normalize_email("not-an-address")


@pytest.mark.parametrize("text", ["STOP", "stop.", "Stop please", "please STOP", "unsubscribe", "UNSUBSCRIBE ME",
                                  "Baja", "Stopp", "désabonner", "opt-out", "Stop!!"])
def test_stop_words(text: str) -> None:
    assert is_stop_request(text)


@pytest.mark.parametrize("text", ["", None, "Don't stop, I love it", "stop by tomorrow?", "Sounds good, 500 EUR",
                                  "Can we stop the video at 30s?"])
def test_not_stop_words(text: str | None) -> None:
    assert not is_stop_request(text)


def test_unsubscribe_tokens_round_trip_and_reject_forgeries() -> None:
    creator = uuid.uuid4()
    token = make_unsubscribe_token("email", "cleo@example.com", creator)
    claim = read_unsubscribe_token(token)
    assert (claim.channel, claim.address, claim.creator_id) == ("email", "cleo@example.com", creator)
    payload, _, signature = token.partition(".")
    forged = make_unsubscribe_token("email", "other@example.com").partition(".")[0] + "." + signature
    for bad in (forged, payload, token[:-2], "garbage"):
        with pytest.raises(NotFound):
            read_unsubscribe_token(bad)
