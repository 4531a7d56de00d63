"""Language identification (langdetect's algorithm, deterministic) and jusText's stoplists.

Languages are guessed with langdetect's algorithm, replayed exactly and over many texts at
once in ``classifier/langdetect_batch.py``. Even replayed, a guess costs a fraction of a
millisecond, so it runs once per page and on a bounded number of long lines, never on every
short line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import justext

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
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
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
    return name if name in justext.get_stoplists() else None


@lru_cache(maxsize=None)
def stopwords(lang: str | None) -> frozenset[str]:
    """jusText's stoplist for a langdetect code, folded like our words; empty if none."""
    name = stoplist_name(lang)
    if name is None:
        return frozenset()
    return frozenset(word for entry in justext.get_stoplist(name) for word in words(entry))
