"""langdetect's algorithm replayed with numpy over a batch of texts, to the bit.

Languages are guessed with langdetect's profiles and algorithm, seeded as langdetect's
``DetectorFactory.seed = 0`` would seed it. The algorithm is replayed here with numpy because
langdetect's per-character and per-language Python loops took most of featurization time; the
replay gives bit-identical probabilities, so the same answers (the shipped model was trained on
them). ``tests/test_speed_equivalence.py`` compares the two.
"""

from __future__ import annotations

import hashlib
import math
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

from classifier.atomic import atomic_output
from classifier.cache_dir import resolve_cache_dir
from classifier.text import CodePointTable, code_points

# Characters of text given to langdetect; its accuracy is flat beyond a few hundred.
MAX_DETECT_CHARS = 1000
# langdetect samples n-grams at random; this seed makes its answers reproducible.
LANGDETECT_SEED = 0
# Bumped when the cached profiles' arrays change meaning or layout.
_PROFILE_CACHE_LAYOUT = 2
# langdetect's detector parameters (langdetect.detector.Detector).
N_TRIALS = 7
CONVERGENCE_CHECK_INTERVAL = 5

_SPACE_RUNS = re.compile(" {2,}")
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
    rows, n_rows = _ngram_rows([_cleaned(texts[i]) for i in candidates], profiles)
    probs = _Detections(rows, n_rows[n_rows > 0], profiles.probabilities).run()
    languages: list[str | None] = [None] * len(texts)
    for i, language_probs in zip(np.array(candidates, dtype=np.int64)[n_rows > 0].tolist(), probs):
        languages[i] = _most_probable(profiles.languages, language_probs)
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
    """The cached profiles: P(n-gram | language) is 96% zeros, so only the non-zero entries are
    stored (2 MB instead of 38), and put back in place here."""
    with np.load(path, allow_pickle=False) as arrays:
        probabilities = np.zeros(tuple(arrays["shape"].tolist()), dtype=np.float64)
        probabilities[arrays["nonzero_rows"], arrays["nonzero_columns"]] = arrays["nonzero_values"]
        return _Profiles(tuple(arrays["languages"].tolist()), probabilities, arrays["sorted_keys"], arrays["rows_of_sorted_keys"])


def _write_profiles(profiles: _Profiles, path: Path) -> None:
    with atomic_output(path) as tmp, open(tmp, "wb") as handle:
        rows, columns = np.nonzero(profiles.probabilities)
        np.savez(
            handle, languages=np.array(profiles.languages), shape=np.array(profiles.probabilities.shape),
            nonzero_rows=rows.astype(np.int32), nonzero_columns=columns.astype(np.int8),
            nonzero_values=profiles.probabilities[rows, columns],
            sorted_keys=profiles.sorted_keys, rows_of_sorted_keys=profiles.rows_of_sorted_keys,
        )


def _ngram_key(gram: str) -> int:
    """An n-gram of up to three characters as one number: 21 bits per character, code point + 1."""
    key = 0
    for char in gram:
        key = (key << 21) | (ord(char) + 1)
    return key


def _cleaned(text: str) -> str:
    """The text langdetect's detector reads: ``Detector.append`` (its cut at 10,000 characters
    never applies to MAX_DETECT_CHARS), then ``Detector.cleaning_text``."""
    text = _SPACE_RUNS.sub(" ", NGram.normalize_vi(Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))))
    if 2 * len(_LATIN.findall(text)) < len(_NON_LATIN.findall(text)):
        text = _LATIN.sub("", text)
    return text


_NGRAM_CHARS = CodePointTable(lambda char: ord(NGram.normalize(char)), np.uint32)
_UPPER = CodePointTable(str.isupper, bool)
_SPACE = ord(" ")


