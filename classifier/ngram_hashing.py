"""The linear models' inputs: hashed character n-grams of lines, hashed words of class/id text.

Both are what scikit-learn's ``HashingVectorizer`` (no alternate sign, l2 norm) gives, without
scikit-learn, and faster: each distinct word is hashed once, by the compiled MurmurHash3 of
``_ngram_hash.pyx``. Prediction takes a linear model's decision straight from the hashed words
(``HashedWords.decisions``, compiled, no matrix); training takes the sparse matrix
(``HashedWords.matrix``). ``tests/test_speed_equivalence.py`` compares both with scikit-learn.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from classifier._ngram_hash import linear_decisions, normalize_rows_l2, word_columns, word_ngram_columns


@dataclass(frozen=True)
class HashedWords:
    """Documents as their words (``word_ids[document_offsets[d]:document_offsets[d + 1]]``),
    and each distinct word as its hashed columns (``columns[column_offsets[w]:...[w + 1]]``)."""

    word_ids: np.ndarray
    document_offsets: np.ndarray
    columns: np.ndarray
    column_offsets: np.ndarray
    n_features: int

    def decisions(self, coef: np.ndarray, intercept: float) -> np.ndarray:
        """``matrix() @ coef + intercept``, computed without the matrix, to the same floats."""
        if len(coef) != self.n_features:
            raise ValueError(f"{len(coef)} weights for {self.n_features} hashed columns")
        return linear_decisions(self.word_ids, self.document_offsets, self.columns, self.column_offsets, coef, intercept)

    def matrix(self):
        """The documents' l2-normalized counts as a CSR matrix, as the vectorizer gives it."""
        import scipy.sparse as sp  # here, not at the top: prediction never builds the matrix

        n_documents, n_words = len(self.document_offsets) - 1, len(self.column_offsets) - 1
        words_in_documents = sp.csr_matrix(
            (np.ones(len(self.word_ids)), self.word_ids, self.document_offsets), shape=(n_documents, n_words)
        )
        # An n-gram seen twice in a word is two entries, which the product sums.
        columns_of_words = sp.csr_matrix(
            (np.ones(len(self.columns)), self.columns, self.column_offsets), shape=(n_words, self.n_features)
        )
        counts = sp.csr_matrix(words_in_documents @ columns_of_words)
        counts.sum_duplicates()  # sorts the indices, as the vectorizer's hasher does
        normalize_rows_l2(counts.data, counts.indptr.astype(np.int64, copy=False))
        return counts


def hashed_ngrams(documents: list[str], ngram_range: tuple[int, int], n_features: int) -> HashedWords:
    """The input ``HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range,
    n_features=n_features, alternate_sign=False)`` makes of one-line documents.

    Character n-grams within word boundaries (``char_wb``) never span two words, so the counts
    of a document are the sums of its words' counts. The documents are lowercased together,
    one per line: no case mapping looks across a line break.
    """
    document_words = [line.split() for line in "\n".join(documents).lower().split("\n")]
    word_ids, distinct_words, document_offsets = _factorized(document_words)
    columns, column_offsets = word_ngram_columns(distinct_words, ngram_range[0], ngram_range[1], n_features)
    return HashedWords(word_ids, document_offsets, columns, column_offsets, n_features)


def hashed_words(documents: list[str], token_pattern: re.Pattern, n_features: int) -> HashedWords:
    """The input ``HashingVectorizer(token_pattern=..., n_features=n_features,
    alternate_sign=False)`` makes of documents already preprocessed: the words
    ``token_pattern`` finds, each hashed whole."""
    word_ids, distinct_words, document_offsets = _factorized([token_pattern.findall(document) for document in documents])
    columns = word_columns(distinct_words, n_features)
    return HashedWords(word_ids, document_offsets, columns, np.arange(len(columns) + 1, dtype=np.int64), n_features)


def _factorized(document_words: list[list[str]]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Each word's id among the distinct words, the distinct words, and each document's
    first word's position (``len(document_words) + 1`` offsets)."""
    word_ids, distinct_words = pd.factorize(np.fromiter(itertools.chain.from_iterable(document_words), dtype=object))
    document_offsets = np.cumsum([0, *(len(words) for words in document_words)], dtype=np.int64)
    return word_ids.astype(np.int64, copy=False), distinct_words.tolist(), document_offsets
