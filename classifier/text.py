"""Character-level facts about text: scripts, normalization for comparison, words.

Arabic needs care: bidi marks, tatweel and diacritics change the code points but not the
text a reader sees, and Arabic-Indic digits are digits. ``normalize_line`` folds them so
that two copies of the same menu item compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

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
# The one-character classes counted on each line by ``count_char_classes``.
CHAR_CLASS_PATTERNS = {
    **SCRIPT_PATTERNS, "digit": DIGIT_PATTERN, "punct": PUNCT_PATTERN, "space": r"\s", "ascii_upper": "[A-Z]"
}

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
# Lone surrogates (a JSON "\\ud800" escape, bytes decoded with ``surrogateescape``) -> U+FFFD,
# as the readers replace them: a key must be valid Unicode, since pandas stores the keys as
# Arrow strings (UTF-8), which cannot hold them.
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), "\ufffd")
_FOLD = {**_INVISIBLE, _TATWEEL: None, **_ARABIC_MARKS, **_DIGITS, **_SURROGATES}
# Finds a character _FOLD changes: most lines have none, and translating is slow.
_FOLDED_CHAR = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in _FOLD if code not in _SURROGATES) + "\ud800-\udfff]"
)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LEADING_BULLETS = re.compile(r"^[\s•·◦▪►»>|*\-–—]+")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Drop invisible marks, tatweel and Arabic diacritics; Arabic-Indic digits to ASCII; lone
    surrogates to U+FFFD; casefold."""
    if _FOLDED_CHAR.search(text):
        text = text.translate(_FOLD)
    return text.casefold()


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, as the readers do: valid Unicode,
    which pandas' Arrow string columns need."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def normalize_line(line: str) -> str:
    """The comparison key of a line: folded, bullets and repeated spaces removed."""
    return _key_of_folded(fold(line))


def words(text: str) -> list[str]:
    """Word tokens (Unicode ``\\w`` runs) of folded text."""
    return _WORD.findall(fold(text))


def key_and_words(line: str) -> tuple[str, list[str]]:
    """``normalize_line(line)`` and ``words(line)``, folding the line once."""
    folded = fold(line)
    return _key_of_folded(folded), _WORD.findall(folded)


def _key_of_folded(folded: str) -> str:
    # Runs of spaces to one, ends stripped: ``str.split`` splits at exactly the characters
    # regex ``\s`` matches.
    return " ".join(_LEADING_BULLETS.sub("", folded).split())


def count_char_classes(lines: Sequence[str]) -> dict[str, np.ndarray]:
    """Per line, how many of its characters match each pattern of ``CHAR_CLASS_PATTERNS``:
    ``len(re.findall(pattern, line))``, counted for all lines at once over their code points."""
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    line_of_char = np.repeat(np.arange(len(lines)), lengths)
    classes = _CHAR_CLASSES[code_points("".join(lines))]
    return {
        name: np.bincount(line_of_char[(classes & (1 << bit)) != 0], minlength=len(lines))
        for bit, name in enumerate(CHAR_CLASS_PATTERNS)
    }


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates included), one per character."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


class CodePointTable:
    """``function(character)`` for arrays of code points: each value is computed the first
    time its code point is met and kept in a table over all of Unicode (the table's memory is
    only taken where it is written)."""

    def __init__(self, function: Callable[[str], object], dtype: type):
        self._function = function
        self._values = np.zeros(0x110000, dtype=dtype)
        self._known = np.zeros(0x110000, dtype=bool)

    def __getitem__(self, code_points: np.ndarray) -> np.ndarray:
        unknown = ~self._known[code_points]
        if unknown.any():
            new = np.unique(code_points[unknown])
            self._values[new] = [self._function(chr(code)) for code in new.tolist()]
            self._known[new] = True
        return self._values[code_points]


def _char_class_bits(char: str) -> int:
    return sum(1 << bit for bit, pattern in enumerate(_CHAR_CLASS_REGEXES) if pattern.match(char))


_CHAR_CLASS_REGEXES = [re.compile(pattern) for pattern in CHAR_CLASS_PATTERNS.values()]
_CHAR_CLASSES = CodePointTable(_char_class_bits, np.uint16)
