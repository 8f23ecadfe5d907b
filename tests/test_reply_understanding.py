"""Reply understanding in the market languages (issue #14) and misread amounts (issue #13, finding 13): unicode
tricks, quoted history in Outlook/Gmail formats, ranges, number words, the creator's own price over amounts quoted
from us or mentioned in sarcasm, terms, and the policy's safety escalations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from agents.policy.negotiation import NegotiationState, decide
from agents.tasks.language import detect_language, draft_language, words_to_digits
from agents.tasks.money import find_amounts
from agents.tasks.replies import classify_reply
from agents.tasks.reply_terms import extract_terms, term_conflicts
from agents.tasks.text import clean_inbound
from agents.tasks.types import CampaignBrief

TODAY = dt.date(2025, 3, 1)


async def _classify(text: str):  # type: ignore[no-untyped-def]
    return (await classify_reply(text, "email", today=TODAY)).value


@pytest.mark.parametrize("header", [
    "Da: Laura <laura@brand.it>\nInviato: martedì 4 marzo 2025 10:12\nA: g@x.it\nOggetto: Collab\n",
    "________________________________\nFrom: Tom <tom@brand.io>\nSent: Monday, March 3, 2025 9:41 AM\n",
    "Von: Anna <anna@brand.de>\nGesendet: Montag, 3. März 2025 11:02\nAn: l@x.de\n",
    "De : Camille <camille@brand.fr>\nEnvoyé : lundi 3 mars 2025 14:20\nÀ : c@x.fr\n",
    "On Mon, Mar 3, 2025 at 9:12 AM Priya <priya@brand.co> wrote:\n",
    "El lun, 3 mar 2025 a las 10:15, Marta (<marta@brand.es>) escribió:\n",
    "Em seg., 3 de mar. de 2025 às 09:30, Ana <ana@brand.com.br> escreveu:\n",
])
async def test_quoted_offer_is_not_the_creators_price(header: str) -> None:
    text = f"Va benissimo, accetto!\n\n{header}\nCiao, possiamo offrirti EUR 500 per un reel.\n"
    assert clean_inbound(text) == "Va benissimo, accetto!"
    verdict = await _classify(text)
    assert verdict.intent == "interested" and verdict.proposed_fee is None


@pytest.mark.parametrize(("text", "value", "flags"), [
    ("1\u200b000\u200b000 EUR", Decimal(1000000), set()),
    ("\u202e0001 EUR", Decimal(1), set()),
    ("1e9 EUR", None, {"invalid"}),
    ("-500", None, {"negative"}),
    ("800-1000 USD", Decimal(800), {"range"}),
    ("1.5k for reel + story", Decimal(1500), set()),
])
def test_amounts_after_unicode_normalisation(text: str, value: Decimal | None, flags: set[str]) -> None:
    found = find_amounts(clean_inbound(text))
    assert found, text
    assert flags <= set(found[0].flags)
    if value is not None:
        assert found[0].value == value


@pytest.mark.parametrize(("text", "intent", "fee"), [
    ("$200 for three reels…? Wow, so generous. I'll pass", "declined", None),
    ("Is $500 your budget for the whole package?", "question", None),
    ("lol $150… my rate is $900", "counter_offer", Decimal(900)),
    ("1k?", "counter_offer", Decimal(1000)),
    ("I could do it for twelve hundred dollars", "counter_offer", Decimal(1200)),
    ("mil quinientos euros y lo hacemos", "counter_offer", Decimal(1500)),
    ("Not interested… Delete it please", "unsubscribe", None),
    ("Bitte schreiben Sie mir nicht mehr", "unsubscribe", None),
    ("Merci de ne plus me contacter", "unsubscribe", None),
    ("sí, dale! 🙌", "interested", None),
    ("non accetto nuove collaborazioni", "declined", None),
    ("👍", "interested", None),
])
async def test_real_creator_replies(text: str, intent: str, fee: Decimal | None) -> None:
    verdict = await _classify(text)
    assert (verdict.intent, verdict.proposed_fee) == (intent, fee)


async def test_fee_flags_reach_the_classification() -> None:
    assert "range" in (await _classify("My rate is 800-1000 USD")).fee_flags
    assert "several_prices" in (await _classify("Rates: TikTok $400 / Reel $550 / Story $150")).fee_flags
    negative = await _classify("ok -500 EUR")
    assert negative.proposed_fee is None and "invalid" in negative.fee_flags


def test_terms_and_conflicts_with_the_brief() -> None:
    terms = extract_terms("I'll do 800 EUR… only with 12 months exclusivity paid at +2.000 € and perpetual usage")
    assert {t.kind for t in terms} == {"usage", "exclusivity"}
    brief = CampaignBrief.model_validate({"usage_rights": {"channels": ["organic social"], "months": 6},
                                          "exclusivity": {"exclusive": False}})
    assert len(term_conflicts(terms, brief)) == 2
    assert [t.kind for t in extract_terms("Honestly I'd do it for free, just send product")] == ["gifting"]
    assert extract_terms("Could you do 1200 EUR instead?") == []
    refused = extract_terms("Avec plaisir, mais l'exclusivité c'est non.")
    assert term_conflicts(refused, brief) == []  # the brief asks for none either


def _state(**changes: object) -> NegotiationState:
    base: dict[str, object] = {"ask": Decimal(600), "ask_currency": "EUR", "currency": "EUR",
                               "ceiling": Decimal(1000), "target": Decimal(700), "budget_left": Decimal(10000)}
    return NegotiationState.model_validate(base | changes)


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, "3-accept"),
    ({"ask": Decimal(0)}, "0-invalid-ask"),
    ({"ask": None, "ask_flags": ("invalid",)}, "0-invalid-ask"),
    ({"ask": Decimal(1000000)}, "0-implausible-ask"),
    ({"ask": Decimal(1)}, "0-implausible-ask"),
    ({"ask_flags": ("range",)}, "0-ambiguous-ask"),
    ({"ask_flags": ("disputed",)}, "0-ambiguous-ask"),
    ({"round": 11, "max_rounds": 3}, "0-round-limit"),
    ({"gifted": True, "ask": None}, "0-gifted"),
    ({"term_conflicts": ("exclusivity condition",)}, "0-terms"),
])
def test_policy_accepts_only_a_clear_price(changes: dict[str, object], rule: str) -> None:
    decision = decide(_state(**changes))
    assert decision.rule == rule
    assert (decision.action == "accept") == (rule == "3-accept")
    if decision.action == "escalate":
        assert decision.amount is None and decision.reason


def test_languages() -> None:
    assert detect_language("Bitte schreiben Sie mir nicht mehr") == "de"
    assert detect_language("Maaf kak, aku lagi gak ambil kerjasama") == "id"
    assert words_to_digits("grazie mille, ma non") == "grazie mille, ma non"  # not money: left alone
    assert draft_language([], "ES") == "es" and draft_language(["pt", "en"], "US") == "pt"
    assert draft_language([], None) == "en"


async def test_drafts_in_the_creators_language() -> None:
    from agents.policy.negotiation import NegotiationDecision
    from agents.tasks.draft_checks import check_draft
    from agents.tasks.drafting import draft_outreach
    from agents.tasks.negotiation import draft_negotiation_reply
    from agents.tasks.types import CreatorProfile

    brief = CampaignBrief(product="Glow Serum", platforms=["instagram"], currency="EUR")
    spanish = CreatorProfile(creator_id="c1", display_name="Lucía Gómez", first_name="Lucía", country="ES",
                             platforms={"instagram": {"handle": "@lucia", "followers": 52000}})
    email = (await draft_outreach(spanish, brief, "email")).value
    assert email.language == "es" and "Hola Lucía" in email.body_text and check_draft(email, spanish, brief) == []
    german = spanish.model_copy(update={"country": "DE", "display_name": "Mia", "first_name": "Mia"})
    whatsapp = (await draft_outreach(german, brief, "whatsapp")).value
    assert whatsapp.language == "de" and "STOP" in whatsapp.body_text and check_draft(whatsapp, german, brief) == []
    decision = NegotiationDecision(action="counter", amount=Decimal(700), currency="EUR", rule="3-counter",
                                   reason="ask above target")
    italian = spanish.model_copy(update={"country": "IT", "languages": ["it"]})
    reply = (await draft_negotiation_reply(decision, italian, brief, "email")).value
    assert reply.language == "it" and "EUR 700" in reply.body_text and "possiamo offrirti" in reply.body_text
