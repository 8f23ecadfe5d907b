"""Which of our market languages a text is in, and numbers written as words turned into digits.

Language identification is `py3langid` restricted to the languages we sell in (short texts are noisy: the
restriction keeps "sí, dale!" from being read as Czech). Number words ("twelve hundred", "mil quinientos",
"zwölfhundert") go through `text2num` for the languages it knows (en, es, fr, pt, de, nl, it).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Protocol


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


@cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=list(MARKET_LANGUAGES))


def detect_language(text: str, default: str = "en") -> str:
    """The market language `text` is most likely in; `default` for text without letters or a weak guess."""
    if sum(ch.isalpha() for ch in text) < 3:
        return default
    language, probability = _identifier().classify(text)
    return str(language) if probability >= 0.5 else default


_CURRENCY_WORDS = (r"euros?|eur|dollars?|d[oó]lares|bucks|pounds?|quid|reais|real|francs?|franken|z[łl]otych|"
                   r"z[łl]oty|z[łl]|lira|tl|rupiah|rp|usd|gbp|brl|pln|try|idr|€|\$|£")
# Up to five words right before a currency: the only place a number in words is taken for money ("mille euro",
# not "grazie mille"; "non" is never nine).
_WORDS_BEFORE_CURRENCY = re.compile(rf"((?:[^\W\d_]+[\s-]+){{1,5}})(?=(?:{_CURRENCY_WORDS})(?!\w))", re.I)


def _as_number(words: str, order: list[str]) -> str | None:
    from text_to_num import alpha2digit

    polish = _polish_number(words)
    if polish is not None:
        return polish
    for code in order:
        try:
            converted = alpha2digit(words, code)
        except Exception:  # a converter bug must not lose the reply
            continue
        tail = re.search(r"(\d+)\s*$", converted)
        if tail and not re.search(r"\d\D+\d", converted.strip()):
            return converted
    return None


# Polish, which text2num lacks: enough for prices ("tysiąc pięćset złotych", "dwa tysiące").
_PL = {"jeden": 1, "dwa": 2, "trzy": 3, "cztery": 4, "piec": 5, "szesc": 6, "siedem": 7, "osiem": 8,
       "dziewiec": 9, "dziesiec": 10, "dwadziescia": 20, "trzydziesci": 30, "czterdziesci": 40, "piecdziesiat": 50,
       "sto": 100, "dwiescie": 200, "trzysta": 300, "czterysta": 400, "piecset": 500, "szescset": 600,
       "siedemset": 700, "osiemset": 800, "dziewiecset": 900}
_PL_THOUSAND = ("tysiac", "tysiace", "tysiecy")


def _polish_number(words: str) -> str | None:
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", words.lower().replace("ł", "l"))
                     if not unicodedata.combining(c)).split()
    if not folded or any(w not in _PL and w not in _PL_THOUSAND for w in folded):
        return None
    total, current = 0, 0
    for word in folded:
        if word in _PL_THOUSAND:
            total += (current or 1) * 1000
            current = 0
        else:
            current += _PL[word]
    return f"{total + current} "


def words_to_digits(text: str, language: str | None = None) -> str:
    """"twelve hundred dollars" → "1200 dollars", "mil quinientos euros" → "1500 euros": number words right
    before a currency, in the text's language first, then the others text2num knows."""
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

    return _WORDS_BEFORE_CURRENCY.sub(replace, text)


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
