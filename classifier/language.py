"""Language identification (langdetect, deterministic) and jusText's stoplists.

langdetect costs milliseconds per call, so it runs once per page and on a bounded number
of long lines, never on every short line.
"""

from __future__ import annotations

from functools import lru_cache

import justext
from langdetect import DetectorFactory, LangDetectException
from langdetect import detect as _langdetect

from classifier.text import words

# langdetect samples n-grams at random; a fixed seed makes its answers reproducible.
DetectorFactory.seed = 0

# Characters of text given to langdetect; its accuracy is flat beyond a few hundred.
MAX_DETECT_CHARS = 1000

# langdetect codes -> jusText stoplist names (languages jusText has no list for are absent).
_STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ne": "Nepali",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}


def detect_language(text: str) -> str | None:
    """ISO code of the text's language, or None when langdetect finds no features."""
    text = text[:MAX_DETECT_CHARS]
    if not text.strip():
        return None
    try:
        return _langdetect(text)
    except LangDetectException:
        return None


def stoplist_name(lang: str | None) -> str | None:
    """The name of jusText's stoplist for a langdetect code, or None when it has none."""
    name = _STOPLIST_NAMES.get(lang or "")
    return name if name in justext.get_stoplists() else None


@lru_cache(maxsize=None)
def stopwords(lang: str | None) -> frozenset[str]:
    """jusText's stoplist for a langdetect code, folded like our words; empty if none."""
    name = stoplist_name(lang)
    if name is None:
        return frozenset()
    return frozenset(word for entry in justext.get_stoplist(name) for word in words(entry))
