"""The lexical model's hashed character n-grams, computed per distinct word.

``hashed_ngrams`` gives exactly what scikit-learn's ``HashingVectorizer`` (``char_wb``, no
alternate sign) gives on one-line documents, much faster: each distinct word is hashed once,
its n-grams by the compiled MurmurHash3 of ``_ngram_hash.pyx``. ``tests/test_speed_equivalence.py``
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

from classifier._ngram_hash import word_ngram_columns


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
    sign, no normalization) counts them for the word alone (compiled: ``_ngram_hash.pyx``);
    an n-gram seen twice in a word is two entries (a product with the matrix sums them)."""
    columns, offsets = word_ngram_columns(list(words), ngram_range[0], ngram_range[1], n_features)
    return sp.csr_matrix((np.ones(len(columns)), columns, offsets), shape=(len(words), n_features))
