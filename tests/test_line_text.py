"""The compiled line kernel (``classifier/_line_text.pyx``) against the definitions it
replaced: Python's ``re`` patterns and ``str`` methods, written out again here, on real lines
and on odd ones (Arabic marks and digits, bidi marks, CJK, Thai, Turkish, Greek, combining
marks, lone surrogates, characters beyond the BMP, blank and very long lines)."""

import gzip
import itertools
import json
import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import _line_text, date_words
from classifier.html import render_html
from classifier.text import CHAR_CLASS_PATTERNS, SCRIPT_PATTERNS, fold, measure_lines, normalize_line, words
from tests.paths import GOLD, SEEDS, SHARED_DATA

# ----- the reference: the definitions as the features were first computed ---------------------

INVISIBLE = "[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
# Tatweel, Arabic diacritics and Quranic marks: fold drops them.
ARABIC_MARKS = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
UNSPACED = re.compile(SCRIPT_PATTERNS["cjk"] + "|" + SCRIPT_PATTERNS["thai"])
SHAPE_PATTERNS = {
    "n_separators": re.compile(r"\s[|»›/·•>]\s|\s[|»›]$|^[|»›]\s"),
    "n_urls": re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+"),
    "has_colon_prefix": re.compile(r"^\s*(?:[•·◦▪►*\-–—]\s*)?[^:：.!?؟。]{1,40}[:：]\s+\S"),
    "has_copyright_sign": re.compile(r"©|\(c\)|®"),
}
BULLET = re.compile(r"^\s*(?:[•·◦▪►*\-–—]|\d+[.)])\s")
TERMINAL_PUNCT = ".!?؟۔。！？…｡．।॥။։።។៕།"
CLOSING_MARKS = "」』）〕\"'”’)"


def reference_fold(text: str) -> str:
    text = re.sub(INVISIBLE, "", text)
    text = re.sub("\u0640|" + ARABIC_MARKS, "", text)
    text = re.sub("[\u0660-\u0669\u06f0-\u06f9]", lambda digit: str(unicodedata.digit(digit.group())), text)
    return re.sub("[\ud800-\udfff]", "\ufffd", text).casefold()


def reference_key(line: str) -> str:
    return " ".join(re.sub(r"^[\s•·◦▪►»>|*\-–—]+", "", reference_fold(line)).split())


def reference_words(line: str) -> list[str]:
    return re.findall(r"\w+", reference_fold(line))


def is_spaced_word_char(char: str) -> bool:
    if UNSPACED.match(char):
        return False
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M") or bool(re.match(ARABIC_MARKS, char))


def reference_measures(line: str) -> dict[str, int]:
    shown = re.sub(INVISIBLE, "", line)
    stripped = shown.strip()
    in_word = [is_spaced_word_char(char) for char in stripped]
    measures = {name: len(re.findall(pattern, stripped)) for name, pattern in CHAR_CLASS_PATTERNS.items()}
    measures |= {name: len(pattern.findall(stripped)) for name, pattern in SHAPE_PATTERNS.items()}
    measures |= {
        "spaced_words": sum(1 for i, inside in enumerate(in_word) if inside and (i == 0 or not in_word[i - 1])),
        "n_chars": len(stripped),
        "indent_chars": len(shown) - len(shown.lstrip()),
        "starts_with_bullet": BULLET.search(shown) is not None,
        "ends_with_terminal_punct": stripped.rstrip(CLOSING_MARKS)[-1:] in frozenset(TERMINAL_PUNCT),
        "ends_with_colon": stripped[-1:] in (":", "："),
    }
    measures["has_colon_prefix"] = min(measures["has_colon_prefix"], 1)
    measures["has_copyright_sign"] = min(measures["has_copyright_sign"], 1)
    measures["date_share"] = reference_date_share(line)
    return measures


def alternatives(words: frozenset[str]) -> str:
    """A regex of any of ``words`` as a whole token (no letter after it)."""
    return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?![^\W\d])"


