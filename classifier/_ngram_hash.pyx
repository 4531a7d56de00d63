# cython: language_level=3, boundscheck=False, wraparound=False
"""The linear models' inputs in compiled code, from the Python strings to the hashed columns,
as scikit-learn's HashingVectorizer (no alternate sign) makes them: MurmurHash3 (x86, 32-bit,
seed 0) of each n-gram's or word's UTF-8 bytes, column ``|hash| % n_features``; its l2
normalization of the rows; and a linear model's decisions on them (within about 1e-12 of
scikit-learn's: the weights summed word by word, not column by column).

Strings are read as code points through the CPython unicode API (only words are written out
in UTF-8, to be hashed); repeated documents and words are found with a hash table
(``Numbering``), so each distinct document is split once and each distinct word lowercased and
hashed once.
"""

import numpy as np

cimport cython
from classifier._numbering cimport Numbering, boilerline_hash_bytes
from cpython.unicode cimport (
    Py_UNICODE_ISSPACE, PyUnicode_4BYTE_KIND, PyUnicode_AsUTF8AndSize, PyUnicode_DecodeUTF8, PyUnicode_FromKindAndData,
)
from libc.math cimport sqrt
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcmp, memcpy
from libcpp.string cimport string
from libcpp.vector cimport vector


# A code point as a number (Cython's Py_UCS4 is a character: arithmetic on it makes strings).
ctypedef uint32_t CodePoint

cdef CodePoint SPACE = 0x20
# Prefix of the lexical document's opening words ("§read §more").
cdef CodePoint OPENING_MARK = 0xA7
# Lone surrogates become U+FFFD, as text.fold and the readers do: UTF-8 cannot hold them.
cdef CodePoint REPLACEMENT_CHARACTER = 0xFFFD
# The lexical document repeats the first three words of a key.
cdef int OPENING_WORDS = 3
# A class/id word is a run of at least 2 ASCII lowercase letters (the names vectorizer's
# token pattern ``[a-z]{2,}``).
cdef size_t MIN_NAME_WORD_LENGTH = 2


# ----- hashing ---------------------------------------------------------------------------------

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
    """scikit-learn's column of a signed hash (``-2**31`` has no absolute value in int32). A
    power of two of columns (as the models have) takes a mask, not a division: the same
    remainder of a non-negative number, a tenth of the time."""
    if h == -2147483648:
        return (2147483647 - (n_features - 1)) % n_features
    cdef int64_t magnitude = h if h >= 0 else -h
    if (n_features & (n_features - 1)) == 0:
        return magnitude & (n_features - 1)
    return magnitude % n_features


def hash_bytes(bytes data):
    """MurmurHash3 of ``data`` (for tests: the same function the n-grams are hashed with)."""
    return murmurhash3_32(<const uint8_t*>data, len(data))


# ----- the lexical model's documents -----------------------------------------------------------

def lexical_document_columns(list keys, int min_n, int max_n, int64_t n_features):
    """The lexical model's input for line keys (``str``): returns each key's document number,
    then the documents' words (``word_ids``, ``document_offsets``) and each distinct word's
    hashed n-gram columns (``columns``, ``column_offsets``), all int64.

    A key's document is what ``HashingVectorizer(analyzer="char_wb", ngram_range=(min_n,
    max_n), n_features=n_features, alternate_sign=False)`` is given: the key with digits 1-9
    as 0 (a date or count is the same signal whatever its value), a space, and the key's first
    three words again, each after ``§`` (the n-grams then also say how a line begins: "read
    more: ...", "by ...", "المصدر: ..."). In Python, with ``text`` the key so translated::

        text + " " + (" ".join("§" + word for word in text.split(" ", 3)[:3]) if text else "")

    Keys whose documents are equal share a number (menus, footers and dates repeat across a
    site's pages), so each distinct document is split once. Words are what ``str.split()``
    gives, lowercased as ``str.lower()`` lowercases the whole document (``_append_lowered``)."""
    _check_ngram_lengths(min_n, max_n, n_features)
    cdef Numbering documents = Numbering(), words = Numbering()
    cdef vector[int64_t] key_documents, word_ids, document_offsets
    cdef vector[CodePoint] text, document
    cdef string word
    cdef int64_t number
    key_documents.reserve(len(keys))
    document_offsets.push_back(0)
    for key in keys:
        _read_code_points(_checked_str(key), text)
        _digits_as_zero(text)
        number = documents.number_of(<const char*>text.data(), text.size() * sizeof(CodePoint))
        key_documents.push_back(number)
        if number == <int64_t>document_offsets.size() - 1:  # a document not seen before
            _lexical_document(text, document)
            _number_split_words(document, words, word_ids, word)
            document_offsets.push_back(<int64_t>word_ids.size())
    cdef vector[int64_t] columns, column_offsets
    _ngram_columns(words, min_n, max_n, n_features, columns, column_offsets)
    return (_int64_array(key_documents), _int64_array(word_ids), _int64_array(document_offsets),
            _int64_array(columns), _int64_array(column_offsets))


