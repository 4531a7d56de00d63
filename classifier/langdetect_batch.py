"""langdetect's algorithm replayed in compiled code over a batch of texts, to the bit.

Languages are guessed with langdetect's profiles and algorithm, seeded as langdetect's
``DetectorFactory.seed = 0`` would seed it. The algorithm is replayed by ``_langdetect.pyx``
because langdetect's per-character and per-language Python loops took most of featurization
time; the replay gives bit-identical probabilities, so the same answers (the shipped model was
trained on them). ``tests/test_speed_equivalence.py`` compares the two.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils.ngram import NGram

from classifier._langdetect import NgramIndex, language_probabilities, ngram_rows
from classifier.atomic import atomic_output
from classifier.cache_dir import resolve_cache_dir
from classifier.text import CodePointTable, code_points

# Characters of text given to langdetect; its accuracy is flat beyond a few hundred.
MAX_DETECT_CHARS = 1000
# langdetect samples n-grams at random; this seed makes its answers reproducible.
LANGDETECT_SEED = 0
# Bumped when the cached profiles' arrays change meaning or layout.
_PROFILE_CACHE_LAYOUT = 3

_SPACE_RUNS = re.compile(" {2,}")
# Joins the texts cleaned together (``_cleaned_all``).
_SEPARATOR = "\x00"
# langdetect counts as Latin everything from "A" to "z" (brackets and "_" included), and as
# non-Latin every character from U+0300 on (its test meant to leave out Latin Extended
# Additional compares a block number with a block name, so it never does).
_LATIN = re.compile("[A-z]")
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")


def detect_batch(texts: Sequence[str]) -> list[str | None]:
    """langdetect's language of each text's first MAX_DETECT_CHARS characters, all computed
    together (much faster than one by one); None where langdetect finds no features."""
    texts = [text[:MAX_DETECT_CHARS] for text in texts]
    candidates = [i for i, text in enumerate(texts) if text.strip()]
    profiles = _profiles()
    rows, n_rows = _ngram_rows(_cleaned_all([texts[i] for i in candidates]), profiles)
    probs = _language_probabilities(rows, n_rows[n_rows > 0], profiles.probabilities)
    languages: list[str | None] = [None] * len(texts)
    for i, language in zip(np.array(candidates, dtype=np.int64)[n_rows > 0].tolist(), _most_probable(profiles.languages, probs)):
        languages[i] = language
    return languages


@dataclass(frozen=True)
class _Profiles:
    """langdetect's language profiles: P(n-gram | language), a row per n-gram; the n-grams'
    keys (``_ngram_key``) sorted, with their rows."""

    languages: tuple[str, ...]
    probabilities: np.ndarray  # (n-grams, languages)
    sorted_keys: np.ndarray
    rows_of_sorted_keys: np.ndarray


@lru_cache(maxsize=1)
def _profiles() -> _Profiles:
    """The profiles, from the cache folder when they are there (``load_profile`` reads 55 JSON
    files into dicts: about 0.8 s, which every process would pay before its first page);
    else built and cached. A cache that cannot be written (a read-only home) is skipped."""
    path = profile_cache_path()
    try:
        return _read_profiles(path)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # none yet, or damaged
        profiles = _built_profiles()
    try:
        _write_profiles(profiles, path)
    except OSError:
        pass
    return profiles


def profile_cache_path() -> Path:
    """The cache file of the profiles, named by a digest of langdetect's profile files (a new
    langdetect with new profiles gets a new file) and of the cache's layout."""
    digest = hashlib.sha256(f"profiles {_PROFILE_CACHE_LAYOUT}\n".encode())
    for profile in sorted(Path(PROFILES_DIRECTORY).iterdir()):
        digest.update(profile.name.encode() + b"\0" + profile.read_bytes())
    return resolve_cache_dir() / f"langdetect-profiles.{digest.hexdigest()[:12]}.npz"