# date_share's shapes, each matched at every position of the folded line; what any match
# covers is a date. JOIN: up to three spaces and joins between tokens; NUMBER(a, b): a whole
# run of a to b digits.
JOIN = r"[\s,.،:]{0,3}"
NUMBER = r"(?<!\d)\d{{{},{}}}(?!\d)".format
MONTH = r"(?<![^\W\d])" + alternatives(date_words.MONTHS) + f"(?:{JOIN}{alternatives(date_words.MONTH_SUFFIXES)})?"
DURATION = f"{NUMBER(1, 3)}{JOIN}{alternatives(date_words.DURATIONS)}"
READING = r"(?<![^\W\d])" + alternatives(date_words.READING)
COUNTED = NUMBER(1, 9) + r"(?:[,.]\d{3}(?!\d))*"
COUNT = r"(?<![^\W\d])" + alternatives(date_words.COUNTS)
UNIT = alternatives(date_words.DURATIONS | date_words.TIME_UNITS)
TIME = f"{NUMBER(1, 3)}{JOIN}{UNIT}(?:{JOIN}{NUMBER(1, 3)}{JOIN}{UNIT})*"
AGO_LEAD = r"(?<![^\W\d])(?:" + alternatives(date_words.AGO_LEADS) + "|" + JOIN.join(map(alternatives, ({"il"}, {"y"}, {"a"}))) + ")"
DATE_PATTERNS = [
    re.compile(p)
    for p in (
        NUMBER(1, 4) + r"([./-])\d{1,2}(?!\d)\1\d{2,4}(?!\d)",
        NUMBER(1, 2) + r":\d{2}(?!\d)(?::\d{2}(?!\d))?" + f"(?:{JOIN}{alternatives(date_words.MERIDIEMS)})?",
        f"{NUMBER(1, 4)}{JOIN}{MONTH}(?:{JOIN}{NUMBER(1, 4)})*",
        f"{MONTH}(?:{JOIN}{NUMBER(1, 4)})+",
        f"{DURATION}{JOIN}(?:{alternatives(date_words.READING_JOINS)}{JOIN})?{READING}",
        f"{READING}{JOIN}{DURATION}",
        r"(?<!\d)(?:\d{1,4}(?!\d)[年月日]){2,}",
        f"{COUNTED}{JOIN}{COUNT}",
        f"{COUNT}{JOIN}{COUNTED}",
        f"{TIME}{JOIN}{alternatives(date_words.AGO | {'ago'})}",
        f"{AGO_LEAD}{JOIN}{TIME}",
    )
]


def reference_date_share(line: str) -> float:
    folded = reference_fold(line)
    covered = set()
    for pattern in DATE_PATTERNS:
        for start in range(len(folded)):
            if match := pattern.match(folded, start):
                covered.update(range(match.start(), match.end()))
    shown = [i for i, char in enumerate(folded) if not char.isspace()]
    return sum(i in covered for i in shown) / len(shown) if shown else 0.0


def assert_kernel_is_reference(lines: list[str]) -> None:
    measured = measure_lines(lines)
    for i, line in enumerate(lines):
        assert measured.stripped[i] == re.sub(INVISIBLE, "", line).strip(), line
        assert measured.keys[i] == reference_key(line) == normalize_line(line), line
        assert measured.words[i] == reference_words(line) == words(line), line
        assert fold(line) == reference_fold(line), line
        for name, value in reference_measures(line).items():
            assert measured.measures[name][i] == value, (name, line)
    # Stopword shares from the numbered words, over every other line: as Python counts them.
    stoplist = frozenset(word for line in lines[::3] for word in reference_words(line)[:2])
    some = np.arange(len(lines))[::2]
    expected = [
        sum(word in stoplist for word in reference_words(lines[i])) / len(reference_words(lines[i])) if reference_words(lines[i]) else np.nan
        for i in some.tolist()
    ]
    assert np.array_equal(measured.words.shares_in(stoplist, some), expected, equal_nan=True)


# ----- lines ---------------------------------------------------------------------------------

