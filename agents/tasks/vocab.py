"""Controlled vocabularies for briefs: platforms, categories (niches), countries (ISO 3166-1 alpha-2) and
languages (ISO 639-1), each with the words people use for them. Matching runs on accent-folded, lower-cased text
with word boundaries; `match_*` return canonical values in order of first mention.
"""

from __future__ import annotations

import re
from functools import cache

from agents.tasks.text import fold

PLATFORMS: dict[str, tuple[str, ...]] = {
    "instagram": ("instagram(?:ie|em|a|ie)?", "insta", "ig", "instagrammers?"),
    "tiktok": ("tiktok\\w{0,3}", "tik tok", "tiktokers?", "tt(?= (?:and|&|\\+|or|y|e|und|et) \\w)"),
    "youtube": ("youtube", "yt", "youtubers?", "youtube shorts"),
    "twitter": ("twitter", "x \\(twitter\\)", "x/twitter", "tweets?", "x \\(formerly twitter\\)"),
    "twitch": ("twitch",),
    "pinterest": ("pinterest", "pins?"),
    "linkedin": ("linkedin",),
    "facebook": ("facebook", "fb"),
    "snapchat": ("snapchat", "snap"),
}

CATEGORIES: dict[str, tuple[str, ...]] = {
    "beauty": ("beauty", "skincare", "belleza", "beleza", "bellezza", "schoonheid", "uroda", "guzellik", "kecantikan",
               "cosmetica", "cosmetique", "kosmety\\w*", "hautpflege", "huidverzorging", "skin care", "make-?up",
               "cosmetics?", "beaute", "maquillaje",
               "kosmetik", "haircare", "hair care", "nails"),
    "fashion": ("fashion", "outfits?", "mode(?=-| ?(?:creat|influenc|blog|profi))",
                "(?<=creatrices )mode", "(?<=createurs )mode", "(?<=creators )mode",
                "(?<=profils )mode", "modowe?\\w*", "busana", "streetwear", "moda", "apparel", "clothing", "menswear",
                "womenswear"),
    "fitness": ("fitness", "fitnessowe?\\w*", "gym", "workouts?", "calisthenics", "yoga", "pilates", "crossfit",
                "bodybuilding",
                "fitfluencers?", "runners"),
    "food": ("food", "cucina", "culinaria", "kuliner", "makanan", "yemek", "eten", "jedzeni\\w*", "kulinar\\w*",
             "gastronomi\\w*", "comida", "foodies?", "cooking", "recipes?", "chefs?", "baking", "bakers?", "culinary",
             "cocina", "gastronomia", "kochen", "cuisine", "restaurants?"),
    "travel": ("travel", "viagens?", "viaggi", "reizen", "podroz\\w*", "seyahat", "gezi", "wisata", "voyage",
               "travell?ers?", "travell?ing", "viajes?", "reisen?", "voyages?", "wanderlust", "tourism"),
    "gaming": ("gaming", "gamingow\\w*", "oyun\\w*", "videogames", "jeux video", "gamers?", "video ?games?", "games",
               "jogos", "juegos", "videojogos", "videogiochi", "giochi", "spiele", "gry",
               "esports?", "e-sports?", "videojuegos"),
    "tech": ("tech", "tecnologia", "technologie", "teknoloji", "teknologi", "technologi\\w*", "tecnologico",
             "technology", "gadgets?", "tecnologia", "technik", "smartphones?", "consumer electronics"),
    "parenting": ("parenting", "maternidade", "genitori", "ouders", "rodzic\\w*", "parentalite", "parents?", "moms?",
                  "mums?", "mommy", "mummy", "dads?", "mamas?", "maternidad",
                  "eltern", "mom bloggers?", "mum bloggers?"),
    "lifestyle": ("lifestyle", "yasam tarz[ıi]", "gaya hidup", "stile di vita", "estilo de vida", "estilo de vida"),
    "finance": ("finance", "financas", "finanza", "finanze", "financien", "finanse", "finans", "keuangan",
                "personal finance", "investing", "investors?", "fintech", "finanzas", "finanzen",
                "financial", "money tips"),
    "wellness": ("wellness", "bien-etre", "benessere", "bem-estar", "welzijn", "zdrowie", "saglik", "wellbeing",
                 "well-being", "mental health", "health", "mindfulness", "meditation",
                 "self-care", "bienestar", "sobriety"),
    "home": ("home decor", "home decoration", "decor", "deco", "interiors?", "interior design", "home & living",
             "home and living", "diy", "homeware", "home improvement"),
    "pets": ("pets?", "huisdieren", "zwierz\\w*", "evcil hayvan\\w*", "hewan peliharaan", "animaux", "dogs?", "cats?",
             "puppies", "puppy", "kittens?", "mascotas", "haustiere?", "animals?"),
    "sports": ("sports?", "esportes?", "deportes?", "spor", "sportiv\\w*", "deportiv\\w*", "esportiv\\w*",
               "sportow\\w*", "sportif\\w*", "sportlich\\w*", "football", "soccer", "basketball", "tennis", "athletes?",
               "deportes?", "golf"),
    "music": ("music", "musicians?", "singers?", "djs?", "musica", "musik", "rappers?"),
    "education": ("education", "educational", "edu", "edukac\\w*", "educativ\\w*", "educacion\\w*", "educacao",
                  "educazion\\w*", "bildung\\w*", "onderwijs", "egitim\\w*", "pendidikan", "language learning",
                  "teachers?", "teaching", "studytok", "learning", "educators?"),
    "outdoor": ("outdoors?", "hiking", "hikers?", "camping", "climbing", "trail", "mountains?", "adventure"),
    "sustainability": ("sustainab\\w*", "duurzaam\\w*", "nachhaltig\\w*", "sostenib\\w*", "sustentab\\w*",
                       "zrownowaz\\w*", "ekolog\\w*", "eco-friendly", "eco", "zero waste", "zero-waste", "green living",
                       "ethical fashion", "slow fashion"),
    "automotive": ("automotive", "cars?", "motoring", "petrolheads?", "car enthusiasts?", "motorsport"),
    "comedy": ("comedy", "comedians?", "humou?r", "funny", "sketch comedy"),
    "art": ("art", "artists?", "illustrat\\w+", "drawing", "painting", "painters?"),
}

