"""Character-level facts about text: scripts, normalization for comparison, words.

Arabic needs care: bidi marks, tatweel and diacritics change the code points but not the
text a reader sees, and Arabic-Indic digits are digits. ``normalize_line`` folds them so
that two copies of the same menu item compare equal.

Chinese, Japanese and Thai are written without spaces between words: ``measure_lines``
counts their letters apart from the word runs of spaced scripts, and ``word_equivalents``
turns both into one comparable number of words per line.

The work per line is compiled (``classifier/_line_text.pyx``); what each character is (its
script, ``\\w``, what folding makes of it) is defined here, with ``re`` and ``str``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from classifier import _line_text, date_words

# Han ideographs (with the iteration marks 々〆〇 and the supplementary planes) and kana
# (with half-width katakana): Chinese and Japanese, written without spaces.
_HAN_KANA = "\u3005-\u3007\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F"
# Thai consonants, vowels and tone marks (its digits are digits, ๏ ๚ ๛ punctuation); Thai is
# written without spaces between words. The vowel and tone marks are combining marks, which
# regex ``\w`` does not match.
_THAI_LETTERS = "\u0E01-\u0E3A\u0E40-\u0E4E"
# Letters per script, as regex classes usable with ``Series.str.count``. ``cjk`` is Chinese
# and Japanese; Korean Hangul (syllables and jamo) is ``hangul``, as Korean has spaces.
SCRIPT_PATTERNS = {
    "arabic": "[\u0620-\u063F\u0641-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]",
    "latin": "[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]",
    "cjk": f"[{_HAN_KANA}]",
    "hangul": "[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF]",
    "thai": f"[{_THAI_LETTERS}]",
    "cyrillic": "[\u0400-\u052F]",
    "greek": "[\u0370-\u03FF\u1F00-\u1FFF]",
}
SCRIPTS = tuple(SCRIPT_PATTERNS)
# Scripts written without spaces between words: their letters are counted, not their words.
UNSPACED_SCRIPTS = ("cjk", "thai")
# ``\d`` is Unicode-aware: Arabic-Indic and Extended Arabic-Indic digits count too.
DIGIT_PATTERN = r"\d"
# Thai vowel and tone marks are letters of their script, not punctuation.
PUNCT_PATTERN = rf"[^\w\s{_THAI_LETTERS}]"
# The one-character classes counted on each line by ``measure_lines``.
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
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"\w+")

# Mean word length in characters of running text, counted on the gold text of
# ../shared/data: Chinese 1.80 (jieba on 200 zh pages, 186k words), Japanese 1.78 (janome on
# the 6 ja pages); Chinese segmentation standards give 1.6-1.8 (PKU shorter, jieba longer).
HAN_KANA_CHARS_PER_WORD = 1.8
# Thai: 4.39 characters (vowel and tone marks included) per word, pythainlp's newmm on the
# two th pages of ../shared/data (538 words); published figures are 4-5.
THAI_CHARS_PER_WORD = 4.4


def fold(text: str) -> str:
    """Drop invisible marks, tatweel and Arabic diacritics; Arabic-Indic digits to ASCII; lone
    surrogates to U+FFFD; casefold."""
    return _line_text.fold(text, _CHARS)


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, as the readers do: valid Unicode,
    which pandas' Arrow string columns need."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def normalize_line(line: str) -> str:
    """The comparison key of a line: folded, bullets and repeated spaces removed."""
    return _line_text.line_key(line, _CHARS)


def line_fingerprints(site: str, lines: Sequence[str]):
    """The fingerprints (``classifier.site_counts``) of the non-blank lines of a page of
    ``site``, by their ``normalize_line`` keys: a uint64 array, one per non-blank line."""
    return _line_text.page_fingerprints(site, lines, _CHARS)


def words(text: str) -> list[str]:
    """Word tokens (Unicode ``\\w`` runs) of folded text."""
    return _line_text.line_words(text, _CHARS)


@dataclass(frozen=True)
class LineWords:
    """The word tokens (``words``) of each of a list of texts, each distinct word one string:
    text t's words are ``distinct[k]`` for each k of ``ids[offsets[t]:offsets[t + 1]]``."""

    ids: np.ndarray
    offsets: np.ndarray
    distinct: list[str]

    def __getitem__(self, text: int) -> list[str]:
        return [self.distinct[k] for k in self.ids[self.offsets[text] : self.offsets[text + 1]].tolist()]

    def shares_in(self, stoplist: frozenset[str], texts: np.ndarray) -> np.ndarray:
        """Per text of ``texts`` (indices), the share of its words in ``stoplist``, NaN for a
        text without words: ``sum(word in stoplist for word in words) / len(words)``, the same
        float. Each distinct word is looked up once."""
        texts = np.asarray(texts, dtype=np.int64)
        listed = np.fromiter((word in stoplist for word in self.distinct), dtype=bool, count=len(self.distinct))
        hits_before = np.concatenate(([0], np.cumsum(listed[self.ids])))  # of the words before each
        starts, ends = self.offsets[texts], self.offsets[texts + 1]
        counts = ends - starts
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, (hits_before[ends] - hits_before[starts]) / counts, np.nan)