cdef _check_ngram_lengths(int min_n, int max_n, int64_t n_features):
    """A padded word shorter than ``min_n`` would be one n-gram in scikit-learn; padded words
    have 3 code points or more, so ``min_n`` must be at most 3."""
    if min_n < 1 or max_n < min_n or min_n > 3:
        raise ValueError(f"n-gram lengths {min_n}..{max_n} are not supported")
    if n_features < 1:
        raise ValueError(f"{n_features} hashed columns")


cdef inline void _digits_as_zero(vector[CodePoint]& text) noexcept:
    """ASCII digits 1-9 -> 0, in place (only ASCII ones, as ``str.maketrans("0123456789", ...)``)."""
    cdef size_t i
    for i in range(text.size()):
        if 0x31 <= text[i] <= 0x39:
            text[i] = 0x30


cdef void _lexical_document(const vector[CodePoint]& text, vector[CodePoint]& document):
    """``text``, a space, then the pieces of ``text`` before its first three spaces (its
    ``split(" ", 3)[:3]``) each after ``§``, joined by spaces; nothing after the space if
    ``text`` is empty."""
    cdef int spaces_seen = 0
    cdef size_t i
    document.clear()
    for i in range(text.size()):
        document.push_back(text[i])
    document.push_back(SPACE)
    if text.empty():
        return
    document.push_back(OPENING_MARK)
    for i in range(text.size()):
        if text[i] == SPACE:
            spaces_seen += 1
            if spaces_seen == OPENING_WORDS:
                return
            document.push_back(SPACE)
            document.push_back(OPENING_MARK)
        else:
            document.push_back(text[i])


cdef void _number_split_words(const vector[CodePoint]& document, Numbering words, vector[int64_t]& word_ids, string& word):
    """Append the number of each of ``document.split()``'s words to ``word_ids``. A word is
    numbered as UTF-8 with its ASCII capitals lowered: ``str.lower()`` gives the same for it,
    and "The" then meets "the" here, not later. ``word`` is scratch space."""
    cdef size_t i = 0, n = document.size()
    while i < n:
        while i < n and Py_UNICODE_ISSPACE(document[i]):
            i += 1
        if i == n:
            return
        word.clear()
        while i < n and not Py_UNICODE_ISSPACE(document[i]):
            _append_utf8(word, _ascii_lowered(document[i]))
            i += 1
        word_ids.push_back(words.number_of(word.data(), word.size()))


cdef void _ngram_columns(
    Numbering words, int min_n, int max_n, int64_t n_features, vector[int64_t]& columns, vector[int64_t]& column_offsets,
):
    """Each word lowercased, padded with a space on each side, and every n-gram of it (lengths
    ``min_n`` to ``max_n`` in code points, each that fits) hashed to its column, word after
    word; ``column_offsets`` gets each word's first column (``words.size() + 1`` offsets)."""
    cdef string padded
    cdef vector[size_t] starts
    cdef size_t w, n_points, most = 0
    cdef int n
    for w in range(words.size()):  # room for every n-gram, counting a byte as a code point
        n_points = words.text_size(w) + 2
        for n in range(min_n, max_n + 1):
            most += n_points - n + 1 if n_points >= <size_t>n else 0
    columns.reserve(most)
    column_offsets.reserve(words.size() + 1)
    column_offsets.push_back(0)
    for w in range(words.size()):
        padded.assign(1, <char>SPACE)
        _append_lowered(padded, words.text(w), words.text_size(w))
        padded.push_back(<char>SPACE)
        _append_padded_word_columns(padded, min_n, max_n, n_features, columns, starts)
        column_offsets.push_back(<int64_t>columns.size())