ARTICLE_EN = "The minister said on Monday that the budget would grow by four percent next year."
ARTICLE_AR = "قال الوزير يوم الاثنين إن الميزانية ستنمو بنسبة أربعة في المئة في العام المقبل، وفق ما أعلنته الحكومة؟"
EDGE_LINES = [
    "", " ", "\t\n", "\u3000\u00a0 \x1c\x85", "\u200b", "\u200f", " \u200e \u200f ",
    "ـــالأخبار ـــ ١٢", "اَلْأَخْبَارُ الْيَوْمَ", "\u200fمرحبا\u200e world\u200f", "١٤ مشاهدة ۲۳ ٫٥", "\u202bنص\u202c؟\u200f",
    "北京时间今天上午，国家统计局发布了最新的经济数据。", "「ありがとう。」", "ｱｲｳ ＡＢＣ １２３", "ภาษาไทยเป็นภาษาที่สวยงาม ๑๒",
    "İstanbul'da İYİ ıi I", "ΟΔΟΣ Καλημέρα σας ΣΊΣΥΦΟΣ ς", "e\u0301 ho\u0300a Vi\u1ec7t \u0301x", "straße ﬁne ǅ ŉ",
    "a\ud800b \udfff\udc80 \ud83d", "𝐀𝐁𝐂 😀 𠀀𠀁 \U0010ffff \U000e0041", "한국어 서울시",
    "  • News", "1) First", "12. Twelfth", "١٢. البند", "•x", "- ", "— item", "5.", "  3)  x",
    "Home | News | Sport", "Home »", "| Home", "a / b > c", "» Next", "x |\n", " | ",
    "visit https://example.com/x?y or www.example.org", "http://", "https://a", "xhttp://y", "www.", "www.x",
    "mail a@b.c@d.ef", "a@b.c/www./", "x@y.z, p@q.r.", "@a.b", "a@.b", "a@b.", "a@b._", "a@@b..c",
    "Source: Agencies", "  • المصدر: وكالات الأنباء", "The talks ended at 10:30 on Monday.", "Summary:", "Read more",
    ":  x", "a: ", "• : x", "x" * 40 + ": y", "x" * 41 + ": y", "a.b: c", "label：值",
    "© 2025 Example Corp.", "(c) 2024", "(C) no", "®", "He said \"yes.\"", "（以上。）", "《袁晓东的故事！》",
    "Read more [...]", "!!! ... ???", "…", "a_b c__d", "x²³ ½ Ⅻ",
    "March 5, 2024", "5 mars 2024 à 10:30", "Updated 2024-05-01 10:30:15 pm", "1.5.2024", "01/05/24", "1/5-2024",
    "5 min read", "5 minutes of reading", "Lesezeit: 4 Minuten", "قراءة ٣ دقائق", "3 دقائق للقراءة", "٥ كانون الثاني ٢٠٢٤",
    "السبت، 12 أكتوبر 2024 - 10:45 م", "2024年5月1日发布", "5月1日 ", "In March the army moved", "10 out of 12", "May2024",
    "12345 March", "March 12345", "1:30:4", "123:45", "Jan.. ,3", "read 5 min read", "٢٠٢٤/٥/١",
    "3 days ago", "2 hours, 5 minutes ago.", "Hace 28 minutos", "il y a 5 jours", "ilya 3 jours", "منذ ٣ ساعات",
    "2 часа назад", "3 ore fa", "há 2 horas", "1234 days ago", "a 3 horas de Madrid", "founded 20 years ago in Ohio",
    ARTICLE_EN, ARTICLE_AR, ARTICLE_EN * 200, ARTICLE_AR * 100, "mail me at a@b.co or www.x.org | " * 500,
]


def test_the_kernel_is_the_reference_on_edge_lines():
    assert_kernel_is_reference(EDGE_LINES)


def seed_lines() -> list[str]:
    lines = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]
    for record in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines()):
        lines += record.get("lines") or record.get("text", "").splitlines()
    return lines


def test_the_kernel_is_the_reference_on_the_seed_lines():
    lines = seed_lines()
    assert len(lines) > 100
    assert_kernel_is_reference(lines)


# Rendered as ``featurize`` gets them: a few pages of Latin, Arabic, Chinese and mixed datasets.
SHARED_DATASETS = ("arabic", "chinese_wce", "cleaneval", "dragnet", "wcxb", "daniel")
SHARED_PAGES_PER_DATASET = 8


