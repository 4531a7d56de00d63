"""LineClassifier: the trainable model, feature table -> p(content) per line, in three stages.

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
The stages are scikit-learn estimators; prediction runs on their arrays
(``classifier.predictor``), which is what the command line loads.

A model has one or two sets of these stages: ``general_``, fitted on the table it is given
(the training loop hides the link counts and structure of half the pages in it, so that
it reads plain text too), and, where it is given pages read from HTML, ``html_``, fitted on
those pages as read: pages with link counts are predicted by ``html_``, the others by
``general_``. The HTML stages need not share their trees with plain text: in site-grouped
CV they gain a point of HTML-mode line F1 over one set for both views (docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted

from classifier.features import featurize
from classifier.labeled import scored_mask
from classifier.ngram_hashing import lexical_inputs, name_inputs
from classifier.page import CONTENT, Page
from classifier.persistence import ModelError, default_model_path, load_model, save_model
from classifier.predictor import (
    DEFAULT_THRESHOLD,
    LinearStage,
    PredictsPages,
    Predictor,
    Stages,
    add_first_pass_context,
    add_lexical_context,
    add_name_context,
    feature_matrix,
    first_pass_columns,
    revise_columns,
)
from classifier.structure_features import NAMES_COLUMN
from classifier.tree_walk import TreeWalk

# Character n-grams within word boundaries; 2..4 covers Latin affixes, Arabic clitics and
# short CJK words. 2**20 hashed columns keep collisions rare and the model file small.
LEXICAL_NGRAMS = (2, 4)
LEXICAL_HASH_FEATURES = 2**20
# Class and id words hashed for the names model: a vocabulary of a few hundred thousand
# words (site-specific names among them) fits 2**18 columns.
NAME_HASH_FEATURES = 2**18
# Folds for the out-of-fold outputs that train the later stages.
STACKING_FOLDS = 3
# Boosting iterations of each tree stage. 100, not 300 as before issue 14: in a 3-fold
# site-grouped CV over all the shared data (text only), 60 iterations cost 0.003 line F1
# against 300 (docs/evaluation-history.md, "Previous model"), while training and the tree
# walk at prediction take a third of the time.
TREE_ITERATIONS = 100


@dataclass
class LabeledTable:
    """A feature table (from ``featurize``) to learn from: ``y`` is 1 for content per row, only
    rows where ``mask`` holds are learned from, each with its weight in ``weights`` (None: 1)."""

    table: pd.DataFrame
    y: np.ndarray
    mask: np.ndarray
    weights: np.ndarray | None = None


class StagesEstimator(BaseEstimator):
    """One set of stages (lexical, first pass, revise) as scikit-learn estimators."""

    def __init__(self, *, random_state: int = 0, max_iter: int = TREE_ITERATIONS):
        self.random_state = random_state
        self.max_iter = max_iter

    def fit_table(self, labeled: LabeledTable) -> StagesEstimator:
        """Fit on a labeled feature table; adds the stage outputs to its table."""
        table, y = labeled.table, labeled.y
        rows = table["is_blank"].to_numpy() == 0
        weights = np.ones(len(table)) if labeled.weights is None else np.asarray(labeled.weights, dtype=float)
        mask = labeled.mask & rows
        if len(np.unique(y[mask])) < 2:
            raise ValueError("fit needs both content and chrome lines")
        groups = table["site"].to_numpy()
        n_folds = min(STACKING_FOLDS, len(np.unique(groups[mask])))
        folds = list(GroupKFold(n_splits=n_folds).split(np.zeros(len(table)), groups=groups)) if n_folds > 1 else []

        key_ids, distinct_text = lexical_inputs(table["text_key"], LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES)
        text = distinct_text.matrix()[key_ids]
        table["lex_score"] = _out_of_fold(self._new_lexical, text, y, weights, mask, rows, folds, decision=True)
        self.lexical_ = self._new_lexical().fit(text[mask], y[mask], sample_weight=weights[mask])
        add_lexical_context(table)

        named = rows & (table["has_structure"].to_numpy() == 1)
        name_ids, distinct_names = name_inputs(table[NAMES_COLUMN], NAME_HASH_FEATURES)
        names = distinct_names.matrix()[name_ids]
        name_score = _out_of_fold(self._new_lexical, names, y, weights, mask & named, named, folds, decision=True)
        table["name_score"] = np.where(named, name_score, np.nan)
        learned = mask & named
        self.names_ = self._new_lexical().fit(names[learned], y[learned], sample_weight=weights[learned]) if len(np.unique(y[learned])) == 2 else None
        add_name_context(table)

        first_x = feature_matrix(table, first_pass_columns())
        table["p_first"] = _out_of_fold(self._new_trees, first_x, y, weights, mask, rows, folds)
        self.first_pass_ = self._new_trees().fit(first_x[mask], y[mask], sample_weight=weights[mask])
        add_first_pass_context(table)

        revise_x = feature_matrix(table, revise_columns())
        self.revise_ = self._new_trees().fit(revise_x[mask], y[mask], sample_weight=weights[mask])
        return self

    def _new_lexical(self) -> SGDClassifier:
        return SGDClassifier(loss="log_loss", alpha=1e-6, max_iter=15, tol=None, random_state=self.random_state)

    def _new_trees(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=0.1, max_leaf_nodes=63, min_samples_leaf=40,
            l2_regularization=1.0, early_stopping=False, random_state=self.random_state,
        )

    def raise_log_odds(self, shift: float) -> None:
        """Add ``shift`` to the revise stage's log-odds of content on every line, which moves
        its decision (p 0.5) to where p was ``1 / (1 + exp(shift))``. The trees stay as they
        are: the shift goes into the score they start from (scikit-learn's baseline, which
        the compiled walk reads too)."""
        self.revise_._baseline_prediction = self.revise_._baseline_prediction + shift

    def fitted(self) -> tuple:
        """The fitted estimators, to tell whether a predictor built from them is stale."""
        return self.lexical_, self.names_, self.first_pass_, self.revise_

    def stages(self) -> Stages:
        """The fitted stages as arrays, for ``classifier.predictor``."""
        names = None if self.names_ is None else LinearStage(self.names_.coef_.ravel(), float(self.names_.intercept_[0]))
        return Stages(
            LinearStage(self.lexical_.coef_.ravel(), float(self.lexical_.intercept_[0])), LEXICAL_NGRAMS, names,
            TreeWalk.of_estimator(self.first_pass_), TreeWalk.of_estimator(self.revise_),
        )


class LineClassifier(PredictsPages, BaseEstimator):
    """Labels each line of a page ``content`` or ``chrome`` with a probability.

    Example:
        >>> clf = LineClassifier.load()            # the shipped model
        >>> clf.predict(["Home", "News", "A long sentence of article text, as it goes on."])
    """

    def __init__(
        self, *, random_state: int = 0, max_iter: int = TREE_ITERATIONS, threshold: float = DEFAULT_THRESHOLD,
        general_log_odds_shift: float = 0.0,
    ):
        self.random_state = random_state
        self.max_iter = max_iter
        self.threshold = threshold
        # Added to the general stages' final log-odds (``StagesEstimator.raise_log_odds``):
        # training's recipe sets it for plain-text input (training/train.py).
        self.general_log_odds_shift = general_log_odds_shift

    # ----- fitting -------------------------------------------------------------------------
    def fit(self, pages: Sequence[Page]) -> LineClassifier:
        """Fit on labeled pages, one set of stages for all of them. On partially labeled pages
        (the labeled format's ``scored``) only the scored lines are learned from; the others
        only give context."""
        if not pages or any(page.labels is None for page in pages):
            raise ValueError("fit needs labeled pages (every page with 'labels')")
        y = content_targets(pages)
        mask = np.concatenate([scored_mask(page) for page in pages])
        return self.fit_table(featurize(pages), y, mask)

    def fit_table(
        self, table: pd.DataFrame, y: np.ndarray, mask: np.ndarray, weights: np.ndarray | None = None
    ) -> LineClassifier:
        """Fit the general stages on a feature table (``LabeledTable``'s fields); adds the stage
        outputs to ``table``."""
        return self.fit_tables(LabeledTable(table, y, mask, weights))

    def fit_tables(self, general: LabeledTable, html: LabeledTable | None = None) -> LineClassifier:
        """Fit the general stages on ``general`` and, when given, the HTML stages on ``html``
        (pages with link counts, as read from HTML)."""
        self.general_ = self._new_stages().fit_table(general)
        if self.general_log_odds_shift:
            self.general_.raise_log_odds(self.general_log_odds_shift)
        self.html_ = None if html is None else self._new_stages().fit_table(html)
        self.feature_names_ = revise_columns()
        return self

    def _new_stages(self) -> StagesEstimator:
        return StagesEstimator(random_state=self.random_state, max_iter=self.max_iter)

    # ----- predicting ----------------------------------------------------------------------
    def predictor(self) -> Predictor:
        """The fitted stages as arrays (``classifier.predictor``), built once per model object
        and never pickled with it: prediction runs there, trees walked in compiled code."""
        check_is_fitted(self, "general_")
        cached = self.__dict__.get("_predictor")
        fitted = (*self.general_.fitted(), *(self.html_.fitted() if self.html_ is not None else ()), self.threshold)
        if cached is None or len(cached[0]) != len(fitted) or any(a is not b for a, b in zip(cached[0], fitted)):
            html = None if self.html_ is None else self.html_.stages()
            cached = self.__dict__["_predictor"] = (fitted, Predictor(self.general_.stages(), html, self.threshold))
        return cached[1]

    def predict_table(self, table: pd.DataFrame) -> pd.DataFrame:
        """The feature table with ``lex_score``, ``name_score``, ``p_first`` and ``p_content`` added, as a new table."""
        return self.predictor().predict_table(table)

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: the live object keeps its predictor
        state.pop("_predictor", None)
        return state

    def __setstate__(self, state: dict) -> None:
        # Saved before the parameter existed: its stages were fitted without a shift.
        super().__setstate__({"general_log_odds_shift": 0.0, **state})

    # ----- persistence -----------------------------------------------------------------------
    @classmethod
    def load(cls, path=None, trust: bool = False) -> LineClassifier:
        """Load a saved model (default: the shipped one), refusing one that does not fit this code,
        or one not trusted yet unless ``trust`` is given (see classifier/persistence.py)."""
        model = load_model(path, cls, revise_columns(), trust=trust)
        if "general_" not in model.__dict__:
            raise ModelError(f"{path or default_model_path()}: saved by an older boilerline, whose stages this version does not hold; retrain it with `boilerline train`")
        return model

    def save(self, path, metadata: dict | None = None) -> dict:
        """Save with joblib, the prediction arrays (``.npz``) and the JSON metadata beside it;
        returns the metadata."""
        return save_model(self, self.predictor().arrays(), path, metadata or {})


def content_targets(pages: Sequence[Page]) -> np.ndarray:
    """1 for a content line, 0 otherwise, over all lines of labeled ``pages``."""
    return np.array([label == CONTENT for page in pages for label in page.labels], dtype=np.int8)


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
        out[test_index] = model.decision_function(x[test_index]) if decision else TreeWalk.of_estimator(model).predict_proba(x[test_index])
    return out