cdef void _append_padded_word_columns(
    const string& padded, int min_n, int max_n, int64_t n_features, vector[int64_t]& columns, vector[size_t]& starts,
):
    """Append the columns of ``padded``'s n-grams, by start then length (``starts`` is scratch:
    the byte offset of each code point, and one past the end)."""
    cdef const uint8_t* data = <const uint8_t*>padded.data()
    cdef size_t i, start, n_points, n_bytes = padded.size()
    cdef int n
    starts.clear()
    for i in range(n_bytes):
        if (data[i] & 0xC0) != 0x80:  # not a UTF-8 continuation byte: a code point starts here
            starts.push_back(i)
    n_points = starts.size()
    starts.push_back(n_bytes)
    for start in range(n_points):
        for n in range(min_n, max_n + 1):
            if start + n > n_points:
                break
            columns.push_back(_column(murmurhash3_32(data + starts[start], starts[start + n] - starts[start]), n_features))


cdef void _append_lowered(string& out, const char* word, size_t size):
    """Append ``word`` (UTF-8, ASCII letters already lowercase) as ``str.lower()`` gives it.

    Lowering word by word gives what lowering the whole document gives: no character lowers
    to or from whitespace, and the one mapping that looks at its neighbours (a capital sigma,
    final ``ς`` or not ``σ``) only looks past cased and case-ignorable characters, which
    whitespace is not (``tests/test_speed_equivalence.py`` checks these over all of Unicode).
    Non-ASCII words are lowered by Python itself, for its exact case tables."""
    cdef size_t i
    for i in range(size):
        if <uint8_t>word[i] >= 0x80:
            break
    else:
        out.append(word, size)
        return
    lowered = PyUnicode_DecodeUTF8(<char*>word, <Py_ssize_t>size, NULL).lower()
    cdef Py_ssize_t n_bytes
    cdef const char* data = PyUnicode_AsUTF8AndSize(lowered, &n_bytes)
    out.append(data, <size_t>n_bytes)


# ----- the names model's documents -------------------------------------------------------------

def class_id_word_columns(list names, int64_t n_features):
    """The names model's input for class/id texts (``str``): returns each text's document
    number, then the documents' words (``word_ids``, ``document_offsets``) and each distinct
    word's hashed column (``columns``, ``column_offsets``), all int64.

    The words are what ``HashingVectorizer(preprocessor=..., token_pattern=r"[a-z]{2,}",
    n_features=n_features, alternate_sign=False)`` finds when its preprocessor puts camelCase
    words apart and lowercases, ``re.sub(r"([a-z])([A-Z])", r"\\1 \\2", text).lower()``:
    "relatedPosts__item-2" -> "related", "posts", "item". Each word is hashed whole."""
    if n_features < 1:
        raise ValueError(f"{n_features} hashed columns")
    cdef Numbering texts = Numbering(), words = Numbering()
    cdef vector[int64_t] name_documents, word_ids, document_offsets
    cdef vector[CodePoint] text, separated
    cdef int64_t number
    name_documents.reserve(len(names))
    document_offsets.push_back(0)
    for name in names:
        _read_code_points(_checked_str(name), text)
        number = texts.number_of(<const char*>text.data(), text.size() * sizeof(CodePoint))
        name_documents.push_back(number)
        if number == <int64_t>document_offsets.size() - 1:  # a text not seen before
            _camel_case_apart_lowered(text, separated)
            _number_name_words(separated, words, word_ids)
            document_offsets.push_back(<int64_t>word_ids.size())
    columns_array = np.empty(words.size(), dtype=np.int64)
    cdef int64_t[::1] columns = columns_array
    cdef size_t w
    for w in range(words.size()):
        columns[w] = _column(murmurhash3_32(<const uint8_t*>words.text(w), words.text_size(w)), n_features)
    return (_int64_array(name_documents), _int64_array(word_ids), _int64_array(document_offsets),
            columns_array, np.arange(words.size() + 1, dtype=np.int64))


