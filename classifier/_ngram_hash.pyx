# cython: language_level=3, boundscheck=False, wraparound=False
"""Hashed n-grams and words, as scikit-learn's HashingVectorizer (no alternate sign) hashes
them: MurmurHash3 (x86, 32-bit, seed 0) of each n-gram's or word's UTF-8 bytes, column
``|hash| % n_features``; and its l2 normalization of the rows, in the same order of sums."""

import numpy as np

from libc.math cimport sqrt
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t
from libcpp.algorithm cimport sort
from libcpp.vector cimport vector


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


cdef inline int64_t _column(int32_t h, int64_t n_features) noexcept nogil:
    """scikit-learn's column of a signed hash (``-2**31`` has no absolute value in int32)."""
    if h == -2147483648:
        return (2147483647 - (n_features - 1)) % n_features
    return (h if h >= 0 else -h) % n_features


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
                columns[filled] = _column(h, n_features)
                filled += 1
    offsets[n_words] = filled
    return columns_array[:filled], offsets_array


def word_columns(list words, int64_t n_features):
    """Each word hashed whole to its column (the ``word`` analyzer's unigrams), as int64."""
    columns_array = np.empty(len(words), dtype=np.int64)
    cdef int64_t[::1] columns = columns_array
    cdef bytes encoded
    cdef Py_ssize_t w
    for w in range(len(words)):
        encoded = (<str>words[w]).encode("utf-8")
        columns[w] = _column(murmurhash3_32(<const uint8_t*>encoded, len(encoded)), n_features)
    return columns_array


def normalize_rows_l2(double[::1] data, const int64_t[::1] indptr):
    """Divide each CSR row's values by the row's l2 norm, in place (rows of zeros stay): the
    loop of scikit-learn's ``inplace_csr_row_normalize_l2``, so the floats are the same."""
    cdef Py_ssize_t row, j
    cdef double total
    if indptr.shape[0] == 0 or indptr[0] < 0 or indptr[indptr.shape[0] - 1] > data.shape[0]:
        raise ValueError("row offsets out of range")
    for row in range(indptr.shape[0] - 1):
        if indptr[row + 1] < indptr[row]:
            raise ValueError("row offsets out of order")
    with nogil:
        for row in range(indptr.shape[0] - 1):
            total = 0.0
            for j in range(indptr[row], indptr[row + 1]):
                total += data[j] * data[j]
            if total == 0.0:
                continue
            total = sqrt(total)
            for j in range(indptr[row], indptr[row + 1]):
                data[j] /= total


def linear_decisions(
    const int64_t[::1] word_ids,
    const int64_t[::1] document_offsets,
    const int64_t[::1] columns,
    const int64_t[::1] column_offsets,
    const double[::1] coef,
    double intercept,
):
    """A linear model's decision on each document's hashed counts, l2-normalized: the sum
    over the document's words (``word_ids[document_offsets[d]:document_offsets[d + 1]]``)
    of each word's columns (``columns[column_offsets[w]:column_offsets[w + 1]]``).

    The floats are scikit-learn's: the counts of the distinct columns in column order, their
    squares summed in that order, each count divided by the norm and multiplied by its weight,
    summed in that order, then the intercept added (``HashingVectorizer`` then the estimator's
    ``decision_function``). Every index is checked before the loop."""
    cdef Py_ssize_t n_documents = document_offsets.shape[0] - 1, n_words = column_offsets.shape[0] - 1
    if n_documents < 0 or n_words < 0:
        raise ValueError("offsets must have at least one entry")
    _check_offsets(document_offsets, word_ids.shape[0])
    _check_offsets(column_offsets, columns.shape[0])
    cdef Py_ssize_t i
    for i in range(word_ids.shape[0]):
        if word_ids[i] < 0 or word_ids[i] >= n_words:
            raise ValueError("word index out of range")
    for i in range(columns.shape[0]):
        if columns[i] < 0 or columns[i] >= coef.shape[0]:
            raise ValueError("column out of range")
    decisions_array = np.empty(n_documents, dtype=np.float64)
    cdef double[::1] decisions = decisions_array
    counts_array = np.zeros(coef.shape[0], dtype=np.int64)
    cdef int64_t[::1] counts = counts_array
    cdef vector[int64_t] touched
    cdef Py_ssize_t d, k, j
    cdef int64_t column
    cdef double total, norm, dot, value
    with nogil:
        for d in range(n_documents):
            touched.clear()
            for k in range(document_offsets[d], document_offsets[d + 1]):
                for j in range(column_offsets[word_ids[k]], column_offsets[word_ids[k] + 1]):
                    column = columns[j]
                    if counts[column] == 0:
                        touched.push_back(column)
                    counts[column] += 1
            sort(touched.begin(), touched.end())
            total = 0.0
            for j in range(<Py_ssize_t>touched.size()):
                value = <double>counts[touched[j]]
                total += value * value
            dot = 0.0
            if total != 0.0:
                norm = sqrt(total)
                for j in range(<Py_ssize_t>touched.size()):
                    dot += (<double>counts[touched[j]] / norm) * coef[touched[j]]
            decisions[d] = dot + intercept
            for j in range(<Py_ssize_t>touched.size()):
                counts[touched[j]] = 0
    return decisions_array


cdef _check_offsets(const int64_t[::1] offsets, Py_ssize_t length):
    """Offsets into an array of ``length``: from 0, never decreasing, ending at ``length``."""
    cdef Py_ssize_t i
    if offsets.shape[0] == 0 or offsets[0] != 0 or offsets[offsets.shape[0] - 1] != length:
        raise ValueError("offsets do not span the array")
    for i in range(offsets.shape[0] - 1):
        if offsets[i + 1] < offsets[i]:
            raise ValueError("offsets out of order")
