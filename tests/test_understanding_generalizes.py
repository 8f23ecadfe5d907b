"""Reply and brief understanding beyond fixed phrases (issue #14, offline provider): ranges joined by "and" words and
sharing a multiplier, "1k5", number words in Turkish, Indonesian and Polish, counts in every market language, offers
laughed at or judged, refusals and opt-outs read as families (negation + verb, remove + me + list), and briefs whose
categories, follower bounds and dates are written the way managers write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from agents.tasks.brief_rules import read_message
from agents.tasks.language import words_to_digits
from agents.tasks.money import find_amounts
from agents.tasks.reply_rules import classify_offline, supported_fee
from agents.tasks.vocab import match_categories

TODAY = dt.date(2025, 3, 1)


@pytest.mark.parametrize(("text", "value", "currency", "flags"), [
    ("entre 800 e 1000 reais", Decimal(800), "BRL", {"range"}),
    ("od 3 do 4 tys. zł", Decimal(3000), "PLN", {"range"}),
    ("10-12 bin TL arası", Decimal(10000), "TRY", {"range"}),
    ("kisaran 1,5-2jt kak", Decimal(1500000), None, {"range"}),
    ("800-1.2k", Decimal(800), None, {"range"}),
    ("1k5 pour le pack", Decimal(1500), None, set()),
    ("1.450,- € netto", Decimal(1450), "EUR", set()),
])
def test_amount_forms(text: str, value: Decimal, currency: str | None, flags: set[str]) -> None:
    first = find_amounts(text)[0]
    assert (first.value, first.currency, set(first.flags)) == (value, currency, flags)


@pytest.mark.parametrize("text", ["500 and 2 stories", "uso de imagem por 30 dias", "a 60-90s integration",
                                  "3-4 historias", "Mit 800 bin ich dabei"])
def test_counts_and_words_are_not_amounts(text: str) -> None:
    assert all(a.value != Decimal(30) and a.value < 1000 for a in find_amounts(text))
    assert "range" not in {flag for a in find_amounts(text) for flag in a.flags}


@pytest.mark.parametrize(("text", "converted"), [
    ("twelve hundred and we have a deal", "1200 and we have a deal"),
    ("I'd need two grand", "I'd need 2 grand"),
    ("yirmi bin lira olursa yaparım", "20000 lira olursa yaparım"),
    ("dua juta lima ratus ribu rupiah", "2500000 rupiah"),
    ("półtora tysiąca zł", "1500 zł"),
    ("Mille grazie, ci sto!", "Mille grazie, ci sto!"),  # a lone "mille" is thanks, not a price
])
def test_number_words(text: str, converted: str) -> None:
    assert words_to_digits(text) == converted


@pytest.mark.parametrize(("text", "intent", "fee"), [
    ("a reel for 150 bucks? 😂 that barely covers my ring light. hard no", "declined", None),
    ("lol $80 for 3 reels. you guys are hilarious", "declined", None),
    ("3 video için 1000 TL mi? ciddi misiniz 😂 yok ben almayayım", "declined", None),
    ("lol $150… my rate is $900", "counter_offer", Decimal(900)),
    ("1,5k fürs Paket?", "counter_offer", Decimal(1500)),
    ("I 400 euro che proponete sono troppo pochi, mi dispiace.", "declined", None),
    ("$500 is a bit low for me, could we meet at $650?", "counter_offer", Decimal(650)),
    ("Is the $500 your total budget or per deliverable?", "question", None),
    ("Happy to move forward at the €450 you mentioned.", "interested", Decimal(450)),
    ("vijftienhonderd euro en we hebben een deal", "counter_offer", Decimal(1500)),
    ("Akkoord met €550, stuur maar een contract.", "interested", Decimal(550)),
    ("Ok so 600 for one reel, or 1k for reel + 2 stories", "counter_offer", Decimal(600)),
    ("Mit 800 bin ich dabei", "counter_offer", Decimal(800)),
])
def test_whose_amount_it_is(text: str, intent: str, fee: Decimal | None) -> None:
    verdict = classify_offline(text, TODAY)
    assert (verdict.intent, verdict.proposed_fee) == (intent, fee)


@pytest.mark.parametrize(("text", "intent"), [
    ("Sounds fun but I don't really do food content, it wouldn't feel authentic.", "declined"),
    ("Teklifiniz için teşekkürler ama şu an yeni iş birliği kabul etmiyorum.", "declined"),
    ("Tamam, 5.000 TL uygun.", "interested"),  # "tamam" is no negative verb form
    ("nie, dzięki, to nie mój klimat", "declined"),
    ("makasih kak, tapi aku pass dulu ya", "declined"),
    ("me tira dessa lista por favor", "unsubscribe"),
    ("Haal me alstublieft uit jullie bestand.", "unsubscribe"),
    ("Por favor, dejen de enviarme correos.", "unsubscribe"),
    ("Proszę nie wysyłać mi więcej wiadomości.", "unsubscribe"),
    ("Je ne souhaite plus recevoir vos e-mails.", "unsubscribe"),
    ("Cancellatemi dalla vostra lista, grazie.", "unsubscribe"),
    ("Bana bir daha e-posta göndermeyin lütfen.", "unsubscribe"),
    ("Please send me more details about the product", "question"),  # sending, but no refusal: no opt-out
    ("perfetto, procediamo 👍", "interested"),
    ("Boleh tahu budget-nya berapa kak?", "question"),
])
def test_refusals_opt_outs_and_yes_as_families(text: str, intent: str) -> None:
    assert classify_offline(text, TODAY).intent == intent


def test_a_model_fee_in_words_is_supported() -> None:
    assert supported_fee("twelve hundred and we have a deal", Decimal(1200))
    assert supported_fee("dos mil euros y lo hacemos", Decimal(2000))
    assert not supported_fee("dos mil euros y lo hacemos", Decimal(200))


@pytest.mark.parametrize(("text", "categories"), [
    ("Launching a grain-free dog food in the UK. Pet creators on Instagram.", ["pets"]),
    ("Baby food brand, parenting creators in Ireland", ["parenting"]),
    ("Food- en lifestylecreators in Nederland", ["food", "lifestyle"]),
    ("yemek ve yaşam tarzı içerik üreticileri", ["food", "lifestyle"]),
    ("beauty and fashion, Instagram", ["beauty", "fashion"]),  # no creator noun: every category named
])
def test_categories_of_the_creators(text: str, categories: list[str]) -> None:
    assert match_categories(text) == categories


@pytest.mark.parametrize(("text", "low", "high"), [
    ("Beauty creators in Germany; followers between 50K and 250K; budget EUR 25k", 50_000, 250_000),
    ("at least 10k but no more than 60k followers", 10_000, 60_000),
    ("de 10 000 à 60 000 abonnés", 10_000, 60_000),
    ("50 bin üzeri takipçi", 50_000, None),
    ("10k+ followers, live from 1 to 15 June", 10_000, None),  # a date range is no follower range
])
def test_follower_bounds(text: str, low: int | None, high: int | None) -> None:
    update = read_message(text, TODAY)
    assert (update.min_followers, update.max_followers) == (low, high)


def test_brief_money_and_dates() -> None:
    update = read_message("Budget is $75,000; we won't pay more than $10k for any single creator.", TODAY)
    assert (update.budget, update.fee_ceiling) == (Decimal(75000), Decimal(10000))
    update = read_message("Budget 30.000 €. Höchstens 2.000 € pro Creator, Zielwert etwa 1.200 €.", TODAY)
    assert (update.fee_ceiling, update.fee_target) == (Decimal(2000), Decimal(1200))
    update = read_message("start mid-March through end of April", dt.date(2026, 1, 10))
    assert (update.start_date, update.end_date) == (dt.date(2026, 3, 15), dt.date(2026, 4, 30))


@pytest.mark.parametrize(("text", "intent"), [
    ("No exclusivity please, otherwise I'm in!", "interested"),
    ("I don't do exclusivity deals, but happy to do the reel.", "interested"),
    ("L'exclusivité, c'est non pour moi. Mais je veux bien faire le reel.", "interested"),
    ("Perpetual usage? That's a no. Happy to do 12 months though.", "interested"),
    ("Thanks for the exclusivity offer, but that's a no from me.", "declined"),
    ("No thanks, I don't do exclusive deals.", "declined"),
])
def test_a_no_to_a_condition_is_not_a_refusal(text: str, intent: str) -> None:
    assert classify_offline(text, TODAY).intent == intent


@pytest.mark.parametrize(("text", "today", "start", "end"), [
    ("ideally going live first two weeks of Feb", dt.date(2025, 11, 20), dt.date(2026, 2, 1), dt.date(2026, 2, 14)),
    ("Timeline: October through mid-November.", dt.date(2025, 7, 1), dt.date(2025, 10, 1), dt.date(2025, 11, 15)),
    ("starting 1 June for 6 weeks", dt.date(2026, 1, 10), dt.date(2026, 6, 1), dt.date(2026, 7, 13)),
])
def test_brief_date_phrases(text: str, today: dt.date, start: dt.date, end: dt.date) -> None:
    update = read_message(text, today)
    assert (update.start_date, update.end_date) == (start, end)


def test_brief_fee_and_audience_shorthand() -> None:
    update = read_message("Budget: €12.5k | Platforms: Instagram, TT and IG | Size: 20k–150k | Max fee: €900", TODAY)
    assert (update.budget, update.fee_ceiling) == (Decimal(12500), Decimal(900))
    assert (update.min_followers, update.max_followers) == (20_000, 150_000)
    update = read_message("budget around 10k GBP total, nobody over 800 per creator pls", TODAY)
    assert (update.budget, update.currency, update.fee_ceiling) == (Decimal(10000), "GBP", Decimal(800))
    update = read_message("kreator parenting, budget 300 juta, maks 15 juta per kreator", TODAY)
    assert (update.budget, update.currency, update.fee_ceiling) == (Decimal(300_000_000), "IDR", Decimal(15_000_000))


def test_a_crafted_reply_body_is_read_in_bounded_time() -> None:
    """Thousands of blank lines used to backtrack through the history patterns for half a minute on a worker's loop;
    the rules read at most MAX_RULE_CHARS of a reply's own words."""
    import datetime as dt

    from agents.tasks.reply_rules import classify_offline

    today = dt.date(2026, 12, 3)
    assert classify_offline("\n" * 20_000, today).intent == "other"
    assert classify_offline("Sounds good!\n" + "\n" * 20_000 + "On Mon, Ana wrote:\n> 500 EUR", today).intent \
        == "interested"
    assert classify_offline("Sounds good!\n" + " \n" * 20_000 + "On Mon, Ana wrote:\n> 500 EUR", today).intent \
        == "interested"
    classify_offline("€ 1 " * 5_000, today)  # thousands of amounts: read (the policy escalates a 1 EUR ask)
    # blank lines before the quote still leave our quoted offer recognisable: the creator repeating it accepts it
    verdict = classify_offline("Ok, 500 EUR it is\n\n\n\n\nOn Mon, Ana <a@b.com> wrote:\n> We can offer 500 EUR",
                               today)
    assert (verdict.intent, verdict.proposed_fee) == ("interested", 500)