def _built_profiles() -> _Profiles:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    grams = factory.word_lang_prob_map
    keys = np.array([_ngram_key(gram) for gram in grams], dtype=np.uint64)
    # The profiles hold n-grams of 1 to 3 characters, all that langdetect extracts.
    order = np.argsort(keys)
    return _Profiles(tuple(factory.langlist), np.array(list(grams.values())), keys[order], order)


def _read_profiles(path: Path) -> _Profiles:
    """The cached profiles. P(n-gram | language) (38 MB, 96% zeros) is mapped from its own
    ``.npy`` file, not rebuilt in each process: only the pages of the rows its texts look up
    are read, and worker processes share them."""
    with np.load(path, allow_pickle=False) as arrays:
        languages, sorted_keys, rows = arrays["languages"], arrays["sorted_keys"], arrays["rows_of_sorted_keys"]
    probabilities = np.load(_probabilities_path(path), mmap_mode="r", allow_pickle=False)
    if probabilities.dtype != np.float64 or probabilities.shape != (len(sorted_keys), len(languages)):
        raise ValueError(f"{path}: profile matrix of shape {probabilities.shape}")
    return _Profiles(tuple(languages.tolist()), probabilities, sorted_keys, rows)


def _write_profiles(profiles: _Profiles, path: Path) -> None:
    """The matrix first: a reader takes the ``.npz`` as the sign that both files are there."""
    with atomic_output(_probabilities_path(path)) as tmp, open(tmp, "wb") as handle:
        np.save(handle, np.ascontiguousarray(profiles.probabilities, dtype=np.float64))
    with atomic_output(path) as tmp, open(tmp, "wb") as handle:
        np.savez(
            handle, languages=np.array(profiles.languages),
            sorted_keys=profiles.sorted_keys, rows_of_sorted_keys=profiles.rows_of_sorted_keys,
        )


def _probabilities_path(path: Path) -> Path:
    return path.with_suffix(".probabilities.npy")


def _ngram_key(gram: str) -> int:
    """An n-gram of up to three characters as one number: 21 bits per character, code point + 1."""
    key = 0
    for char in gram:
        key = (key << 21) | (ord(char) + 1)
    return key


def _cleaned(text: str) -> str:
    """The text langdetect's detector reads: ``Detector.append`` (its cut at 10,000 characters
    never applies to MAX_DETECT_CHARS), then ``Detector.cleaning_text``."""
    text = _substituted(text)
    if 2 * len(_LATIN.findall(text)) < len(_NON_LATIN.findall(text)):
        text = _LATIN.sub("", text)
    return text


def _substituted(text: str) -> str:
    """``Detector.cleaning_text``'s substitutions: URLs and e-mail addresses to spaces,
    Vietnamese letters and their marks composed, runs of spaces to one."""
    return _SPACE_RUNS.sub(" ", NGram.normalize_vi(Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))))


def _cleaned_all(texts: list[str]) -> list[str]:
    """``_cleaned`` of each text. The substitutions are made once on all the texts joined by
    NUL, which no pattern of them matches, so that no match spans two texts (each call cost a
    few µs of regex set-up, and there are several texts per page); a text holding a NUL is
    cleaned on its own."""
    together = [text for text in texts if _SEPARATOR not in text]
    joined = _SEPARATOR.join(together)
    cleaned = _substituted(joined)
    parts = cleaned.split(_SEPARATOR) if together else []
    points = code_points(cleaned)
    starts = np.cumsum([0, *(len(part) + 1 for part in parts[:-1])]).astype(np.int64)
    latin = _runs_sum((points >= ord("A")) & (points <= ord("z")), starts).tolist()
    non_latin = _runs_sum(points >= 0x300, starts).tolist()
    parts = iter(_LATIN.sub("", part) if 2 * n_latin < n_other else part for part, n_latin, n_other in zip(parts, latin, non_latin))
    return [_cleaned(text) if _SEPARATOR in text else next(parts) for text in texts]


def _runs_sum(flags: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """How many ``flags`` hold from each start to the next (to the end for the last)."""
    counts = np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])
    return counts[np.append(starts[1:] - 1, len(flags))] - counts[starts]


