"""LineClassifier: feature table -> p(content) per line, in three learned stages.

1. lexical: a linear model on hashed character n-grams of the normalized line. It learns the
   words of chrome in any language ("Read more", "©", "أرسل هذا الخبر") from data. Beside it,
   for pages read from HTML, a linear model on the hashed class and id words of each line's
   element and ancestors ("related", "share", "sidebar", "caption": learned, not listed).
2. first pass: gradient-boosted trees on the numeric features plus the lexical scores of the
   line and its neighbours -> ``p_first``, the context-free guess (kept beside the final one).
3. revise: a second tree model that also sees the neighbours' first-pass probabilities, as
   jusText's revise step does by hand -> ``p_content``.

When fitting, stages 2 and 3 are trained on out-of-fold outputs of the stage before
(folds grouped by site), so they learn how much to trust those outputs on unseen sites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted

from classifier.features import (
    add_neighbour_columns,
    add_window_means,
    feature_names,
    featurize,
    offset_tag,
)
from classifier.labeled import scored_mask
from classifier.ngram_hashing import hashed_ngrams
from classifier.page import CHROME, CONTENT, Page
from classifier.persistence import load_model, save_model
from classifier.site_counts import SiteCounts
from classifier.structure_features import NAMES_COLUMN
from classifier.tree_walk import TreeWalk

# Character n-grams within word boundaries; 2..4 covers Latin affixes, Arabic clitics and
# short CJK words. 2**20 hashed columns keep collisions rare and the model file small.
LEXICAL_NGRAMS = (2, 4)
LEXICAL_HASH_FEATURES = 2**20
LEXICAL_OFFSETS = (-2, -1, 1, 2)
# Class and id words hashed for the names model: a vocabulary of a few hundred thousand
# words (site-specific names among them) fits 2**18 columns.
NAME_HASH_FEATURES = 2**18
NAME_OFFSETS = (-1, 1)
FIRST_PASS_OFFSETS = (-3, -2, -1, 1, 2, 3)
# Folds for the out-of-fold outputs that train the later stages.
STACKING_FOLDS = 3
DEFAULT_THRESHOLD = 0.5
# Boosting iterations of each tree stage. 100, not 300 as before issue 14: in a 3-fold
# site-grouped CV over all the shared data (text only), 60 iterations cost 0.003 line F1
# against 300 (docs/evaluation.md), while training and the tree walk at prediction take a
# third of the time.
TREE_ITERATIONS = 100
_DIGITS = str.maketrans("0123456789", "0000000000")
# Class and id text -> words: "relatedPosts__item-2" -> "related posts item".
_CAMEL_CASE = re.compile(r"([a-z])([A-Z])")
_NAME_WORD_PATTERN = r"[a-z]{2,}"
# Finds a digit _DIGITS changes: most keys have none, and translating is slow.
_NONZERO_DIGIT = re.compile("[1-9]")


class LineClassifier(BaseEstimator):
    """Labels each line of a page ``content`` or ``chrome`` with a probability.

    >>> clf = LineClassifier.load()            # the shipped model
    >>> clf.predict(["Home", "News", "A long sentence of article text, as it goes on."])
    """

    def __init__(self, *, random_state: int = 0, max_iter: int = TREE_ITERATIONS, threshold: float = DEFAULT_THRESHOLD):
        self.random_state = random_state
        self.max_iter = max_iter
        self.threshold = threshold

    # ----- fitting -------------------------------------------------------------------------
    def fit(self, pages: Sequence[Page]) -> LineClassifier:
        """Fit on labeled pages. On partially labeled pages (the labeled format's ``scored``)
        only the scored lines are learned from; the others only give context."""
        if not pages or any(page.labels is None for page in pages):
            raise ValueError("fit needs labeled pages (every page with 'labels')")
        y = content_targets(pages)
        mask = np.concatenate([scored_mask(page) for page in pages])
        return self.fit_table(featurize(pages), y, mask)

    def fit_table(
        self, table: pd.DataFrame, y: np.ndarray, mask: np.ndarray, weights: np.ndarray | None = None
    ) -> LineClassifier:
        """Fit on a feature table (from ``featurize``): ``y`` is 1 for content per row, and
        only rows where ``mask`` holds are learned from, each with its weight in ``weights``
        (default 1). Adds the stage outputs to ``table``."""
        rows = table["is_blank"].to_numpy() == 0
        weights = np.ones(len(table)) if weights is None else np.asarray(weights, dtype=float)
        mask = mask & rows
        if len(np.unique(y[mask])) < 2:
            raise ValueError("fit needs both content and chrome lines")
        groups = table["site"].to_numpy()
        n_folds = min(STACKING_FOLDS, len(np.unique(groups[mask])))
        folds = list(GroupKFold(n_splits=n_folds).split(np.zeros(len(table)), groups=groups)) if n_folds > 1 else []

        self.vectorizer_ = HashingVectorizer(
            analyzer="char_wb", ngram_range=LEXICAL_NGRAMS, n_features=LEXICAL_HASH_FEATURES, alternate_sign=False
        )
        key_ids, distinct_text = self._lexical_inputs(table["text_key"])
        text = distinct_text[key_ids]
        table["lex_score"] = _out_of_fold(self._new_lexical, text, y, weights, mask, rows, folds, decision=True)
        self.lexical_ = self._new_lexical().fit(text[mask], y[mask], sample_weight=weights[mask])
        _add_lexical_context(table)

        self.names_vectorizer_ = _names_vectorizer()
        named = rows & (table["has_structure"].to_numpy() == 1)
        name_ids, distinct_names = self._name_inputs(table[NAMES_COLUMN])
        names = distinct_names[name_ids]
        name_score = _out_of_fold(self._new_lexical, names, y, weights, mask & named, named, folds, decision=True)
        table["name_score"] = np.where(named, name_score, np.nan)
        learned = mask & named
        self.names_ = self._new_lexical().fit(names[learned], y[learned], sample_weight=weights[learned]) if len(np.unique(y[learned])) == 2 else None
        _add_name_context(table)

        first_x = _matrix(table, self.first_pass_columns())
        table["p_first"] = _out_of_fold(self._new_trees, first_x, y, weights, mask, rows, folds)
        self.first_pass_ = self._new_trees().fit(first_x[mask], y[mask], sample_weight=weights[mask])
        _add_first_pass_context(table)

        revise_x = _matrix(table, self.revise_columns())
        self.revise_ = self._new_trees().fit(revise_x[mask], y[mask], sample_weight=weights[mask])
        self.feature_names_ = self.revise_columns()
        return self

    def _new_lexical(self) -> SGDClassifier:
        return SGDClassifier(loss="log_loss", alpha=1e-6, max_iter=15, tol=None, random_state=self.random_state)

    def _new_trees(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=0.1, max_leaf_nodes=63, min_samples_leaf=40,
            l2_regularization=1.0, early_stopping=False, random_state=self.random_state,
        )

    @staticmethod
    def first_pass_columns() -> list[str]:
        lexical = ["lex_score", *(f"lex_score_{offset_tag(k)}" for k in LEXICAL_OFFSETS), "window_lex_score_mean"]
        names = ["name_score", *(f"name_score_{offset_tag(k)}" for k in NAME_OFFSETS)]
        return [*feature_names(), *lexical, *names]

    @classmethod
    def revise_columns(cls) -> list[str]:
        context = [f"p_first_{offset_tag(k)}" for k in FIRST_PASS_OFFSETS]
        pooled = ["p_first", *context, "window_p_first_mean", "window_p_first_mean_wide", "page_p_first_mean", "block_p_first_mean"]
        return [*cls.first_pass_columns(), *pooled]

    # ----- predicting ----------------------------------------------------------------------
    def score_table(self, pages: Sequence[Page], site_counts: SiteCounts | None = None) -> pd.DataFrame:
        """The feature table of ``pages`` with ``p_first`` and ``p_content`` (NaN on blank lines);
        ``site_counts``: site repetition of the whole input (else counted within ``pages``)."""
        return self.predict_table(featurize(pages, site_counts))

    def predict_table(self, table: pd.DataFrame) -> pd.DataFrame:
        """Add ``lex_score``, ``p_first`` and ``p_content`` to a feature table; return it."""
        check_is_fitted(self, "revise_")
        rows = table["is_blank"].to_numpy() == 0
        for column in ("lex_score", "p_first", "p_content"):
            table[column] = np.nan
        if rows.any():
            table.loc[rows, "lex_score"] = self._lexical_scores(table["text_key"].to_numpy()[rows])
            _add_lexical_context(table)
            named = rows & (table["has_structure"].to_numpy() == 1)
            table["name_score"] = np.nan
            if named.any() and self.names_ is not None:
                table.loc[named, "name_score"] = self._name_scores(table[NAMES_COLUMN].to_numpy()[named])
            _add_name_context(table)
            first_pass, revise = self._tree_walks()
            table.loc[rows, "p_first"] = first_pass.predict_proba(_matrix(table.loc[rows], self.first_pass_columns()))
            _add_first_pass_context(table)
            table.loc[rows, "p_content"] = revise.predict_proba(_matrix(table.loc[rows], self.revise_columns()))
        return table

    def _tree_walks(self) -> tuple[TreeWalk, TreeWalk]:
        """The tree stages as compiled walks (classifier/tree_walk.py), built once per model
        object and never saved with it."""
        walks = self.__dict__.get("_walks")
        if walks is None or walks[0] is not self.first_pass_ or walks[1] is not self.revise_:
            walks = (self.first_pass_, self.revise_, TreeWalk(self.first_pass_), TreeWalk(self.revise_))
            self.__dict__["_walks"] = walks
        return walks[2], walks[3]

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: the live object keeps its walks
        state.pop("_walks", None)
        return state

    def _lexical_scores(self, keys: np.ndarray) -> np.ndarray:
        """The lexical model's decision per line key; each distinct key is scored once."""
        key_ids, distinct = self._lexical_inputs(keys)
        return self.lexical_.decision_function(distinct)[key_ids]

    def _name_scores(self, names: np.ndarray) -> np.ndarray:
        """The names model's decision per line; each distinct class/id text is scored once."""
        name_ids, distinct = self._name_inputs(names)
        return self.names_.decision_function(distinct)[name_ids]

    def _lexical_inputs(self, keys) -> tuple[np.ndarray, sparse.csr_matrix]:
        """The lexical model's input, each distinct line key hashed once (menus, footers and
        blank lines repeat across a site's pages): the distinct keys' rows, and each line's."""
        key_ids, distinct_keys = pd.factorize(np.asarray(keys, dtype=object))
        return key_ids, hashed_ngrams(self.vectorizer_, [_lexical_document(key) for key in distinct_keys])

    def _name_inputs(self, names) -> tuple[np.ndarray, sparse.csr_matrix]:
        """The names model's input, each distinct class/id text hashed once, as ``_lexical_inputs``."""
        name_ids, distinct_names = pd.factorize(np.asarray(names, dtype=object))
        return name_ids, self.names_vectorizer_.transform(distinct_names.tolist())

    def predict_proba_pages(self, pages: Sequence[Page], site_counts: SiteCounts | None = None) -> list[np.ndarray]:
        """p(content) per line of each page; NaN on blank lines."""
        probabilities = self.score_table(pages, site_counts)["p_content"].to_numpy()
        bounds = np.cumsum([0, *(len(page.lines) for page in pages)])
        return [probabilities[start:end] for start, end in zip(bounds[:-1], bounds[1:])]

    def predict_pages(
        self, pages: Sequence[Page], threshold: float | None = None, site_counts: SiteCounts | None = None
    ) -> list[list[tuple[str | None, float | None]]]:
        """(label, p_content) for every line of every page; (None, None) on blank lines."""
        cut = self.threshold if threshold is None else threshold
        return [
            list(zip(labels_of(probabilities, cut), [None if np.isnan(p) else float(p) for p in probabilities]))
            for probabilities in self.predict_proba_pages(pages, site_counts)
        ]

    def predict(self, lines: Sequence[str], link_chars: Sequence[int] | None = None, threshold: float | None = None):
        """(label, p_content) for each line of one page."""
        page = Page("page", list(lines), list(link_chars) if link_chars is not None else None)
        return self.predict_pages([page], threshold)[0]

    # ----- persistence -----------------------------------------------------------------------
    @classmethod
    def load(cls, path=None, trust: bool = False) -> LineClassifier:
        """Load a saved model (default: the shipped one), refusing one that does not fit this code,
        or one not trusted yet unless ``trust`` is given (see classifier/persistence.py)."""
        return load_model(path, cls, cls.revise_columns(), trust=trust)

    def save(self, path, metadata: dict | None = None) -> dict:
        """Save with joblib and write the JSON metadata beside it; returns the metadata."""
        return save_model(self, path, metadata or {})


def content_targets(pages: Sequence[Page]) -> np.ndarray:
    """1 for a content line, 0 otherwise, over all lines of labeled ``pages``."""
    return np.array([label == CONTENT for page in pages for label in page.labels], dtype=np.int8)


def labels_of(probabilities, threshold: float) -> list[str | None]:
    """content / chrome per p(content) at ``threshold``; None where it is NaN (blank lines)."""
    return [None if np.isnan(p) else (CONTENT if p >= threshold else CHROME) for p in probabilities]


def _matrix(table: pd.DataFrame, columns: list[str]) -> np.ndarray:
    # Missing values (no link information, no neighbour) become -1, below every real value
    # (all features are >= 0 except lexical scores, whose missing neighbours sit at page edges).
    # scikit-learn's tree binning fails on a column that is NaN throughout, as in text-only data.
    return np.nan_to_num(table[columns].to_numpy(dtype=np.float32), nan=-1.0)


def _lexical_document(key: str) -> str:
    """The lexical model's input for a line key: digits collapse to 0 (a date or count is the
    same signal whatever its value), and the opening words come again marked with ``§``, so
    that the n-grams also say how a line begins ("read more: ...", "by ...", "المصدر: ...").
    The opening words are the first three: a key has one space between words, none at the ends.
    """
    text = key.translate(_DIGITS) if _NONZERO_DIGIT.search(key) else key
    opening = " ".join("§" + word for word in text.split(" ", 3)[:3]) if text else ""
    return text + " " + opening


def _names_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        preprocessor=_name_words, token_pattern=_NAME_WORD_PATTERN, n_features=NAME_HASH_FEATURES, alternate_sign=False,
    )