def _ngram_rows(texts: list[str], profiles: _Profiles) -> tuple[np.ndarray, np.ndarray]:
    """The profile rows of the n-grams langdetect extracts from each text, in its order (all
    texts' rows one after the other), and how many each text has.

    langdetect normalizes each character (``NGram.normalize``) and keeps a window of the last
    three, reset to a space at each word start; after each character it takes the 1-, 2- and
    3-grams ending there. On the text with a space put before it, these are the substrings
    ending at each character, except that: a space right after a space adds nothing (nor does
    the space put first); a space is no 1-gram; a 3-gram has no space in its middle (the
    window was reset there); no n-gram ends on a capital that follows a capital
    (``NGram.capitalword``); and only n-grams of the profiles count.
    """
    lengths = np.array([len(text) + 1 for text in texts], dtype=np.int64)
    chars = _NGRAM_CHARS[code_points("".join(" " + text for text in texts))].astype(np.uint64)
    text_of_char = np.repeat(np.arange(len(texts)), lengths)
    position_in_text = np.arange(len(chars)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    space, upper = chars == _SPACE, _UPPER[chars]
    before, space_before, upper_before = np.roll(chars, 1), np.roll(space, 1), np.roll(upper, 1)
    two_before = np.roll(chars, 2)
    adds = (position_in_text > 0) & ~(space & space_before) & ~(upper & upper_before)
    unigrams = chars + 1  # keys as _ngram_key makes them
    bigrams = ((before + 1) << 21) | unigrams
    trigrams = ((two_before + 1) << 42) | bigrams
    keys = np.column_stack([unigrams, bigrams, trigrams])
    taken = np.column_stack([adds & ~space, adds, adds & (position_in_text > 1) & ~space_before])
    rows = _profile_rows(keys, profiles)
    taken &= rows >= 0
    return rows[taken], np.bincount(np.broadcast_to(text_of_char[:, None], taken.shape)[taken], minlength=len(texts))


def _profile_rows(keys: np.ndarray, profiles: _Profiles) -> np.ndarray:
    """The profile row of each n-gram key, -1 where the profiles do not hold the n-gram."""
    at = np.searchsorted(profiles.sorted_keys, keys).clip(max=len(profiles.sorted_keys) - 1)
    return np.where(profiles.sorted_keys[at] == keys, profiles.rows_of_sorted_keys[at], -1)


class _Detections:
    """langdetect's trials on many texts at once, each text with its own random draws.

    A trial multiplies the language probabilities by ``alpha / BASE_FREQ + P(n-gram |
    language)`` for each drawn n-gram, normalizing after the first update and then after
    every 5th, until one language passes the convergence threshold or the iteration limit is
    reached. Here a step applies one such block of updates to every text still running (a
    trial's first block multiplies by 1 after its one update), so numpy works over all texts
    together; the arithmetic of each text is langdetect's, in the same order.
    """

    def __init__(self, rows: np.ndarray, n_rows: np.ndarray, probabilities: np.ndarray):
        """``rows``: the n-gram rows of all texts, one text after the other, ``n_rows`` of each."""
        n_texts, n_languages = len(n_rows), probabilities.shape[1]
        self.probabilities = probabilities
        self.rows = rows
        self.result = np.zeros((n_texts, n_languages))
        # Per running text:
        self.text = np.arange(n_texts)
        self.row_offset = np.cumsum(n_rows) - n_rows
        self.draws = _SeededDraws(n_rows)
        self.trial = np.zeros(n_texts, dtype=np.int64)
        self.updates = np.zeros(n_texts, dtype=np.int64)
        self.weight = np.zeros(n_texts)
        self.prob = np.zeros((n_texts, n_languages))
        self.language_probs = np.zeros((n_texts, n_languages))

    def run(self) -> np.ndarray:
        self._start_trials(np.arange(len(self.text)))
        while len(self.text):
            self._step()
        return self.result

    def _start_trials(self, running: np.ndarray) -> None:
        for i in running:
            alpha = Detector.ALPHA_DEFAULT + self.draws.gauss(i) * Detector.ALPHA_WIDTH
            self.weight[i] = alpha / Detector.BASE_FREQ
        self.prob[running] = 1.0 / self.prob.shape[1]
        self.updates[running] = 0

    def _step(self) -> None:
        first_block = self.updates == 0
        block = np.where(first_block, 1, CONVERGENCE_CHECK_INTERVAL)
        picks, ends = self.draws.next_choices(CONVERGENCE_CHECK_INTERVAL)
        grams = self.rows[self.row_offset[:, None] + picks]
        factors = self.weight[:, None, None] + self.probabilities[grams]
        factors[first_block, 1:] = 1.0
        for update in range(CONVERGENCE_CHECK_INTERVAL):
            self.prob *= factors[:, update]
        self.draws.position = ends[np.arange(len(ends)), block - 1]
        self.updates += block
        self.prob /= _sum_in_order(self.prob)[:, None]
        ended = (self.prob.max(axis=1) > Detector.CONV_THRESHOLD) | (self.updates > Detector.ITERATION_LIMIT)
        self.language_probs[ended] += self.prob[ended] / N_TRIALS
        self.trial[ended] += 1
        finished = self.trial == N_TRIALS
        if finished.any():
            self.result[self.text[finished]] = self.language_probs[finished]
            self._keep(~finished)
            ended = ended[~finished]
        self._start_trials(np.flatnonzero(ended))

    def _keep(self, running: np.ndarray) -> None:
        for name in ("text", "row_offset", "trial", "updates", "weight", "prob", "language_probs"):
            setattr(self, name, getattr(self, name)[running])
        self.draws.keep(running)


def _sum_in_order(rows: np.ndarray) -> np.ndarray:
    """Each row's sum, adding left to right as langdetect's ``sum(prob)`` does on Python 3.11,
    which the shipped model was trained with (numpy's ``sum`` adds pairwise, and Python 3.12's
    ``sum`` compensates rounding: either can change the last bit)."""
    return np.cumsum(rows, axis=1)[:, -1]


def _most_probable(languages: tuple[str, ...], language_probs: np.ndarray) -> str:
    """``Detector.detect``: the most probable language above ``PROB_THRESHOLD`` (the first in
    profile order on a tie, as langdetect's stable sort gives), else ``"unknown"``."""
    candidates = [(p, lang) for lang, p in zip(languages, language_probs.tolist()) if p > Detector.PROB_THRESHOLD]
    if not candidates:
        return Detector.UNKNOWN_LANG
    best = max(p for p, _ in candidates)
    return next(lang for p, lang in candidates if p == best)


class _MersenneWords:
    """The 32-bit outputs of ``random.Random(seed)``, in order, generated as far as they are
    read (under a lock: two threads extending at once would skip words)."""

    def __init__(self, seed: int):
        self._generator = random.Random(seed)
        self._words = np.empty(0, dtype=np.uint32)
        self._lock = threading.Lock()

    def read(self, start: int, count: int) -> np.ndarray:
        with self._lock:
            missing = start + count - len(self._words)
            if missing > 0:
                n_new = max(missing, len(self._words), 4096)
                new = self._generator.getrandbits(32 * n_new).to_bytes(4 * n_new, "little")
                self._words = np.concatenate([self._words, np.frombuffer(new, dtype="<u4")])
            return self._words[start : start + count]


_LANGDETECT_WORDS = _MersenneWords(LANGDETECT_SEED)


class _SeededDraws:
    """The draws langdetect's detector makes on each text, replayed from the output words of
    its freshly seeded ``random.Random``: ``gauss()`` per trial and ``choice(ngrams)`` per update.

    As CPython draws them: ``random()`` takes 27 + 26 bits of two words; ``gauss()`` makes two
    values from two ``random()`` and keeps the second for the next call; ``choice`` of n items
    takes the top ``n.bit_length()`` bits of a word, and the next word while that is >= n.
    """

    def __init__(self, n_items: np.ndarray):
        self.n_items = n_items
        self.position = np.zeros(len(n_items), dtype=np.int64)
        self._shift = np.array([32 - int(n).bit_length() for n in n_items], dtype=np.int64)
        self._gauss_next = np.full(len(n_items), np.nan)  # NaN: none kept

    def keep(self, running: np.ndarray) -> None:
        self.n_items, self.position = self.n_items[running], self.position[running]
        self._shift, self._gauss_next = self._shift[running], self._gauss_next[running]

    def gauss(self, i: int) -> float:
        z = self._gauss_next[i]
        self._gauss_next[i] = np.nan
        if np.isnan(z):
            x2pi = self._random(i) * (2.0 * math.pi)
            g2rad = math.sqrt(-2.0 * math.log(1.0 - self._random(i)))
            z = math.cos(x2pi) * g2rad
            self._gauss_next[i] = math.sin(x2pi) * g2rad
        return float(z)

    def _random(self, i: int) -> float:
        high, low = _LANGDETECT_WORDS.read(int(self.position[i]), 2).tolist()
        self.position[i] += 2
        return ((high >> 5) * 67108864.0 + (low >> 6)) * (1.0 / 9007199254740992.0)

    def next_choices(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The next ``count`` choices (indices) of every text, and the word position after
        each; ``position`` is left for the caller to advance past the ones it uses."""
        window = 4 * count
        while True:
            offsets = self.position[:, None] + np.arange(window)
            words = _LANGDETECT_WORDS.read(0, int(offsets.max(initial=0)) + 1)[offsets]
            candidates = words >> self._shift[:, None]
            accepted = candidates < self.n_items[:, None]
            if (accepted.sum(axis=1) >= count).all():
                break
            window *= 2
        # The first `count` accepted columns of each row, in order.
        columns = np.argsort(~accepted, axis=1, kind="stable")[:, :count]
        return np.take_along_axis(candidates, columns, axis=1), self.position[:, None] + columns + 1
