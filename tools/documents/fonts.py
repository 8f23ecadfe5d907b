"""Fonts for generated PDFs, and what to do with characters no font can draw.

The body font is DejaVu Sans, the TTF shipped inside matplotlib's wheel (a maintained pip package; nothing is
downloaded and the file is found without importing matplotlib). It covers Latin (all European names: "Zoë Ñúñez",
"Łukasz Żółć"), Greek, Cyrillic, Armenian, Georgian, Hebrew and more; it has no CJK ideographs, Thai or Indic
scripts. Extra TTF/OTF files for those scripts (e.g. Noto Sans SC) can be listed in `PDF_FALLBACK_FONTS`; fpdf2
then draws each missing glyph from the first fallback font that has it.

Known limitation: without such a fallback font, a character no font covers (e.g. the CJK name "王小明") is printed
as a transliteration followed by its exact code points, "WangXiaoMing [U+738B U+5C0F U+660E]", so the document
never shows empty boxes and the original name stays recoverable. Transliteration of Japanese kanji uses Chinese
readings and is only a reading aid; the code points are authoritative.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from fontTools.ttLib import TTFont

from core.settings import get_settings


class FontUnavailable(RuntimeError):
    """The bundled body font is missing: the installation is incomplete."""


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path
    fallbacks: tuple[Path, ...] = ()


def _matplotlib_font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FontUnavailable("matplotlib (which ships the DejaVu Sans font) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


@lru_cache
def default_fonts() -> FontSet:
    font_dir = _matplotlib_font_dir()
    fonts = FontSet(regular=font_dir / "DejaVuSans.ttf", bold=font_dir / "DejaVuSans-Bold.ttf",
                    fallbacks=tuple(Path(p) for p in get_settings().PDF_FALLBACK_FONTS))
    for path in (fonts.regular, fonts.bold, *fonts.fallbacks):
        if not path.is_file():
            raise FontUnavailable(f"font file not found: {path}")
    return fonts


@lru_cache(maxsize=16)
def _codepoints(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


def _drawable(fonts: FontSet, character: str) -> bool:
    code = ord(character)
    if character in "\n\t" or code < 0x20:
        return character in "\n\t"
    return any(code in _codepoints(path) for path in (fonts.regular, *fonts.fallbacks))


def drawable_text(text: str, fonts: FontSet) -> str:
    """`text` with every run of characters no configured font can draw replaced by a transliteration and the
    exact code points (see the module docstring). Control characters other than newline and tab are dropped."""
    out: list[str] = []
    missing: list[str] = []

    def flush() -> None:
        if missing:
            run = "".join(missing)
            points = " ".join(f"U+{ord(c):04X}" for c in run)
            out.append(f"{anyascii(run).strip() or '?'} [{points}]")
            missing.clear()

    for character in text:
        if _drawable(fonts, character):
            flush()
            out.append(character)
        elif ord(character) >= 0x20:
            missing.append(character)
    flush()
    return "".join(out)