def _name_words(names: str) -> str:
    """Class and id text with camelCase words apart, lowercased."""
    return _CAMEL_CASE.sub(r"\1 \2", names).lower()


def _add_name_context(table: pd.DataFrame) -> None:
    add_neighbour_columns(table, ["name_score"], NAME_OFFSETS)


def _add_lexical_context(table: pd.DataFrame) -> None:
    add_neighbour_columns(table, ["lex_score"], LEXICAL_OFFSETS)
    add_window_means(table, ["lex_score"], half_width=3)


def _add_first_pass_context(table: pd.DataFrame) -> None:
    add_neighbour_columns(table, ["p_first"], FIRST_PASS_OFFSETS)
    add_window_means(table, ["p_first"], half_width=3)
    add_window_means(table, ["p_first"], half_width=10, suffix="_wide")
    nonblank = table["is_blank"] == 0
    table["page_p_first_mean"] = table["p_first"].where(nonblank).groupby(table["page_no"]).transform("mean")
    block_id = table["is_blank"].groupby(table["page_no"]).cumsum()
    table["block_p_first_mean"] = table["p_first"].where(nonblank).groupby([table["page_no"], block_id]).transform("mean")


def _out_of_fold(new_model, x, y, weights, mask, rows, folds, decision: bool = False) -> np.ndarray:
    """Each non-blank row's output from a model that never saw its site (NaN on blank rows)."""
    out = np.full(len(y), np.nan)
    if not folds:
        folds = [(np.flatnonzero(mask), np.flatnonzero(rows))]
    for train_index, test_index in folds:
        train_index = train_index[mask[train_index]]
        test_index = test_index[rows[test_index]]
        if len(np.unique(y[train_index])) < 2 or len(test_index) == 0:
            out[test_index] = 0.0 if decision else y[train_index].mean()
            continue
        model = new_model().fit(x[train_index], y[train_index], sample_weight=weights[train_index])
        out[test_index] = model.decision_function(x[test_index]) if decision else TreeWalk(model).predict_proba(x[test_index])
    return out