REGIONS: dict[str, tuple[str, ...]] = {
    "dach": ("DE", "AT", "CH"),
    "benelux": ("BE", "NL", "LU"),
    "nordics": ("DK", "FI", "NO", "SE"),
    "nordic countries": ("DK", "FI", "NO", "SE"),
    "the nordics": ("DK", "FI", "NO", "SE"),
    "scandinavia": ("DK", "NO", "SE"),
    "iberia": ("ES", "PT"),
}

# code → names, native names and demonyms (demonyms of a language are also language names: see LANGUAGES)
COUNTRIES: dict[str, tuple[str, ...]] = {
    "US": ("united states", "usa", "u\\.s\\.a?\\.?", "america", "american", "the states"),
    "GB": ("united kingdom", "uk", "u\\.k\\.", "great britain", "britain", "british", "england", "english market",
           "scotland", "wales"),
    "IE": ("ireland", "irish"), "CA": ("canada", "canadian"), "AU": ("australia", "australian", "aussie"),
    "NZ": ("new zealand",), "DE": ("germany", "deutschland", "german"), "AT": ("austria", "osterreich", "austrian"),
    "CH": ("switzerland", "schweiz", "suisse", "svizzera", "swiss"), "FR": ("france", "french"),
    "ES": ("spain", "espana", "spanish"), "PT": ("portugal", "portuguese"), "IT": ("italy", "italia", "italian"),
    "NL": ("netherlands", "the netherlands", "holland", "nederland", "dutch"), "BE": ("belgium", "belgian"),
    "LU": ("luxembourg",), "DK": ("denmark", "danish"), "SE": ("sweden", "swedish"), "NO": ("norway", "norwegian"),
    "FI": ("finland", "finnish"), "IS": ("iceland",), "PL": ("poland", "polska", "polish"),
    "CZ": ("czech republic", "czechia", "czech"), "SK": ("slovakia",), "HU": ("hungary", "hungarian"),
    "RO": ("romania", "romanian"), "GR": ("greece", "greek"), "TR": ("turkey", "turkiye", "turkish"),
    "MX": ("mexico", "mexican"), "BR": ("brazil", "brasil", "brazilian"), "AR": ("argentina", "argentinian"),
    "CO": ("colombia", "colombian"), "CL": ("chile", "chilean"), "PE": ("peru", "peruvian"),
    "JP": ("japan", "japanese"), "KR": ("south korea", "korea", "korean"), "CN": ("china", "chinese"),
    "IN": ("india", "indian"), "SG": ("singapore",), "ID": ("indonesia", "indonesian"),
    "PH": ("philippines", "filipino"), "TH": ("thailand", "thai"), "VN": ("vietnam", "vietnamese"),
    "MY": ("malaysia", "malaysian"), "AE": ("united arab emirates", "uae", "emirates", "dubai"),
    "SA": ("saudi arabia", "saudi"), "EG": ("egypt", "egyptian"), "ZA": ("south africa", "south african"),
    "NG": ("nigeria", "nigerian"), "GH": ("ghana", "ghanaian"), "KE": ("kenya", "kenyan"), "MA": ("morocco",),
    "IL": ("israel", "israeli"), "UA": ("ukraine", "ukrainian"), "HR": ("croatia", "croatian"),
}
# Upper-case codes that are also common words: a code only beside other codes ("US/UK/IT").
_AMBIGUOUS_CODES = {"IN", "IT", "NO", "AT", "BE", "ME", "IS", "ID", "MY", "SA", "MA", "CO", "PE", "DE"}
_CODE_ALIASES = {"UK": "GB", "USA": "US", "UAE": "AE"}
# Native names in the languages of our markets, from CLDR (babel): "Deutschland", "België", "Türkiye",
# "Países Bajos"; and the Polish locative the names take after "w" ("w Polsce").
_LOCALES = ("en", "es", "pt", "de", "fr", "it", "nl", "pl", "tr", "id")
_NOT_NAMES = {"indie"}  # Polish for India, English for independent
_LOCATIVES = {"PL": ("polsce",), "DE": ("niemczech",), "ES": ("hiszpanii",), "FR": ("francji",), "IT": ("wloszech",),
              "CZ": ("czechach",), "AT": ("austrii",), "NL": ("holandii",), "GB": ("wielkiej brytanii",)}