@dataclass(frozen=True)
class LineTexts:
    """What ``measure_lines`` finds in each of its texts, in their order."""

    # The text without invisible marks (bidi controls, zero-width characters) and without the
    # spaces around it: what the features measure (a line ending in "؟" and a right-to-left
    # mark ends in "؟"); output keeps the line as written.
    stripped: list[str]
    # ``normalize_line`` and ``words`` of the text.
    keys: list[str]
    words: LineWords
    # Arrays, one value per text, by name. Of the stripped text: how many of its characters
    # match each pattern of ``CHAR_CLASS_PATTERNS`` (``len(re.findall(pattern, stripped))``);
    # ``spaced_words``, its runs of word characters (``\\w`` and combining marks, which are part
    # of the word they follow) outside the unspaced scripts, the words of scripts written with
    # spaces: ``len(words(line))`` where no combining mark splits a ``\\w`` run ("vélo" with a
    # combining accent, "ve" + U+0301 + "lo", is one word here, two there); ``n_chars``; and
    # its list, menu and sentence shapes (``classifier._line_text.SHAPE_COUNTS`` and
    # ``SHAPE_FLAGS``: ``indent_chars`` and ``starts_with_bullet`` are of the text before
    # stripping); ``date_share``, the share of its folded characters (spaces left out) that
    # are dates, times, times ago, reading times and counts of views or comments
    # (``classifier.date_words``).
    measures: dict[str, np.ndarray]


def measure_lines(texts: Sequence[str]) -> LineTexts:
    """The stripped visible text, key, words and measures of each text, in one compiled pass
    per text (``classifier/_line_text.pyx``)."""
    stripped, keys, words, measures = _line_text.measure_lines(texts, _CHARS, _DATE_WORDS)
    return LineTexts(stripped, keys, LineWords(*words), measures)


def word_equivalents(counts: dict[str, np.ndarray]) -> np.ndarray:
    """Words per line, for every script, from ``measure_lines``' counts: the words of spaced
    scripts, plus one word per HAN_KANA_CHARS_PER_WORD Han and kana characters and per
    THAI_CHARS_PER_WORD Thai letters (a fraction: a Chinese sentence of 60 characters is
    about 33 words, not one)."""
    return counts["spaced_words"] + counts["cjk"] / HAN_KANA_CHARS_PER_WORD + counts["thai"] / THAI_CHARS_PER_WORD


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


def _is_spaced_word_char(char: str) -> bool:
    """A character of a word of a spaced script: ``\\w``, a combining mark, or one of the
    Arabic marks ``fold`` drops inside words (some are not combining), outside the unspaced
    scripts."""
    if _UNSPACED_CHAR.match(char):
        return False
    return bool(_WORD.match(char)) or unicodedata.category(char).startswith("M") or ord(char) in _ARABIC_MARKS


def _is_invisible(char: str) -> bool:
    return ord(char) in _INVISIBLE


def _fold_char(char: str) -> str:
    """What ``fold`` makes of one character: fold maps each character on its own (translating
    and casefolding both do)."""
    return char.translate(_FOLD).casefold()


_UNSPACED_CHAR = re.compile("|".join(SCRIPT_PATTERNS[script] for script in UNSPACED_SCRIPTS))
# Every class the line kernel tells characters apart by: those it counts per line, and those
# its patterns read (``\\s`` and ``\\d`` are counted too).
_CHARS = _line_text.CharTable(
    {
        **{name: re.compile(pattern).match for name, pattern in CHAR_CLASS_PATTERNS.items()},
        "word": _WORD.match,
        "invisible": _is_invisible,
        "spaced_word": _is_spaced_word_char,
    },
    _fold_char,
)
# The lexicon of ``date_share``: each folded word -> the number of its kind in the kernel
# (from 1, in its DATE_WORD_KINDS order).
_DATE_WORDS = {
    word: _line_text.DATE_WORD_KINDS.index(kind) + 1
    for kind, words_of_kind in date_words.WORDS_OF_KIND.items()
    for word in words_of_kind
}