cdef void _camel_case_apart_lowered(const vector[CodePoint]& text, vector[CodePoint]& separated):
    """``re.sub(r"([a-z])([A-Z])", r"\\1 \\2", text).lower()``: a space after each ASCII
    lowercase letter followed by an ASCII capital (those pairs cannot overlap), then lowered,
    in C for ASCII text and by Python's ``str.lower`` otherwise (which may give ASCII letters:
    "İ" -> "i̇", the Kelvin sign -> "k")."""
    cdef size_t i, n = text.size()
    cdef bint is_ascii = True
    separated.clear()
    for i in range(n):
        separated.push_back(text[i])
        is_ascii = is_ascii and text[i] < 0x80
        if 0x61 <= text[i] <= 0x7A and i + 1 < n and 0x41 <= text[i + 1] <= 0x5A:
            separated.push_back(SPACE)
    if is_ascii:
        for i in range(separated.size()):
            separated[i] = _ascii_lowered(separated[i])
        return
    lowered = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, separated.data(), <Py_ssize_t>separated.size()).lower()
    _read_code_points(lowered, separated)


cdef void _number_name_words(const vector[CodePoint]& text, Numbering words, vector[int64_t]& word_ids):
    """Append the number of each run of at least two ASCII lowercase letters of ``text`` to
    ``word_ids`` (the letters as bytes)."""
    cdef size_t i = 0, start, j, n = text.size()
    cdef string word
    while i < n:
        if not 0x61 <= text[i] <= 0x7A:
            i += 1
            continue
        start = i
        while i < n and 0x61 <= text[i] <= 0x7A:
            i += 1
        if i - start >= MIN_NAME_WORD_LENGTH:
            word.clear()
            for j in range(start, i):
                word.push_back(<char>text[j])
            word_ids.push_back(words.number_of(word.data(), word.size()))


# ----- strings -----------------------------------------------------------------------------------

cdef str _checked_str(object text):
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    return <str>text


cdef void _read_code_points(str text, vector[CodePoint]& points):
    """``text``'s code points into ``points``, each lone surrogate as U+FFFD (read straight
    from the string's storage, whatever its width)."""
    cdef Py_UCS4 point
    points.clear()
    points.reserve(len(text))
    for point in text:
        points.push_back(REPLACEMENT_CHARACTER if 0xD800 <= point <= 0xDFFF else <CodePoint>point)


cdef inline CodePoint _ascii_lowered(CodePoint point) noexcept:
    return point + 0x20 if 0x41 <= point <= 0x5A else point


cdef inline void _append_utf8(string& out, CodePoint point):
    """Append ``point``'s UTF-8 bytes (never a surrogate: those were replaced on reading)."""
    if point < 0x80:
        out.push_back(<char>point)
    elif point < 0x800:
        out.push_back(<char>(0xC0 | (point >> 6)))
        out.push_back(<char>(0x80 | (point & 0x3F)))
    elif point < 0x10000:
        out.push_back(<char>(0xE0 | (point >> 12)))
        out.push_back(<char>(0x80 | ((point >> 6) & 0x3F)))
        out.push_back(<char>(0x80 | (point & 0x3F)))
    else:
        out.push_back(<char>(0xF0 | (point >> 18)))
        out.push_back(<char>(0x80 | ((point >> 12) & 0x3F)))
        out.push_back(<char>(0x80 | ((point >> 6) & 0x3F)))
        out.push_back(<char>(0x80 | (point & 0x3F)))


cdef _int64_array(const vector[int64_t]& values):
    array = np.empty(values.size(), dtype=np.int64)
    cdef int64_t[::1] view = array
    if not values.empty():
        memcpy(&view[0], values.data(), values.size() * sizeof(int64_t))
    return array


# ----- normalizing and deciding ------------------------------------------------------------------

