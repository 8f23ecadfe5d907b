"""Cutting an email reply down to what the creator wrote now: no quoted history, no signature.

Applied to the text part (or the HTML turned into text) before the negotiation agent sees it. Removes, in order:
`>`-quoted lines; everything from an attribution line ("On … wrote:", "Am … schrieb …:", "Le … a écrit :",
"El … escribió:", "Il … ha scritto:", "Em … escreveu:", "Op … schreef …:", "… skrev:", "W dniu … napisał:",
"… пишет:"), from an "Original Message" separator, from an Outlook header block ("From: …" followed by
"Sent:"/"Date:" — and the German/French/Spanish/Italian/Portuguese/Dutch equivalents) or an Outlook underscore
rule; and from a signature: the standard `-- ` delimiter or a mobile footer ("Sent from my iPhone",
"Enviado desde mi iPhone", "Von meinem iPhone gesendet", …). An attribution line directly followed by
quoted lines is bottom-posting: only the attribution goes, the answer below the quote is kept.
"""

from __future__ import annotations

import html as html_lib
import re

_ATTRIBUTION = re.compile(
    r"^(on\b.{0,300}\bwrote|am\b.{0,300}\bschrieb.{0,200}|le\b.{0,300}\ba [ée]crit|el\b.{0,300}\bescribi[óo]"
    r"|il\b.{0,300}\bha scritto|em\b.{0,300}\bescreveu|op\b.{0,300}\bschreef.{0,200}|.{0,300}\bskrev"
    r"|w dniu\b.{0,300}\bnapisa[łl]a?|.{0,300}\b(пишет|написал[аи]?))\s*:\s*$",
    re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original"
    r"|messaggio originale|mensagem original|oorspronkelijk bericht|forwarded message)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(from|von|de|da|van|från|od)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_SENT = re.compile(
    r"^\s*\*?(sent|date|gesendet|datum|envoy[ée]|date|enviado|fecha|inviato|data|verzonden|skickat|wysłano)\s*:",
    re.IGNORECASE,
)
_OUTLOOK_RULE = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE_DELIMITER = re.compile(r"^-- ?$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(sent from my|sent from mail for|sent via|sent with|get outlook for|enviado desde mi|enviado desde|"
    r"enviado do meu|enviado do|envoy[ée] de mon|envoy[ée] depuis|von meinem .{0,40} gesendet|gesendet von|"
    r"inviato da|verzonden (met|vanaf) mijn|skickat fr[åa]n)\b",
    re.IGNORECASE,
)


def _starts_quoted_block(lines: list[str], index: int) -> bool:
    """True when the next non-empty line after `index` is `>`-quoted (bottom-posting)."""
    for line in lines[index + 1:]:
        if line.strip():
            return line.lstrip().startswith(">")
    return False


def _is_outlook_header(lines: list[str], index: int) -> bool:
    if not _HEADER_FROM.match(lines[index]):
        return False
    return any(_HEADER_SENT.match(line) for line in lines[index + 1:index + 5])


def _attribution_at(lines: list[str], index: int) -> int:
    """How many lines (1 or 2) form an attribution starting at `index`; 0 when none does (clients wrap it)."""
    if _ATTRIBUTION.match(lines[index].strip()):
        return 1
    if index + 1 < len(lines) and _ATTRIBUTION.match(f"{lines[index].strip()} {lines[index + 1].strip()}"):
        return 2
    return 0


def strip_quoted_reply(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith(">"):
            index += 1
            continue
        attribution = _attribution_at(lines, index)
        if attribution:
            if _starts_quoted_block(lines, index + attribution - 1):
                index += attribution
                continue
            break
        if (_ORIGINAL_MESSAGE.match(line) or _OUTLOOK_RULE.match(line) or _is_outlook_header(lines, index)
                or _SIGNATURE_DELIMITER.match(line) or _MOBILE_FOOTER.match(line)):
            break
        kept.append(line.rstrip())
        index += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


_QUOTE_CONTAINERS = re.compile(
    r"<blockquote\b.*?</blockquote>|<div[^>]*class=\"[^\"]*(gmail_quote|yahoo_quoted|moz-cite-prefix)[^\"]*\".*$",
    re.IGNORECASE | re.DOTALL,
)


def html_to_text(markup: str) -> str:
    """A plain-text reading of an HTML body, quoted containers (blockquote, Gmail/Yahoo quotes) dropped."""
    text = _QUOTE_CONTAINERS.sub("", markup)
    text = re.sub(r"<(script|style|head)\b.*?</\1>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</(p|div|li|tr|h[1-6])>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    text = html_lib.unescape(text).replace("\xa0", " ")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()