def _native_names() -> dict[str, tuple[str, ...]]:
    from babel import Locale

    names: dict[str, set[str]] = {code: set() for code in COUNTRIES}
    for locale in _LOCALES:
        territories = Locale.parse(locale).territories
        for code in COUNTRIES:
            name = fold(territories.get(code, ""))
            if len(name) >= 4 and name not in _NOT_NAMES:
                names[code].add(re.escape(name).replace("\\ ", " ").replace("ı", "[ıi]"))
    return {code: tuple(sorted(found | set(_LOCATIVES.get(code, ())))) for code, found in names.items()}


for _code, _names in _native_names().items():
    COUNTRIES[_code] = tuple(dict.fromkeys(COUNTRIES[_code] + _names))

LANGUAGES: dict[str, tuple[str, ...]] = {
    "en": ("english",), "es": ("spanish", "espanol", "castellano"), "de": ("german", "deutsch"),
    "fr": ("french", "francais"), "pt": ("portuguese", "portugues"), "it": ("italian", "italiano"),
    "nl": ("dutch",), "pl": ("polish",), "sv": ("swedish",), "da": ("danish",), "no": ("norwegian",),
    "fi": ("finnish",), "ja": ("japanese",), "ko": ("korean",), "zh": ("chinese", "mandarin"), "hi": ("hindi",),
    "ar": ("arabic",), "tr": ("turkish",),
}
_LANGUAGE_CONTEXT = (r"(?:-|\s)?(?:speaking|speakers?|language|content|audiences? speaking)|"
                     r"(?<=in )|(?<=speak )|(?<=speaks )|(?<=speaking )")


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A word of `words`, whole, or glued to a creator noun ("lifestylecreators", "beautyinfluencer")."""
    return re.compile(r"(?<![\w@#-])(?:" + "|".join(words) + r")(?![\w])|(?<![\w@#-])(?:" + "|".join(words)
                      + rf")(?={_CREATOR_SUFFIX})")


def _match(table: dict[str, tuple[str, ...]], text: str) -> list[str]:
    folded = fold(text)
    hits = []
    for canonical, words in table.items():
        found = _pattern(words).search(folded)
        if found:
            hits.append((found.start(), canonical))
    return [canonical for _, canonical in sorted(hits)]


# "X" alone is Twitter only as a platform: in a list of platforms ("TikTok, Instagram, X") or "on X".
_X_PLATFORM = re.compile(r"(?<![\w$€£.-])X(?![\w$€£-])(?!\.\w)")
_X_CONTEXT = re.compile(r"\b(on|auf|en|em|su|op|na|di|and|und|y|e|et|en|i|ve|dan|or|plus)\s*$|[,/&+]\s*$", re.I)


def match_platforms(text: str) -> list[str]:
    found = _match(PLATFORMS, text)
    if "twitter" not in found:
        for m in _X_PLATFORM.finditer(text):
            before, after = text[: m.start()], text[m.end():]
            listed = bool(_X_CONTEXT.search(before)) and (bool(found) or re.search(r"\b(on|auf|su|op)\s*$", before))
            if listed or (found and re.match(r"\s*[,/&+]\s*\w", after)):
                hits = [(fold(text).find(name), name) for name in found] + [(m.start(), "twitter")]
                return [name for _, name in sorted(hits)]
    return found


# Words for creators in our markets' languages: a category right beside one ("pet creators", "Haustier-Creator",
# "creatori food e lifestyle", "kreator kuliner dan gaya hidup") describes the creators; one elsewhere may only
# name the product ("grain-free dog food", "baby food brand", "sports nutrition").
_CREATOR_NOUN = (r"(?:creators?|creator\w*|content creators?|influenc\w*|bloggers?|vloggers?|youtubers?|tiktokers?|"
                 r"instagrammers?|streamers?|creador\w*|criador\w*|createur\w*|creatrice\w*|creatori|kreator\w*|"
                 r"tworc\w*|icerik ureticiler\w*|makers?|profil\w*|accounts?|channels?|pages?)")
_JOIN = r"\s*-?\s*(?:,|&|/|\+|and|e|y|et|und|en|i|ve|dan|or|o|ou|oder|of)?\s*-?\s*"
_CREATOR_SUFFIX = r"(?:creators?|creator\w*|influenc\w*|bloggers?)"


def _all_words() -> str:
    return "|".join(f"(?:{w})" for words in CATEGORIES.values() for w in words)


@cache
def _attached_pattern() -> re.Pattern[str]:
    cat = rf"(?<![\w@#])(?:{_all_words()})"
    chain = rf"{cat}(?:{_JOIN}{cat})*"
    before = rf"{chain}-?\s*(?:micro|nano|mid|macro|mega)?-?\s*{_CREATOR_NOUN}\b"
    after = rf"\b{_CREATOR_NOUN}\s+(?:(?:de|di|da|do|des|du|of|in|w|for|para|per)\s+)?{chain}(?![\w])"
    return re.compile(rf"{before}|{after}")


def match_categories(text: str) -> list[str]:
    """Categories named; when some are named as the creators' own ("fitness creators"), only those (a category
    named elsewhere may be the product's: "sports nutrition", "dog food")."""
    found = _match(CATEGORIES, text)
    if len(found) < 2:
        return found
    folded = fold(text)
    attached = " ".join(m.group(0) for m in _attached_pattern().finditer(folded))
    kept = [name for name in found if _pattern(CATEGORIES[name]).search(attached)] if attached else []
    return kept or found


