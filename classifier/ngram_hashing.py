"""The lexical model's hashed character n-grams, computed per distinct word in numpy.

``hashed_ngrams`` gives exactly what scikit-learn's ``HashingVectorizer`` (``char_wb``, no
alternate sign) gives on one-line documents, much faster: each distinct word is hashed once,
with a numpy MurmurHash3 over all n-grams at once. ``tests/test_speed_equivalence.py``
compares the two.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize


def hashed_ngrams(vectorizer: HashingVectorizer, documents: list[str]) -> sp.csr_matrix:
    """``vectorizer.transform(documents)`` for one-line documents, hashing each distinct word once.

    Character n-grams within word boundaries (``char_wb``) never span two words, so the counts
    of a document are the sums of its words' counts: the same counts in the same sorted layout,
    normalized by the same function, give the same floats. The documents are preprocessed
    (lowercased) together, one per line: no case mapping looks across a line break.
    """
    lines = vectorizer.build_preprocessor()("\n".join(documents)).split("\n")
    document_words = [line.split() for line in lines]
    word_ids, distinct_words = pd.factorize(np.fromiter(itertools.chain.from_iterable(document_words), dtype=object))
    if not len(distinct_words):
        return sp.csr_matrix((len(documents), vectorizer.n_features))
    word_positions = np.cumsum([0, *(len(words) for words in document_words)])
    words_in_documents = sp.csr_matrix(
        (np.ones(len(word_ids)), word_ids, word_positions), shape=(len(documents), len(distinct_words))
    )
    counts = words_in_documents @ _word_ngram_counts(distinct_words, vectorizer.ngram_range, vectorizer.n_features)
    counts.sum_duplicates()  # sorts the indices, as the vectorizer's hasher does
    return normalize(counts, norm=vectorizer.norm, copy=False)


def _word_ngram_counts(words: Sequence[str], ngram_range: tuple[int, int], n_features: int) -> sp.csr_matrix:
    """Per word, its hashed n-gram counts as the lexical vectorizer (``char_wb``, no alternate
    sign, no normalization) counts them for the word alone, computed for all words at once;
    an n-gram seen twice in a word is two entries (a product with the matrix sums them).

    ``char_wb`` pads a word with a space on each side and takes every n-gram of each length
    in ``ngram_range`` that fits; each n-gram's column is ``|MurmurHash3(UTF-8 bytes)| %
    n_features``. (It would count a padded word shorter than the smallest length once, whole:
    padded words have 3 characters or more, so that needs lengths from 4 up.)
    """
    if ngram_range[0] > 3:
        raise ValueError(f"n-gram lengths from {ngram_range[0]} up are not supported")
    padded = "".join(f" {word} " for word in words)
    code_points = np.frombuffer(padded.encode("utf-32-le"), dtype="<u4")
    padded_lengths = np.fromiter((len(word) + 2 for word in words), dtype=np.int64, count=len(words))
    lengths = np.arange(ngram_range[0], ngram_range[1] + 1)
    # Every (start, length) pair in start order, so that each word's n-grams are contiguous.
    start = np.repeat(np.arange(len(code_points)), len(lengths))
    end = start + np.tile(lengths, len(code_points))
    fits = end <= np.repeat(np.cumsum(padded_lengths), padded_lengths)[start]
    start, end = start[fits], end[fits]
    utf8_lengths = 1 + (code_points >= 0x80) + (code_points >= 0x800) + (code_points >= 0x10000)
    byte_offset = np.concatenate([[0], np.cumsum(utf8_lengths)])
    hashes = murmurhash3_32(padded.encode("utf-8"), byte_offset[start], byte_offset[end] - byte_offset[start])
    columns = np.where(hashes == -(2**31), (2**31 - 1 - (n_features - 1)) % n_features, np.abs(hashes) % n_features)
    word_of_ngram = np.repeat(np.arange(len(words)), padded_lengths)[start]
    ngrams_before_word = np.concatenate([[0], np.cumsum(np.bincount(word_of_ngram, minlength=len(words)))])
    return sp.csr_matrix((np.ones(len(start)), columns, ngrams_before_word), shape=(len(words), n_features))


def murmurhash3_32(data: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """MurmurHash3 (x86, 32-bit, seed 0) of each ``data[start:start + length]``, signed, as
    scikit-learn's ``murmurhash3_32`` gives it; all strings at once, in numpy."""
    bytes_ = np.frombuffer(data + bytes(3), dtype=np.uint8).astype(np.uint32)
    # The little-endian 32-bit word at every byte offset.
    word_at = bytes_[:-3] | (bytes_[1:-2] << 8) | (bytes_[2:-1] << 16) | (bytes_[3:] << 24)
    h = np.zeros(len(starts), dtype=np.uint32)
    n_blocks = lengths // 4
    for block in range(int(n_blocks.max(initial=0))):
        rows = np.flatnonzero(n_blocks > block)
        h[rows] = _murmur_round(h[rows], word_at[starts[rows] + 4 * block])
    tail_bits = (8 * (lengths % 4)).astype(np.uint32)
    rows = np.flatnonzero(tail_bits)
    tail = word_at[starts[rows] + 4 * n_blocks[rows]] & ((np.uint32(1) << tail_bits[rows]) - np.uint32(1))
    h[rows] ^= _murmur_scramble(tail)
    h ^= lengths.astype(np.uint32)
    h ^= h >> 16
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> 13
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> 16
    return h.view(np.int32)


def _murmur_scramble(k: np.ndarray) -> np.ndarray:
    k = k * np.uint32(0xCC9E2D51)
    k = (k << 15) | (k >> 17)
    return k * np.uint32(0x1B873593)


def _murmur_round(h: np.ndarray, k: np.ndarray) -> np.ndarray:
    h = h ^ _murmur_scramble(k)
    h = (h << 13) | (h >> 19)
    return h * np.uint32(5) + np.uint32(0xE6546B64)
