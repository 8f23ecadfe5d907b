"""Validation of a model's tool arguments before anything runs them.

A model fills `country: "Germany"` or `platform: "Insta"` as readily as `"DE"` / `"instagram"`; the schema types
accept both and the search then fails on the name. These validators turn names into the codes the tools take
(country and language names in any of our markets' languages, through CLDR via babel) and reject what cannot be
read, so the call is dropped and the rules plan instead — a bad argument never reaches a tool.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from agents.tasks.text import fold
from agents.tasks.vocab import PLATFORMS, match_countries, match_languages, match_platforms

_LOCALES = ("en", "es", "pt", "de", "fr", "it", "nl", "pl", "tr", "id")


@cache
def _territories() -> dict[str, str]:
    """Every CLDR country name (folded) in our markets' languages → ISO 3166-1 alpha-2."""
    names: dict[str, str] = {}
    for locale in _LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), code)
    return names


@cache
def _languages() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in _LOCALES:
        for code, name in Locale.parse(locale).languages.items():
            if len(code) == 2:
                names.setdefault(fold(name), code)
    return names


def iso_country(value: str) -> str:
    """"DE", "de", "Germany", "Deutschland", "UK" → the alpha-2 code; ValueError when it names no country."""
    text = value.strip()
    codes = set(_territories().values())
    if text.upper() in codes | {"UK"}:
        return "GB" if text.upper() == "UK" else text.upper()
    code = _territories().get(fold(text)) or next(iter(match_countries(text)), None)
    if code is None:
        raise ValueError(f"not a country: {value!r}")
    return code


def iso_language(value: str) -> str:
    """"de", "German", "Deutsch" → ISO 639-1; ValueError otherwise."""
    text = value.strip()
    if len(text) == 2 and text.lower() in _languages().values():
        return text.lower()
    code = _languages().get(fold(text)) or next(iter(match_languages(f"{text} speaking")), None)
    if code is None:
        raise ValueError(f"not a language: {value!r}")
    return code


def platform_name(value: str) -> str:
    """"Instagram", "IG", "X (Twitter)" → the platform name the tools use; ValueError otherwise."""
    text = value.strip()
    if text.lower() in PLATFORMS:
        return text.lower()
    if text in ("X", "x"):
        return "twitter"
    found = match_platforms(text)
    if not found:
        raise ValueError(f"not a platform: {value!r}")
    return found[0]
