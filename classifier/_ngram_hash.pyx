# cython: language_level=3, boundscheck=False, wraparound=False
"""The lexical model's hashed character n-grams of words, as scikit-learn's HashingVectorizer
(``char_wb``, no alternate sign) hashes them: MurmurHash3 (x86, 32-bit, seed 0) of each
n-gram's UTF-8 bytes, column ``|hash| % n_features``."""

import numpy as np

from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t


cdef inline uint32_t _rotl(uint32_t x, int r) noexcept nogil:
    return (x << r) | (x >> (32 - r))


cdef inline uint32_t _scramble(uint32_t k) noexcept nogil:
    k = k * 0xCC9E2D51u
    k = _rotl(k, 15)
    return k * 0x1B873593u


cdef int32_t murmurhash3_32(const uint8_t* data, Py_ssize_t length) noexcept nogil:
    """MurmurHash3 x86 32-bit with seed 0, signed, as ``sklearn.utils.murmurhash3_32``."""
    cdef uint32_t h = 0, k
    cdef Py_ssize_t i, n_blocks = length // 4
    for i in range(n_blocks):
        k = (<uint32_t>data[4 * i] | (<uint32_t>data[4 * i + 1] << 8)
             | (<uint32_t>data[4 * i + 2] << 16) | (<uint32_t>data[4 * i + 3] << 24))
        h ^= _scramble(k)
        h = _rotl(h, 13)
        h = h * 5u + 0xE6546B64u
    k = 0
    cdef Py_ssize_t tail = 4 * n_blocks, rest = length & 3
    if rest == 3:
        k ^= <uint32_t>data[tail + 2] << 16
    if rest >= 2:
        k ^= <uint32_t>data[tail + 1] << 8
    if rest >= 1:
        k ^= <uint32_t>data[tail]
        h ^= _scramble(k)
    h ^= <uint32_t>length
    h ^= h >> 16
    h *= 0x85EBCA6Bu
    h ^= h >> 13
    h *= 0xC2B2AE35u
    h ^= h >> 16
    return <int32_t>h


def hash_bytes(bytes data):
    """MurmurHash3 of ``data`` (for tests: the same function the n-grams are hashed with)."""
    return murmurhash3_32(<const uint8_t*>data, len(data))


def word_ngram_columns(list words, int min_n, int max_n, int64_t n_features):
    """Every n-gram of every word padded with a space on each side (lengths ``min_n`` to
    ``max_n`` in code points, each that fits), hashed to its column: returns the columns
    (int64, word by word) and each word's offset into them (``len(words) + 1`` entries).

    A padded word shorter than ``min_n`` would be one n-gram in scikit-learn; padded words
    have 3 code points or more, so ``min_n`` must be at most 3 (checked)."""
    if min_n < 1 or max_n < min_n or min_n > 3:
        raise ValueError(f"n-gram lengths {min_n}..{max_n} are not supported")
    cdef Py_ssize_t n_words = len(words), total = 0, w
    for w in range(n_words):
        total += len(<str>words[w]) + 2
    columns_array = np.empty(total * (max_n - min_n + 1), dtype=np.int64)
    offsets_array = np.empty(n_words + 1, dtype=np.int64)
    cdef int64_t[::1] columns = columns_array
    cdef int64_t[::1] offsets = offsets_array
    # Byte offset of each code point of the current padded word, and one past its end.
    starts_array = np.empty(1, dtype=np.int64)
    cdef int64_t[::1] starts = starts_array
    cdef Py_ssize_t filled = 0, n_bytes, n_points, start, n, i
    cdef const uint8_t* data
    cdef int32_t h
    cdef bytes padded
    for w in range(n_words):
        offsets[w] = filled
        padded = (" " + <str>words[w] + " ").encode("utf-8")
        data = padded
        n_bytes = len(padded)
        if starts.shape[0] < n_bytes + 1:
            starts_array = np.empty(2 * n_bytes + 1, dtype=np.int64)
            starts = starts_array
        n_points = 0
        for i in range(n_bytes):
            if (data[i] & 0xC0) != 0x80:  # not a UTF-8 continuation byte: a code point starts here
                starts[n_points] = i
                n_points += 1
        starts[n_points] = n_bytes
        for start in range(n_points):
            for n in range(min_n, max_n + 1):
                if start + n > n_points:
                    break
                h = murmurhash3_32(data + starts[start], starts[start + n] - starts[start])
                if h == -2147483648:
                    columns[filled] = (2147483647 - (n_features - 1)) % n_features
                else:
                    columns[filled] = (h if h >= 0 else -h) % n_features
                filled += 1
    offsets[n_words] = filled
    return columns_array[:filled], offsets_array
