# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""langdetect's detector, compiled: the n-grams it extracts from a text and its random
trials over them, with the arithmetic of ``langdetect.detector.Detector`` in the same order,
so the probabilities are langdetect's to the bit (``classifier/langdetect_batch.py`` feeds it
and says how).
"""

import numpy as np

cimport cython
from libc.math cimport cos, log, sin, sqrt
from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libcpp.vector cimport vector

# langdetect.detector.Detector's parameters.
cdef double ALPHA_DEFAULT = 0.5
cdef double ALPHA_WIDTH = 0.05
cdef double BASE_FREQ = 10000
cdef int ITERATION_LIMIT = 1000
cdef double CONV_THRESHOLD = 0.99999
cdef int N_TRIALS = 7
cdef int CONVERGENCE_CHECK_INTERVAL = 5
cdef uint32_t SPACE = 32


@cython.final
cdef class NgramIndex:
    """The profiles' n-gram keys (``langdetect_batch._ngram_key``) -> their rows: an
    open-addressing table (linear probing, at most a quarter full, slots by a multiplicative
    hash): ``ngram_rows`` over the 1.8 million characters of bench/scale.py's pages (their
    first 1,800 each) took 0.036 s with it and 0.077 s with ``std::unordered_map``. The keys
    are the profiles', fixed when the table is made, so no text can lengthen its probe runs;
    a text's absent n-grams end at the first empty slot."""

    cdef vector[uint64_t] keys  # 0: an empty slot (no key is 0: a key's last character is + 1)
    cdef vector[int64_t] rows
    cdef int shift

    def __init__(self, const uint64_t[::1] keys, const int64_t[::1] rows):
        if keys.shape[0] != rows.shape[0]:
            raise ValueError("one row per key")
        cdef int bits = 4
        while (<Py_ssize_t>1 << bits) < 4 * keys.shape[0]:
            bits += 1
        self.shift = 64 - bits
        self.keys.assign(<size_t>1 << bits, 0)
        self.rows.assign(<size_t>1 << bits, -1)
        cdef Py_ssize_t i
        cdef size_t slot
        for i in range(keys.shape[0]):
            if keys[i] == 0:
                raise ValueError("n-gram key 0")
            slot = self._slot(keys[i])
            self.keys[slot] = keys[i]
            self.rows[slot] = rows[i]  # a key given twice keeps its last row

    cdef inline size_t _slot(self, uint64_t key) noexcept nogil:
        """The slot holding ``key``, else the empty slot where it would go."""
        cdef size_t mask = self.keys.size() - 1
        cdef size_t slot = <size_t>((key * <uint64_t>0x9E3779B97F4A7C15) >> self.shift)
        while self.keys[slot] != 0 and self.keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    cdef inline int64_t row(self, uint64_t key) noexcept nogil:
        return self.rows[self._slot(key)]  # -1 in an empty slot


def ngram_rows(const uint32_t[::1] chars, const uint8_t[::1] upper, const int64_t[::1] starts, NgramIndex index):
    """The profile rows of the n-grams langdetect extracts from each text, in its order, and
    how many each text has. ``chars`` holds every text's characters, normalized as langdetect
    normalizes them, each text after a space of its own; text ``t`` is
    ``chars[starts[t]:starts[t + 1]]`` (its space first); ``upper`` flags capitals.

    After each character langdetect takes the 1-, 2- and 3-grams ending there, except that: a
    space right after a space adds nothing (nor does the space put first); a space is no
    1-gram; a 3-gram has no space in its middle; no n-gram ends on a capital that follows a
    capital (``NGram.capitalword``); and only n-grams of the profiles count."""
    cdef Py_ssize_t n_texts = starts.shape[0] - 1
    if n_texts < 0 or starts[0] != 0 or starts[n_texts] != chars.shape[0] or upper.shape[0] != chars.shape[0]:
        raise ValueError("text offsets do not span the characters")
    cdef Py_ssize_t t, p
    for t in range(n_texts):
        if starts[t + 1] < starts[t]:
            raise ValueError("text offsets out of order")
    n_rows_array = np.zeros(n_texts, dtype=np.int64)
    cdef int64_t[::1] n_rows = n_rows_array
    cdef vector[int64_t] rows
    cdef uint64_t unigram, bigram, trigram
    cdef int64_t row
    cdef Py_ssize_t position
    with nogil:
        for t in range(n_texts):
            for p in range(starts[t] + 1, starts[t + 1]):
                position = p - starts[t]
                if (chars[p] == SPACE and chars[p - 1] == SPACE) or (upper[p] and upper[p - 1]):
                    continue
                unigram = <uint64_t>chars[p] + 1
                bigram = ((<uint64_t>chars[p - 1] + 1) << 21) | unigram
                if chars[p] != SPACE:
                    row = index.row(unigram)
                    if row >= 0:
                        rows.push_back(row)
                        n_rows[t] += 1
                row = index.row(bigram)
                if row >= 0:
                    rows.push_back(row)
                    n_rows[t] += 1
                if position > 1 and chars[p - 1] != SPACE:
                    trigram = ((<uint64_t>chars[p - 2] + 1) << 42) | bigram
                    row = index.row(trigram)
                    if row >= 0:
                        rows.push_back(row)
                        n_rows[t] += 1
    rows_array = np.empty(rows.size(), dtype=np.int64)
    cdef int64_t[::1] out = rows_array
    for p in range(<Py_ssize_t>rows.size()):
        out[p] = rows[p]
    return rows_array, n_rows_array