def _language_spans(folded: str) -> list[tuple[int, int]]:
    spans = []
    for words in LANGUAGES.values():
        for m in re.finditer(r"(?:\bin |\bspeaks? |\bspeaking )?\b(?:" + "|".join(words) + r")\b"
                             r"(?:-| )?(?:speaking|speakers?|language|content)?", folded):
            phrase = m.group(0)
            if phrase.startswith(("in ", "speak")) or phrase.endswith(("speaking", "speaker", "speakers", "language",
                                                                        "content")):
                spans.append((m.start(), m.end()))
    return spans


def match_languages(text: str) -> list[str]:
    """Languages named as languages ("Spanish-speaking", "content in German"), not as nationalities."""
    folded = fold(text)
    hits = []
    for start, end in _language_spans(folded):
        phrase = folded[start:end]
        for code, words in LANGUAGES.items():
            if re.search(r"\b(?:" + "|".join(words) + r")\b", phrase):
                hits.append((start, code))
    return list(dict.fromkeys(code for _, code in sorted(hits)))


def match_countries(text: str) -> list[str]:
    """Countries named, by name, native name, demonym ("German creators"), region (DACH) or code (US, UK)."""
    folded = fold(text)
    for start, end in _language_spans(folded):  # "French-speaking" is a language, not France
        folded = folded[:start] + " " * (end - start) + folded[end:]
    hits: list[tuple[float, str]] = []
    for region, region_codes in REGIONS.items():
        for found in re.finditer(rf"\b{region}\b", folded):
            hits.extend((found.start() + i / 10, code) for i, code in enumerate(region_codes))
    for code, names in COUNTRIES.items():
        named = _pattern(tuple(n for n in names if n not in {"uk", "usa", "uae"})).search(folded)
        if named:
            hits.append((named.start(), code))
    tokens = [(m.start(), m.end(), m.group(1)) for m in re.finditer(r"(?<![\w$])([A-Z]{2,3})(?![\w$])", text)]
    for index, (start, end, token) in enumerate(tokens):
        code = _CODE_ALIASES.get(token, token)
        if code not in COUNTRIES:
            continue
        if token in _AMBIGUOUS_CODES:
            neighbours = [t for t in tokens[max(0, index - 1): index + 2] if t[2] != token]
            beside = any(abs(n[0] - end) <= 3 or abs(start - n[1]) <= 3 for n in neighbours)
            if not beside:
                continue
        hits.append((start, code))
    return list(dict.fromkeys(code for _, code in sorted(hits)))