def normalize_rows_l2(double[::1] data not None, const int64_t[::1] indptr not None):
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
    const int64_t[::1] word_ids not None,
    const int64_t[::1] document_offsets not None,
    const int64_t[::1] columns not None,
    const int64_t[::1] column_offsets not None,
    const double[::1] coef not None,
    double intercept,
):
    """A linear model's decision on each document's hashed counts, l2-normalized: over the
    document's words (``word_ids[document_offsets[d]:document_offsets[d + 1]]``) and each
    word's columns (``columns[column_offsets[w]:column_offsets[w + 1]]``), the sum of the
    columns' weights divided by the l2 norm of the columns' counts, plus the intercept.

    Within about 1e-12 of scikit-learn's floats (``HashingVectorizer`` then the estimator's
    ``decision_function``), not to the bit: scikit-learn sums each distinct column's weight
    times its normalized count in column order, which needs the document's columns sorted;
    here each distinct word's weights are summed once, a document's sum is its words', and
    the norm comes from exact integer counts (``_DocumentColumns``). Three times as fast on
    bench/scale.py's text corpus (0.21 s against 0.69 s for 93,784 documents). Every index
    is checked before the loop."""
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
    cdef vector[double] word_weights
    word_weights.resize(n_words)
    cdef _DocumentColumns counts = _DocumentColumns(_most_columns(word_ids, document_offsets, column_offsets))
    cdef Py_ssize_t d, k, j, w
    cdef double total
    cdef int64_t squares
    with nogil:
        for w in range(n_words):
            total = 0.0
            for j in range(column_offsets[w], column_offsets[w + 1]):
                total += coef[columns[j]]
            word_weights[w] = total
        for d in range(n_documents):
            counts.clear()
            total = 0.0
            squares = 0
            for k in range(document_offsets[d], document_offsets[d + 1]):
                w = word_ids[k]
                total += word_weights[w]
                for j in range(column_offsets[w], column_offsets[w + 1]):
                    squares += counts.add(columns[j])
            decisions[d] = (total / sqrt(<double>squares) if squares else 0.0) + intercept
    return decisions_array


cdef size_t _most_columns(const int64_t[::1] word_ids, const int64_t[::1] document_offsets, const int64_t[::1] column_offsets):
    """The most columns (with repeats) any one document has."""
    cdef size_t most = 0, n
    cdef Py_ssize_t d, k
    for d in range(document_offsets.shape[0] - 1):
        n = 0
        for k in range(document_offsets[d], document_offsets[d + 1]):
            n += column_offsets[word_ids[k] + 1] - column_offsets[word_ids[k]]
        most = max(most, n)
    return most


@cython.final
cdef class _DocumentColumns:
    """The count of each column of one document at a time: an open-addressing table (linear
    probing, at most half full for the largest document) whose slots carry the number of the
    document that wrote them, so that moving to the next document clears nothing. A column's
    slot is its number times a multiplier drawn from Python's keyed hash, so that columns
    chosen to share a slot (MurmurHash3's seed is public) cannot be aimed at it."""

    cdef vector[uint32_t] owners  # the document that wrote each slot, + 1 (0: never written)
    cdef vector[int64_t] keys
    cdef vector[int64_t] counts
    cdef uint32_t document
    cdef uint64_t multiplier
    cdef int shift

    def __cinit__(self, size_t most_columns):
        cdef size_t size = 16
        cdef int bits = 4
        while size < 2 * most_columns:
            size *= 2
            bits += 1
        self.owners.assign(size, 0)
        self.keys.resize(size)
        self.counts.resize(size)
        self.shift = 64 - bits
        self.document = 0
        self.multiplier = <uint64_t>boilerline_hash_bytes(b"boilerline column slots", 23) | 1

    cdef inline void clear(self) noexcept nogil:
        cdef size_t i
        self.document += 1
        if self.document == 0:  # wrapped after 2**32 documents: clear for real once
            for i in range(self.owners.size()):
                self.owners[i] = 0
            self.document = 1

    cdef inline int64_t add(self, int64_t column) noexcept nogil:
        """Count ``column`` once more; returns how much the sum of squared counts grew
        (2 * count + 1)."""
        cdef size_t mask = self.owners.size() - 1
        cdef size_t slot = <size_t>((<uint64_t>column * self.multiplier) >> self.shift)
        cdef int64_t count
        while True:
            if self.owners[slot] != self.document:
                self.owners[slot] = self.document
                self.keys[slot] = column
                self.counts[slot] = 1
                return 1
            if self.keys[slot] == column:
                count = self.counts[slot]
                self.counts[slot] = count + 1
                return 2 * count + 1
            slot = (slot + 1) & mask


cdef _check_offsets(const int64_t[::1] offsets, Py_ssize_t length):
    """Offsets into an array of ``length``: from 0, never decreasing, ending at ``length``."""
    cdef Py_ssize_t i
    if offsets.shape[0] == 0 or offsets[0] != 0 or offsets[offsets.shape[0] - 1] != length:
        raise ValueError("offsets do not span the array")
    for i in range(offsets.shape[0] - 1):
        if offsets[i + 1] < offsets[i]:
            raise ValueError("offsets out of order")