_NGRAM_CHARS = CodePointTable(lambda char: ord(NGram.normalize(char)), np.uint32)
_UPPER = CodePointTable(str.isupper, np.uint8)
# The generator's words given to the trials at first: a text needs a few thousand (7 trials of
# at most 1,001 draws each, most taking one word), so more are rarely asked for.
_FIRST_WORDS = 1 << 16


def _ngram_rows(texts: list[str], profiles: _Profiles) -> tuple[np.ndarray, np.ndarray]:
    """The profile rows of the n-grams langdetect extracts from each text, in its order (all
    texts' rows one after the other), and how many each text has: langdetect normalizes each
    character (``NGram.normalize``), then ``_langdetect.ngram_rows`` takes the n-grams."""
    lengths = np.array([len(text) + 1 for text in texts], dtype=np.int64)
    chars = _NGRAM_CHARS[code_points("".join(" " + text for text in texts))]
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return ngram_rows(chars, _UPPER[chars], starts, _ngram_index())


@lru_cache(maxsize=1)
def _ngram_index() -> NgramIndex:
    profiles = _profiles()
    return NgramIndex(
        np.ascontiguousarray(profiles.sorted_keys, dtype=np.uint64), np.ascontiguousarray(profiles.rows_of_sorted_keys, dtype=np.int64),
    )


def _language_probabilities(rows: np.ndarray, n_rows: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """langdetect's mean probabilities of 7 trials per text (texts of ``n_rows`` > 0 n-gram
    rows, one after the other in ``rows``), each text drawing from a freshly seeded generator.
    A text whose trials need more of the generator's words than were given is run again with
    more."""
    out = np.zeros((len(n_rows), probabilities.shape[1]))
    offsets = np.concatenate([[0], np.cumsum(n_rows)]).astype(np.int64)
    todo, n_words = np.arange(len(n_rows)), _FIRST_WORDS
    while len(todo):
        rows_of_todo = rows if len(todo) == len(n_rows) else np.concatenate([rows[offsets[t] : offsets[t + 1]] for t in todo])
        todo_offsets = np.concatenate([[0], np.cumsum(n_rows[todo])]).astype(np.int64)
        todo_out = np.zeros((len(todo), probabilities.shape[1]))
        short = language_probabilities(rows_of_todo, todo_offsets, probabilities, _LANGDETECT_WORDS.first(n_words), todo_out)
        done = np.setdiff1d(np.arange(len(todo)), short)
        out[todo[done]] = todo_out[done]
        todo, n_words = todo[short], 4 * n_words
    return out


def _most_probable(languages: tuple[str, ...], probs: np.ndarray) -> list[str]:
    """``Detector.detect`` of each row of ``probs``: the most probable language above
    ``PROB_THRESHOLD`` (the first in profile order on a tie, as langdetect's stable sort gives,
    and as ``argmax`` gives), else ``"unknown"``."""
    above = probs > Detector.PROB_THRESHOLD
    best = np.where(above, probs, -np.inf).argmax(axis=1)
    names = np.array([*languages, Detector.UNKNOWN_LANG], dtype=object)
    return names[np.where(above.any(axis=1), best, len(languages))].tolist()


class _MersenneWords:
    """The 32-bit outputs of ``random.Random(seed)``, in order, generated as far as they are
    read (under a lock: two threads extending at once would skip words)."""

    def __init__(self, seed: int):
        self._generator = random.Random(seed)
        self._words = np.empty(0, dtype=np.uint32)
        self._lock = threading.Lock()

    def first(self, count: int) -> np.ndarray:
        with self._lock:
            missing = count - len(self._words)
            if missing > 0:
                new = self._generator.getrandbits(32 * missing).to_bytes(4 * missing, "little")
                self._words = np.concatenate([self._words, np.frombuffer(new, dtype="<u4")])
            return self._words[:count]


_LANGDETECT_WORDS = _MersenneWords(LANGDETECT_SEED)
