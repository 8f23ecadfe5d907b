"""Text hygiene shared by the task rules: HTML mail to plain text, quoted history and signatures removed,
accent-folded matching, and the sentences that carry instructions aimed at a machine (prompt injection).

Inbound text (creator replies) and pasted text inside a manager's message are data: the rules drop sentences
that try to instruct the system, and quoted spans in a manager's message state nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

_DROP_BLOCKS = re.compile(r"<(style|script|head|title)\b.*?</\1\s*>", re.S | re.I)
_QUOTE_BLOCKS = re.compile(r"<(blockquote)\b.*?</\1\s*>|<div[^>]*class=\"?[^\">]*(gmail_quote|moz-cite)[^>]*>.*",
                           re.S | re.I)
_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr|li|p)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_LOOKS_HTML = re.compile(r"<\s*(html|body|div|p|br|span|table|ul|b|strong|a)\b", re.I)
# Where quoted history starts in replies ("On Tue, ... wrote:", "-----Original Message-----", ...).
# `mail-parser-reply` knows most clients' headers; these cover the languages it lacks (pt, tr, id) and the
# Outlook header blocks ("Da:/Inviato:", "____/Sent:") in every market language. Line starts and ends match
# `[ \t]*`, not `\s*`: `\s` crosses newlines, and a body of thousands of blank lines took half a minute.
_HISTORY = re.compile(
    r"^[ \t]*(on .{4,160} wrote:|le .{4,160} a [ée]crit\s*:|am .{4,160} schrieb .{0,80}:|el .{4,160} escribi[óo]:|"
    r"em .{4,160} escreveu:|il .{4,160} ha scritto:|op .{4,160} schreef .{0,80}:|w dniu .{4,160} napisa[łl]\(?a?\)?:|"
    r".{4,160} tarihinde .{0,80} yazd[ıi]:|pada .{4,160} menulis:|"
    r"-{2,}\s*(original message|forwarded message|mensaje original|mensagem original|message d'origine|"
    r"urspr[üu]ngliche nachricht|messaggio originale|oorspronkelijk bericht|oryginalna wiadomo[śs][ćc]|"
    r"orijinal mesaj|pesan asli)\s*-{2,}|_{8,}|"
    r"(from|de|von|da|van|od|kimden|dari)\s?:\s.+@.+|(from|von|van|od|kimden)\s?:\s.+)[ \t]*$", re.I | re.M)
_OUTLOOK_SENT = re.compile(r"^[ \t]*(sent|gesendet|envoy[ée]|inviato|enviado|verzonden|wys[łl]ano|g[öo]nderildi|"
                           r"dikirim)\s?:", re.I | re.M)
# Zero-width characters and bidi controls: invisible, and able to reorder or split digits ("1\u200b000").
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_SIGNATURE = re.compile(r"^--\s*$", re.M)

# Phrases that address the system rather than a person: a sentence holding one states nothing.
INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instructions?|prompts?|rules|guidelines|context)\b|"
    r"\byou are now\b|\bsystem\s*(prompt|notice|message|override)?\s*:|\badmin mode\b|\bdeveloper mode\b|"
    r"\bnew instructions\b|\bas an ai\b|\bdo not (inform|tell) the (operator|user|manager)\b|"
    r"\b(classify|mark|record|label|tag) (this|the|me)\b[^.!?\n]{0,40}\bas\b|\bjailbreak\b|"
    r"\boutput the (full|entire|complete)\b|\breply with the (campaign|budget|system)\b",
    re.I)
_QUOTED_SPAN = re.compile(r"\"[^\"\n]{3,}\"|“[^”\n]{3,}”|«[^»\n]{3,}»|„[^“”\n]{3,}[“”]")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n")


def html_to_text(text: str) -> str:
    """Plain text of an HTML mail body (quoted history, styles and scripts removed); plain text is returned as is."""
    if not _LOOKS_HTML.search(text):
        return text
    text = _DROP_BLOCKS.sub(" ", text)
    text = _QUOTE_BLOCKS.sub(" ", text)
    text = _BREAKS.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"[ \t\xa0]+", " ", text)


def normalize(text: str) -> str:
    """NFKC (full-width digits, ligatures, non-breaking spaces as their plain forms), invisible and bidi control
    characters removed: what a reader sees, not what a trick hides."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


@cache
def _reply_parser() -> EmailReplyParser:
    return EmailReplyParser(languages=[code for code in MAIL_LANGUAGES if len(code) == 2])


def _library_reply(text: str) -> str:
    """The latest reply as `mail-parser-reply` sees it (headers of Gmail, Outlook, Apple Mail in many languages);
    the text unchanged if it finds nothing or fails."""
    try:
        reply = _reply_parser().parse_reply(text)
    except Exception:  # a parsing library must never lose a reply
        return text
    return reply if reply and reply.strip() else text


# Inbound mail is untrusted: what the history and signature patterns (ours and the library's, some of which
# backtrack over runs of blank lines) get to read is bounded — runs of blank lines collapsed, the first
# MAX_SCANNED_CHARS kept (a reply's own words come first; the rules read 8,000 of them).
MAX_SCANNED_CHARS = 20_000
_BLANK_RUN = re.compile(r"(?:[ \t]*\n){3,}")


def scan_window(text: str) -> str:
    """The part of an inbound text the patterns read (idempotent)."""
    return _BLANK_RUN.sub("\n\n", text[:MAX_SCANNED_CHARS * 4])[:MAX_SCANNED_CHARS]


def strip_history(text: str) -> str:
    """Drop quoted history ("On … wrote:", Outlook header blocks, `>` lines) and the signature after `-- `."""
    text = scan_window(text)
    if _OUTLOOK_SENT.search(text) or _HISTORY.search(text):
        text = _library_reply(text)
    match = _HISTORY.search(text)
    if match:
        text = text[: match.start()]
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    signature = _SIGNATURE.search(text)
    return text[: signature.start()] if signature else text


def clean_inbound(text: str) -> str:
    """A reply's own words: HTML to text, history and signature removed, whitespace tidied."""
    plain = strip_history(html_to_text(normalize(text or "")))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in plain.splitlines())).strip()


def fold(text: str) -> str:
    """Lower case without accents (and with typographic apostrophes made plain) for keyword matching."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def sentences(text: str) -> list[str]:
    """Sentences split at [.!?] + whitespace and at line ends ("1.200" and "e.g.x" stay whole)."""
    return [s.strip() for s in _SENTENCE_BREAK.split(text) if s and s.strip()]


def drop_injections(text: str, *, rest_of_paragraph: bool = False) -> tuple[str, list[str]]:
    """The text without sentences that instruct the system, and the dropped sentences.

    With `rest_of_paragraph`, everything after such a sentence in the same paragraph goes too (untrusted inbound
    text: a payload tends to continue); a manager's own later sentences are kept.
    """
    kept: list[str] = []
    dropped: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        poisoned = False
        for sentence in sentences(paragraph):
            if INJECTION.search(sentence) or (poisoned and rest_of_paragraph):
                dropped.append(sentence)
                poisoned = True
            else:
                kept.append(sentence)
        kept.append("\n")
    return " ".join(kept).replace(" \n ", "\n").strip(), dropped


def drop_quoted(text: str) -> str:
    """A manager's message without quoted spans: quoted text is someone else's words, not the manager's brief."""
    return _QUOTED_SPAN.sub(" ", text)