cdef struct Draws:
    const uint32_t* words
    Py_ssize_t n_words
    Py_ssize_t position
    bint has_gauss_next
    double gauss_next
    bint exhausted


cdef inline uint32_t next_word(Draws* draws) noexcept nogil:
    if draws.position >= draws.n_words:
        draws.exhausted = True
        return 0
    draws.position += 1
    return draws.words[draws.position - 1]


cdef inline double random_double(Draws* draws) noexcept nogil:
    """CPython's ``random()``: 27 and 26 bits of two words."""
    cdef uint32_t high = next_word(draws) >> 5
    cdef uint32_t low = next_word(draws) >> 6
    return (high * 67108864.0 + low) * (1.0 / 9007199254740992.0)


cdef inline double gauss(Draws* draws) noexcept nogil:
    """CPython's ``gauss(0.0, 1.0)``: two values from two ``random()``, the second kept."""
    cdef double z, x2pi, g2rad
    if draws.has_gauss_next:
        draws.has_gauss_next = False
        return draws.gauss_next
    x2pi = random_double(draws) * (2.0 * 3.141592653589793)
    g2rad = sqrt(-2.0 * log(1.0 - random_double(draws)))
    z = cos(x2pi) * g2rad
    draws.gauss_next = sin(x2pi) * g2rad
    draws.has_gauss_next = True
    return z


cdef inline Py_ssize_t choice(Draws* draws, Py_ssize_t n, int shift) noexcept nogil:
    """CPython's ``choice`` of ``n`` items: the top ``n.bit_length()`` bits of a word, drawn
    again while they are ``n`` or more."""
    cdef uint32_t r
    while True:
        r = next_word(draws) >> shift
        if r < n or draws.exhausted:
            return r if r < n else 0


def language_probabilities(
    const int64_t[::1] rows,
    const int64_t[::1] offsets,
    const double[:, ::1] probabilities,
    const uint32_t[::1] words,
    double[:, ::1] out,
):
    """langdetect's ``Detector._detect_block`` on each text (its n-gram rows
    ``rows[offsets[t]:offsets[t + 1]]``, at least one), every text with a freshly seeded
    generator whose 32-bit outputs are ``words``: ``out[t]`` is the mean of 7 trials' language
    probabilities. Returns the texts whose trials needed more words than given (their rows of
    ``out`` are not set): run them again with more."""
    cdef Py_ssize_t n_texts = offsets.shape[0] - 1, n_languages = probabilities.shape[1]
    if n_texts < 0 or out.shape[0] != n_texts or out.shape[1] != n_languages or offsets[0] != 0 or offsets[n_texts] != rows.shape[0]:
        raise ValueError("shapes do not agree")
    cdef Py_ssize_t t, i, l
    for t in range(n_texts):
        if offsets[t + 1] <= offsets[t]:
            raise ValueError("every text needs at least one n-gram")
    for i in range(rows.shape[0]):
        if rows[i] < 0 or rows[i] >= probabilities.shape[0]:
            raise ValueError("n-gram row out of range")
    cdef vector[double] prob = vector[double](n_languages)
    cdef vector[double] language_prob = vector[double](n_languages)
    cdef vector[Py_ssize_t] short
    cdef Draws draws
    cdef Py_ssize_t n, trial, iteration, row
    cdef int shift
    cdef double weight, total, maximum, p
    with nogil:
        for t in range(n_texts):
            draws.words = &words[0] if words.shape[0] else NULL
            draws.n_words = words.shape[0]
            draws.position = 0
            draws.has_gauss_next = False
            draws.exhausted = False
            n = offsets[t + 1] - offsets[t]
            shift = 32
            while (n >> (32 - shift)) > 0:
                shift -= 1
            for l in range(n_languages):
                language_prob[l] = 0.0
            for trial in range(N_TRIALS):
                for l in range(n_languages):
                    prob[l] = 1.0 / n_languages
                weight = (ALPHA_DEFAULT + gauss(&draws) * ALPHA_WIDTH) / BASE_FREQ
                iteration = 0
                while not draws.exhausted:
                    row = rows[offsets[t] + choice(&draws, n, shift)]
                    for l in range(n_languages):
                        prob[l] *= weight + probabilities[row, l]
                    if iteration % CONVERGENCE_CHECK_INTERVAL == 0:
                        total = 0.0
                        for l in range(n_languages):
                            total += prob[l]
                        maximum = 0.0
                        for l in range(n_languages):
                            p = prob[l] / total
                            if maximum < p:
                                maximum = p
                            prob[l] = p
                        if maximum > CONV_THRESHOLD or iteration >= ITERATION_LIMIT:
                            break
                    iteration += 1
                for l in range(n_languages):
                    language_prob[l] += prob[l] / N_TRIALS
            if draws.exhausted:
                short.push_back(t)
                continue
            for l in range(n_languages):
                out[t, l] = language_prob[l]
    return np.array([short[i] for i in range(<Py_ssize_t>short.size())], dtype=np.int64)
