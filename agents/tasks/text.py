"""Text hygiene shared by the task rules: HTML mail to plain text, quoted history and signatures removed,
accent-folded matching, and the sentences that carry instructions aimed at a machine (prompt injection).

Inbound text (creator replies) and pasted text inside a manager's message are data: the rules drop sentences
that try to instruct the system, and quoted spans in a manager's message state nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata

_DROP_BLOCKS = re.compile(r"<(style|script|head|title)\b.*?</\1\s*>", re.S | re.I)
_QUOTE_BLOCKS = re.compile(r"<(blockquote)\b.*?</\1\s*>|<div[^>]*class=\"?[^\">]*(gmail_quote|moz-cite)[^>]*>.*",
                           re.S | re.I)
_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr|li|p)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_LOOKS_HTML = re.compile(r"<\s*(html|body|div|p|br|span|table|ul|b|strong|a)\b", re.I)
# Where quoted history starts in replies ("On Tue, ... wrote:", "-----Original Message-----", ...).
_HISTORY = re.compile(
    r"^\s*(on .{4,120} wrote:|le .{4,120} a écrit\s*:|am .{4,120} schrieb .{0,80}:|el .{4,120} escribió:|"
    r"em .{4,120} escreveu:|il .{4,120} ha scritto:|-{2,}\s*original message\s*-{2,}|"
    r"-{2,}\s*forwarded message\s*-{2,}|from:\s.+|de\s?:\s.+@.+|von:\s.+)\s*$", re.I | re.M)
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


def strip_history(text: str) -> str:
    """Drop quoted history ("On … wrote:" onwards, `>` lines) and the signature after a `-- ` line."""
    match = _HISTORY.search(text)
    if match:
        text = text[: match.start()]
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    signature = _SIGNATURE.search(text)
    return text[: signature.start()] if signature else text


def clean_inbound(text: str) -> str:
    """A reply's own words: HTML to text, history and signature removed, whitespace tidied."""
    plain = strip_history(html_to_text(text or ""))
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
