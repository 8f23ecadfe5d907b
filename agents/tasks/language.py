"""Which of our market languages a text is in, and numbers written as words turned into digits.

Language identification is `py3langid` restricted to the languages we sell in (short texts are noisy: the
restriction keeps "sí, dale!" from being read as Czech). Number words ("twelve hundred", "mil quinientos",
"zwölfhundert") go through `text2num` for the languages it knows (en, es, fr, pt, de, nl, it).
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any, Protocol


class PromptLike(Protocol):
    def has(self, section: str) -> bool: ...

MARKET_LANGUAGES = ("en", "es", "pt", "de", "fr", "it", "nl", "pl", "tr", "id")
_NUMBER_WORD_LANGUAGES = ("en", "es", "fr", "pt", "de", "nl", "it")
# Country → the language we write in when a profile names none (ISO 3166-1 alpha-2 → ISO 639-1).
COUNTRY_LANGUAGE = {
    "US": "en", "GB": "en", "IE": "en", "CA": "en", "AU": "en", "NZ": "en", "ES": "es", "MX": "es", "AR": "es",
    "CO": "es", "CL": "es", "PE": "es", "BR": "pt", "PT": "pt", "DE": "de", "AT": "de", "CH": "de", "FR": "fr",
    "BE": "fr", "IT": "it", "NL": "nl", "PL": "pl", "TR": "tr", "ID": "id",
}


_loaded: list[Any] = []  # the identifier, once loaded
_load_lock = threading.Lock()


def _identifier() -> Any:
    """The process's identifier, loaded once. Loading decompresses the model (~1.4 s of CPU): with `functools.cache`
    every worker thread that classified a reply before the first load finished loaded its own copy, so a fresh
    worker spent ~20 s of CPU on 16 concurrent loads under the GIL while its first turns waited."""
    if not _loaded:
        with _load_lock:
            if not _loaded:
                from py3langid.langid import _load_identifier

                _loaded.append(_load_identifier(norm_probs=True, langs=list(MARKET_LANGUAGES)))
    return _loaded[0]


def warm_up() -> None:
    """Load the identifier now (worker boot), not on the first reply."""
    _identifier()


def detect_language(text: str, default: str = "en") -> str:
    """The market language `text` is most likely in; `default` for text without letters or a weak guess."""
    if sum(ch.isalpha() for ch in text) < 3:
        return default
    language, probability = _identifier().classify(text)
    return str(language) if probability >= 0.5 else default


_CURRENCY_WORDS = (r"euros?|eur|dollars?|d[oó]lares|bucks|pounds?|quid|reais|real|francs?|franken|z[łl]otych|"
                   r"z[łl]oty|z[łl]|lira|liras[ıi]|tl|rupiah|rp|usd|gbp|brl|pln|try|idr|€|\$|£")
# Words that scale the number before them ("two grand", "yirmi bin", "dua juta"): money.py reads them after digits.
_SCALE_WORDS = r"grand|k|bin|rb|ribu|jt|juta|tys\.?|mil"
# Up to five words right before a currency or a scale word: the only place a number in words is taken for money
# ("mille euro", not "grazie mille"; "non" is never nine).
_WORDS_BEFORE_CURRENCY = re.compile(
    rf"((?:[^\W\d_]+[\s-]+){{1,5}})(?=(?:{_CURRENCY_WORDS}|{_SCALE_WORDS})(?!\w))", re.I)
# A price in words opening a sentence ("twelve hundred and we have a deal", "fifteen hundred?"): taken only when it
# is a compound number of at least 100 (never a lone "mille", "hundred", "thousand").
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?\n]))(\s*)((?:[^\W\d_]+[\s-]+){0,5}[^\W\d_]+)", re.M)
_LONE_SCALES = {"hundred", "thousand", "mille", "mil", "cent", "cien", "cento", "hundert", "tausend", "honderd",
                "duizend", "cem", "tysiac", "sto", "yuz", "bin", "ratus", "ribu", "seratus", "seribu"}


def _as_number(words: str, order: list[str]) -> str | None:
    from text_to_num import alpha2digit

    table = _table_number(words)
    if table is not None:
        return table
    for code in order:
        try:
            converted = alpha2digit(words, code, threshold=0)
        except Exception:  # a converter bug must not lose the reply
            continue
        tail = re.search(r"(\d+)\s*$", converted)
        if tail and not re.search(r"\d\D+\d", converted.strip()):
            return converted
    return None


# Polish, Turkish and Indonesian, which text2num lacks: number words that add up, with the words that multiply
# what came before ("dwa tysiące", "iki yüz elli bin", "dua ratus lima puluh ribu", "półtora tysiąca").
_UNITS: dict[str, float] = {
    # pl
    "jeden": 1, "dwa": 2, "trzy": 3, "cztery": 4, "piec": 5, "szesc": 6, "siedem": 7, "osiem": 8, "dziewiec": 9,
    "dziesiec": 10, "pietnascie": 15, "dwadziescia": 20, "trzydziesci": 30, "czterdziesci": 40, "piecdziesiat": 50,
    "sto": 100, "dwiescie": 200, "trzysta": 300, "czterysta": 400, "piecset": 500, "szescset": 600,
    "siedemset": 700, "osiemset": 800, "dziewiecset": 900, "poltora": 1.5,
    # tr (folded: "ü" → "u", "ş" → "s"; "ı" kept and also read as "i")
    "bir": 1, "iki": 2, "uc": 3, "dort": 4, "bes": 5, "altı": 6, "alti": 6, "yedi": 7, "sekiz": 8, "dokuz": 9,
    "on": 10, "yirmi": 20, "otuz": 30, "kırk": 40, "kirk": 40, "elli": 50, "altmıs": 60, "altmis": 60,
    "yetmis": 70, "seksen": 80, "doksan": 90, "bucuk": 0.5,
    # id
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
    "sepuluh": 10, "sebelas": 11, "seratus": 100, "setengah": 0.5,
}
_TIMES: dict[str, int] = {"yuz": 100, "ratus": 100, "puluh": 10}  # multiply the unit just before
_SCALES: dict[str, int] = {"tysiac": 1000, "tysiace": 1000, "tysiecy": 1000, "tysiaca": 1000, "bin": 1000,
                           "ribu": 1000, "seribu": 1000, "milyon": 1_000_000, "juta": 1_000_000, "sejuta": 1_000_000,
                           "milion": 1_000_000, "miliony": 1_000_000, "milionow": 1_000_000}
_BELAS = "belas"  # Indonesian teens: "dua belas" = 12
_TABLE_WORDS = set(_UNITS) | set(_TIMES) | set(_SCALES) | {_BELAS}


@functools.lru_cache(maxsize=4096)
def _opens_a_number(word: str) -> bool:
    """Whether a number in words can start with `word`: one of the table's words, or a word text2num reads as a
    number on its own in one of its languages (it never absorbs a word before a number: "a thousand" stays
    "a 1000"). A sentence whose first word is neither holds no price in words at its start, so its runs of words
    are not tried one length after another in every language (that was most of a reply's number reading)."""
    return _folded(word) in _TABLE_WORDS or _as_number(word + " ", list(_NUMBER_WORD_LANGUAGES)) is not None


def _folded(words: str) -> str:
    """Lower case, "ł" as "l", without accents: how the table's words are written."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", words.lower().replace("ł", "l"))
                   if not unicodedata.combining(c))


def _table_number(words: str) -> str | None:
    folded = _folded(words).split()
    if not folded or any(w not in _TABLE_WORDS for w in folded) or all(w in ("on", "bir", "lima", "sto")
                                                                        for w in folded):
        return None  # "on" / "bir" / "lima" / "sto" alone are ordinary words as often as numbers
    total, current, last = 0.0, 0.0, 0.0
    for word in folded:
        if word in _SCALES:
            scale = _SCALES[word]
            total += (current or 1) * scale
            current = last = 0
        elif word in _TIMES:
            unit = last or 1
            current += unit * _TIMES[word] - last
            last = 0
        elif word == _BELAS:
            current += 10
            last = 0
        else:
            value = _UNITS[word]
            if value == 0.5:
                current += 0.5
            else:
                current += value
                last = value
    number = total + current
    return f"{int(number)} " if number == int(number) and number > 0 else None


def _lone_scale(words: str) -> bool:
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", words.lower()) if not unicodedata.combining(c))
    tokens = [w for w in re.split(r"[\s-]+", folded) if w and w not in ("a", "one", "un", "uno", "ein")]
    return len(tokens) <= 1 and (not tokens or tokens[0] in _LONE_SCALES)


def words_to_digits(text: str, language: str | None = None) -> str:
    """"twelve hundred dollars" → "1200 dollars", "mil quinientos euros" → "1500 euros", "two grand" →
    "2 grand", "yirmi bin lira" → "20000 lira": number words right before a currency or a scale word, in the
    text's language first, then the others we can read; and a compound price opening a sentence ("twelve
    hundred and we have a deal")."""
    order = [language] if language in _NUMBER_WORD_LANGUAGES else []
    order += [code for code in _NUMBER_WORD_LANGUAGES if code not in order]

    def replace(match: re.Match[str]) -> str:
        words = match.group(1)
        if re.search(r"\d\s*$", text[: match.start()]):
            return words  # "3 mil reais": the money parser reads the multiplier itself
        for first in range(len(words.split())):  # drop leading words that are not numbers ("for twelve hundred")
            candidate = " ".join(words.split()[first:]) + " "
            number = _as_number(candidate, order)
            if number is not None:
                kept = " ".join(words.split()[:first])
                return (kept + " " if kept else "") + number
        return words

    converted = _WORDS_BEFORE_CURRENCY.sub(replace, text)

    def leading(match: re.Match[str]) -> str:
        words = match.group(2).split()
        if not _opens_a_number(words[0]):
            return match.group(0)
        for count in range(len(words), 1, -1):  # the longest run of number words at the start
            head = " ".join(words[:count])
            number = _as_number(head, order)
            if number is not None and re.fullmatch(r"\d+\s*", number) and int(number) >= 100 \
                    and not _lone_scale(head):
                rest = " ".join(words[count:])
                return match.group(1) + number.strip() + (" " + rest if rest else "")
        return match.group(0)

    return _SENTENCE_START.sub(leading, converted)


def draft_language(languages: list[str], country: str | None) -> str:
    """The language to write to a creator in: the first market language of their profile, else their country's,
    else English."""
    for code in languages:
        short = code.lower()[:2]
        if short in MARKET_LANGUAGES:
            return short
    return COUNTRY_LANGUAGE.get((country or "").upper(), "en")


def language_name(code: str) -> str:
    """"es" → "Spanish" (CLDR names through Babel), for the model prompt."""
    from babel import Locale

    try:
        return str(Locale.parse(code).get_display_name("en"))
    except Exception:  # an unknown code: the code itself still tells the model
        return code


def localized(prompt: PromptLike, section: str, language: str) -> str:
    """The section for `language` (`<section>__<lang>`) when the prompt version has it, else the English one."""
    local = f"{section}__{language}"
    return local if language != "en" and prompt.has(local) else section
