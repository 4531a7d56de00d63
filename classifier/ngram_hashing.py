"""The linear models' inputs: hashed character n-grams of lines, hashed words of class/id text.

Both are what scikit-learn's ``HashingVectorizer`` (no alternate sign, l2 norm) gives, without
scikit-learn, and faster: ``_ngram_hash.pyx`` reads the Python strings, finds the distinct
documents and words, and hashes each distinct word once (MurmurHash3), all compiled.
Prediction takes a linear model's decision straight from the hashed words
(``HashedWords.decisions``, compiled, no matrix); training takes the sparse matrix
(``HashedWords.matrix``). ``tests/test_speed_equivalence.py`` compares both with scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from classifier._ngram_hash import class_id_word_columns, lexical_document_columns, linear_decisions, normalize_rows_l2


@dataclass(frozen=True)
class HashedWords:
    """Documents as their words (``word_ids[document_offsets[d]:document_offsets[d + 1]]``),
    and each distinct word as its hashed columns (``columns[column_offsets[w]:...[w + 1]]``).
    Words are distinct as written (two may lowercase alike and have the same columns)."""

    word_ids: np.ndarray
    document_offsets: np.ndarray
    columns: np.ndarray
    column_offsets: np.ndarray
    n_features: int

    def decisions(self, coef: np.ndarray, intercept: float) -> np.ndarray:
        """``matrix() @ coef + intercept``, computed without the matrix, within about 1e-12 (the
        weights are summed word by word; ``_ngram_hash.linear_decisions``)."""
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


def lexical_inputs(keys: Sequence[str], ngram_range: tuple[int, int], n_features: int) -> tuple[np.ndarray, HashedWords]:
    """The lexical model's input for line keys: each key's document number, and the documents
    as ``HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range, n_features=n_features,
    alternate_sign=False)`` hashes them. A key's document is the key with digits 1-9 as 0 and
    its first three words again marked with ``§`` ("read more: 12 ways" -> "read more: 00 ways
    §read §more: §00"); ``_ngram_hash.lexical_document_columns`` says why and how exactly.

    Character n-grams within word boundaries (``char_wb``) never span two words, so a
    document's counts are the sums of its words', and each distinct word is hashed once."""
    key_documents, *arrays = lexical_document_columns(_str_list(keys), ngram_range[0], ngram_range[1], n_features)
    return key_documents, HashedWords(*arrays, n_features)


def name_inputs(names: Sequence[str], n_features: int) -> tuple[np.ndarray, HashedWords]:
    """The names model's input for the class/id text of lines, as ``lexical_inputs``: the
    words of at least two ASCII letters, camelCase apart, lowercased ("relatedPosts__item-2" ->
    "related", "posts", "item"), each hashed whole (``_ngram_hash.class_id_word_columns``)."""
    name_documents, *arrays = class_id_word_columns(_str_list(names), n_features)
    return name_documents, HashedWords(*arrays, n_features)


def _str_list(texts: Sequence[str]) -> list:
    """``texts`` as the list the compiled code reads, through numpy: ``list()`` of a pandas
    string column converts element by element, 8 times slower."""
    return np.asarray(texts, dtype=object).tolist()
