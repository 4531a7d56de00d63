"""Character-level facts about text: scripts, normalization for comparison, words.

Arabic needs care: bidi marks, tatweel and diacritics change the code points but not the
text a reader sees, and Arabic-Indic digits are digits. ``normalize_line`` folds them so
that two copies of the same menu item compare equal.
"""

from __future__ import annotations

import re

# Letters per script, as regex classes usable with ``Series.str.count``.
SCRIPT_PATTERNS = {
    "arabic": "[\u0620-\u063F\u0641-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]",
    "latin": "[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]",
    "cjk": "[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]",
    "cyrillic": "[\u0400-\u052F]",
    "greek": "[\u0370-\u03FF\u1F00-\u1FFF]",
}
SCRIPTS = tuple(SCRIPT_PATTERNS)
# ``\d`` is Unicode-aware: Arabic-Indic and Extended Arabic-Indic digits count too.
DIGIT_PATTERN = r"\d"
PUNCT_PATTERN = r"[^\w\s]"

# Bidi controls and other invisible format characters (ALM, LRM, RLM, embeddings,
# isolates, zero-width space/joiners, word joiner, BOM).
_INVISIBLE = dict.fromkeys(
    [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_TATWEEL = 0x0640
# Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef) and Quranic marks.
_ARABIC_MARKS = dict.fromkeys([*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)])
# Arabic-Indic (U+0660..) and Extended Arabic-Indic (U+06F0..) digits -> ASCII digits.
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
_FOLD = {**_INVISIBLE, _TATWEEL: None, **_ARABIC_MARKS, **_DIGITS}
_SPACES = re.compile(r"\s+")
_LEADING_BULLETS = re.compile(r"^[\s•·◦▪►»>|*\-–—]+")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Drop invisible marks, tatweel and Arabic diacritics; Arabic-Indic digits to ASCII; casefold."""
    return text.translate(_FOLD).casefold()


def normalize_line(line: str) -> str:
    """The comparison key of a line: folded, bullets and repeated spaces removed."""
    return _SPACES.sub(" ", _LEADING_BULLETS.sub("", fold(line))).strip()


def words(text: str) -> list[str]:
    """Word tokens (Unicode ``\\w`` runs) of folded text."""
    return _WORD.findall(fold(text))