def test_the_kernel_is_the_reference_on_real_pages():
    if not all((SHARED_DATA / f"{name}.jsonl.gz").is_file() for name in SHARED_DATASETS):
        pytest.skip(f"shared data not found at {SHARED_DATA}; set BOILERLINE_DATA to the folder of *.jsonl.gz")
    lines = []
    for name in SHARED_DATASETS:
        with gzip.open(SHARED_DATA / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
            for record in map(json.loads, itertools.islice(handle, SHARED_PAGES_PER_DATASET)):
                lines += render_html(record["html"])[0]
    assert len(set(lines)) > 1000
    assert_kernel_is_reference(list(dict.fromkeys(lines)))


# Any code point, lone surrogates included (hypothesis's characters leave them out).
ANY_CHAR = st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr), st.integers(0, 0x10FFFF).map(chr))
# The characters the patterns turn on, to meet their corner cases often.
PATTERN_CHARS = st.sampled_from(list("ahtps:/w.@_ c1٣\t\u00a0\u200f•-)|»›>·：:?。©®()\n'」xİß"))


# Tokens and joins of dates and counts, to build many near-dates.
DATE_PIECES = st.sampled_from(
    ["5", "12", "2024", "12345", "١٢", "march", "Mar", "كانون", "الثاني", "min", "دقائق", "read", "قراءة", "of", "pm", "م",
     "年", "月", "日", "x", " ", "  ", ",", ".", ":", "/", "-", "،", "\u0640", "\u200f",
     "871", "123456789", "1234567890", "views", "Comments", "مشاهدة", "тыс",
     "hours", "Días", "ساعات", "ago", "назад", "hace", "منذ", "il", "y", "a", "ya"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(DATE_PIECES, max_size=12).map("".join), min_size=1, max_size=6))
def test_the_kernel_is_the_reference_on_near_dates(lines):
    assert_kernel_is_reference(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ANY_CHAR, max_size=40), max_size=6))
def test_the_kernel_is_the_reference_on_any_text(lines):
    assert_kernel_is_reference(lines)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(alphabet=PATTERN_CHARS, max_size=30), min_size=1, max_size=6))
def test_the_kernel_is_the_reference_on_the_patterns_corner_cases(lines):
    assert_kernel_is_reference(lines)


def test_a_line_that_makes_the_url_regex_backtrack_is_measured_in_one_pass():
    # ``\S+@\S+\.\w+`` takes cubic time on a run of "@" without a "." (minutes at 8,000
    # characters); the kernel reads it once.
    line = "a@" * 500_000
    assert measure_lines([line, line + ".b"]).measures["n_urls"].tolist() == [0, 1]


def test_measures_are_arrays_of_the_features_dtypes():
    measures = measure_lines(["x", "y"]).measures
    for name in (*CHAR_CLASS_PATTERNS, *_line_text.SHAPE_COUNTS):
        assert measures[name].dtype == np.int64, name
    for name in _line_text.SHAPE_FLAGS:
        assert measures[name].dtype == np.int8, name
    assert measures["date_share"].dtype == np.float64
    assert measure_lines([]).measures["n_chars"].shape == (0,)


def test_each_date_word_has_one_kind_and_is_folded():
    assert set(date_words.WORDS_OF_KIND) == set(_line_text.DATE_WORD_KINDS)
    kinds = list(date_words.WORDS_OF_KIND.values())
    for one, other in itertools.combinations(kinds, 2):
        assert not one & other, one & other
    for words_of_kind in kinds:
        assert all(word == fold(word) and re.fullmatch(r"[^\W\d]+", word) for word in words_of_kind)


def test_only_strings_are_measured():
    with pytest.raises(TypeError):
        measure_lines(["ok", b"bytes"])
    with pytest.raises(TypeError):
        fold(None)


def test_a_table_needs_the_classes_the_patterns_read():
    with pytest.raises(ValueError, match="spaced_word"):
        _line_text.CharTable({name: str.isspace for name in ("space", "digit", "word", "invisible")}, str.casefold)
