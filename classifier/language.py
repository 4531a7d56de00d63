"""Language identification (langdetect's algorithm, deterministic) and jusText's stoplists.

Languages are guessed with langdetect's algorithm, replayed exactly and over many texts at
once in ``classifier/langdetect_batch.py``. Even replayed, a guess costs a fraction of a
millisecond, so it runs once per page and on a bounded number of long lines, never on every
short line.

jusText has no stoplists for Chinese, Japanese and Thai, which are written without spaces:
their function words are matched in the running text and counted in characters
(``UnspacedStoplist``).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from classifier.langdetect_batch import detect_batch
from classifier.text import words

# langdetect codes -> jusText stoplist names (languages jusText has no list for are absent).
_STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ne": "Nepali",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}

# The most frequent function characters of written Chinese (particles, pronouns, copula,
# prepositions, negation, measure word 个), from the top of the well-known character frequency
# lists (Jun Da's Modern Chinese Character Frequency List, the Lancaster corpus), written out
# by hand; content characters that are as frequent (国, 年, 生) are left out.
CHINESE_FUNCTION_CHARS = frozenset(
    "的 了 是 在 和 有 我 你 他 她 它 这 那 也 就 不 都 一 个 上 中 为 们 到 说 以 要 会 对 可 与"
    " 及 将 被 把 从 而 之 其 或 但 所 并 于 着 过 还 没 很 让 给 等 地 得 吗 呢 吧".split()
)
# Their traditional forms where they differ (langdetect's zh-tw pages).
CHINESE_TRADITIONAL_FUNCTION_CHARS = frozenset("這 們 為 說 會 對 個 與 將 從 於 著 過 還 沒 讓 給 並 嗎".split())
# Japanese particles, auxiliary verbs and the commonest function words, from the head of the
# usual Japanese stopword lists (SlothLib, stopwords-iso), written out by hand.
JAPANESE_FUNCTION_WORDS = frozenset(
    "の に は を た が で て と し れ さ も な い か や へ だ ある いる する した して です ます まし"
    " から まで より こと もの これ それ この その あの よう ため など なる れる られる ない という ので".split()
)
# The commonest Thai function words (conjunctions, prepositions, auxiliaries, classifiers),
# from the head of PyThaiNLP's stopword list and Thai word frequency lists, written out by hand.
THAI_FUNCTION_WORDS = frozenset(
    "และ ที่ ใน ของ การ เป็น ได้ มี ไม่ ให้ ว่า จะ กับ มา ความ นี้ แล้ว ไป ก็ อยู่ ต้อง ซึ่ง จาก หรือ โดย"
    " ทำ กัน ถึง เมื่อ แต่ ด้วย อย่าง ตาม ยัง ขึ้น ออก นั้น คือ เพื่อ อีก เขา ผู้ แห่ง".split()
)


@dataclass(frozen=True)
class UnspacedStoplist:
    """Function words of a language written without spaces, and the script (a name of
    ``classifier.text.SCRIPTS``) whose letters they are written in.

    Such text cannot be split into words without a dictionary, so the stopword share of a line
    is counted in characters: the letters of the line that belong to function words (matched
    left to right, longer words first), over all its letters of ``script``.
    """

    script: str
    words: frozenset[str]
    _pattern: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        longest_first = sorted(self.words, key=lambda word: (-len(word), word))
        object.__setattr__(self, "_pattern", re.compile("|".join(map(re.escape, longest_first))))

    def function_word_chars(self, text: str) -> int:
        """How many characters of ``text`` are in function words."""
        return sum(map(len, self._pattern.findall(text)))


_CHINESE_STOPLIST = UnspacedStoplist("cjk", CHINESE_FUNCTION_CHARS | CHINESE_TRADITIONAL_FUNCTION_CHARS)
# langdetect codes -> stoplists of the languages written without spaces.
_UNSPACED_STOPLISTS = {
    "zh-cn": _CHINESE_STOPLIST,
    "zh-tw": _CHINESE_STOPLIST,
    "ja": UnspacedStoplist("cjk", JAPANESE_FUNCTION_WORDS),
    "th": UnspacedStoplist("thai", THAI_FUNCTION_WORDS),
}


def detect_language(text: str) -> str | None:
    """ISO code of the text's language, or None when langdetect finds no features."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """``detect_language`` of each text, computed together (much faster than one by one)."""
    return detect_batch(texts)


def stoplist_name(lang: str | None) -> str | None:
    """The name of jusText's stoplist for a langdetect code, or None when it has none."""
    name = _STOPLIST_NAMES.get(lang or "")
    return name if name is not None and _stoplist_file(name).is_file() else None


@lru_cache(maxsize=None)
def stopwords(lang: str | None) -> frozenset[str]:
    """jusText's stoplist for a langdetect code, folded like our words; empty if none."""
    name = stoplist_name(lang)
    if name is None:
        return frozenset()
    entries = _stoplist_file(name).read_bytes().splitlines()  # as jusText splits them
    return frozenset(word for entry in entries for word in words(entry.decode("utf-8").lower()))


def _stoplist_file(name: str) -> Path:
    """jusText's stoplist file ``name`` (a word a line)."""
    return _justext_stoplists() / f"{name}.txt"


@lru_cache(maxsize=1)
def _justext_stoplists() -> Path:
    """jusText's folder of stoplists, found without importing jusText, whose import loads
    lxml and urllib: about 30 ms of every command's start, for a few text files."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jusText is not installed (pip install justext): its stoplists are missing")
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


def unspaced_stoplist(lang: str | None) -> UnspacedStoplist | None:
    """The function words of a langdetect code's language when it is written without spaces
    (Chinese, Japanese, Thai), else None."""
    return _UNSPACED_STOPLISTS.get(lang or "")
