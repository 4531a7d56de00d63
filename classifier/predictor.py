"""Predicting with a trained model from its arrays alone: no scikit-learn, no pickle.

A model is trained as scikit-learn estimators (``classifier/model.py``); what prediction needs
of them is a few arrays: the two linear models' weights and the tree stages' nodes. They are
saved beside the estimators in an ``.npz`` file (``classifier/persistence.py``), which loads in
milliseconds, imports nothing heavy and, holding no pickle, runs no code when read. The
stages, in the order they run on a feature table:

1. lexical: hashed character n-grams of each line -> ``lex_score``; for lines with HTML
   structure, hashed class and id words of their elements -> ``name_score``;
2. first pass: trees on the features, the lexical scores and the neighbours' -> ``p_first``;
3. revise: trees that also see the neighbours' ``p_first`` -> ``p_content``.

A model holds one or two such sets of stages (``Stages``): ``general``, for every page, and
``html``, for the pages read from HTML (with link counts and structure), where the model has
one; pages without link counts always go to ``general``.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from classifier.features import Columns, add_neighbour_columns, add_window_means, feature_names, featurize, offset_tag
from classifier.ngram_hashing import HashedWords, lexical_inputs, name_inputs
from classifier.page import CHROME, CONTENT, Page
from classifier.persistence import ModelError, load_arrays
from classifier.runs import Runs
from classifier.site_counts import SiteCounts
from classifier.structure_features import NAMES_COLUMN
from classifier.tree_walk import NODE_ARRAYS, TreeWalk

LEXICAL_OFFSETS = (-2, -1, 1, 2)
NAME_OFFSETS = (-1, 1)
FIRST_PASS_OFFSETS = (-3, -2, -1, 1, 2, 3)
DEFAULT_THRESHOLD = 0.5
# Format of the arrays file; a reader refuses one it does not know. Layout 2 adds the HTML
# stages (under HTML_PREFIX); layout 1 files hold the general stages only.
ARRAYS_LAYOUT = 2
READABLE_LAYOUTS = (1, 2)
HTML_PREFIX = "html_"


def first_pass_columns() -> list[str]:
    lexical = ["lex_score", *(f"lex_score_{offset_tag(k)}" for k in LEXICAL_OFFSETS), "window_lex_score_mean"]
    names = ["name_score", *(f"name_score_{offset_tag(k)}" for k in NAME_OFFSETS)]
    return [*feature_names(), *lexical, *names]


def first_pass_output_columns() -> list[str]:
    """The first pass's output and its context: what the revise stage reads beyond the first pass's inputs."""
    context = [f"p_first_{offset_tag(k)}" for k in FIRST_PASS_OFFSETS]
    return [
        "p_first", *context, "window_p_first_mean", "window_p_first_mean_wide", "page_p_first_mean", "block_p_first_mean",
        "page_p_first_max", "p_first_page_rank",
    ]


def revise_columns() -> list[str]:
    return [*first_pass_columns(), *first_pass_output_columns()]


@dataclass(frozen=True)
class LinearStage:
    """A linear model's decision on hashed inputs: ``x @ coef + intercept``."""

    coef: np.ndarray
    intercept: float

    def decision(self, hashed: HashedWords) -> np.ndarray:
        return hashed.decisions(self.coef, self.intercept)


class PredictsPages:
    """Labels and probabilities per page and per line, for a class that adds ``p_content`` to a
    feature table (``predict_table``) and has a ``threshold``."""

    threshold: float

    def predict_table(self, table: pd.DataFrame) -> pd.DataFrame:
        raise NotImplementedError

    def score_table(self, pages: Sequence[Page], site_counts: SiteCounts | None = None) -> pd.DataFrame:
        """The feature table of ``pages`` with ``p_first`` and ``p_content`` (NaN on blank lines);
        ``site_counts``: site repetition of the whole input (else counted within ``pages``)."""
        return self.predict_table(featurize(pages, site_counts))

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
        return [_labeled(probabilities, cut) for probabilities in self.predict_proba_pages(pages, site_counts)]

    def predict(self, lines: Sequence[str], link_chars: Sequence[int] | None = None, threshold: float | None = None):
        """(label, p_content) for each line of one page."""
        page = Page("page", list(lines), list(link_chars) if link_chars is not None else None)
        return self.predict_pages([page], threshold)[0]


class Stages:
    """One set of stages (lexical, first pass, revise) as arrays: ``p_content`` for a feature table."""

    def __init__(
        self, lexical: LinearStage, lexical_ngrams: tuple[int, int], names: LinearStage | None,
        first_pass: TreeWalk, revise: TreeWalk,
    ) -> None:
        if first_pass.n_features != len(first_pass_columns()) or revise.n_features != len(revise_columns()):
            raise ValueError("the tree stages' feature counts do not match this version's columns")
        self.lexical = lexical
        self.lexical_ngrams = lexical_ngrams
        self.names = names
        self.first_pass = first_pass
        self.revise = revise

    def arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        """The stages as named arrays, each name starting with ``prefix`` (``from_arrays`` reads them back)."""
        arrays = {
            "lexical_coef": self.lexical.coef, "lexical_intercept": np.array(self.lexical.intercept),
            "lexical_ngrams": np.array(self.lexical_ngrams),
        }
        if self.names is not None:
            arrays |= {"names_coef": self.names.coef, "names_intercept": np.array(self.names.intercept)}
        for stage, walk in (("first_pass", self.first_pass), ("revise", self.revise)):
            arrays |= {f"{stage}_{name}": values for name, values in walk.nodes().items()}
            arrays |= {f"{stage}_baseline": np.array(walk.baseline)}
        return {prefix + name: values for name, values in arrays.items()}

    @classmethod
    def from_arrays(cls, arrays, prefix: str = "") -> Stages:
        ngrams = tuple(int(n) for n in arrays[f"{prefix}lexical_ngrams"])
        if len(ngrams) != 2 or not 1 <= ngrams[0] <= min(3, ngrams[1]):
            raise ValueError(f"n-gram lengths {ngrams} are not supported")
        lexical = _linear_stage(arrays, f"{prefix}lexical")
        names = _linear_stage(arrays, f"{prefix}names") if f"{prefix}names_coef" in arrays else None
        walks = [
            TreeWalk(
                {name: arrays[f"{prefix}{stage}_{name}"] for name in NODE_ARRAYS}, n_features,
                float(arrays[f"{prefix}{stage}_baseline"]),
            )
            for stage, n_features in (("first_pass", len(first_pass_columns())), ("revise", len(revise_columns())))
        ]
        return cls(lexical, ngrams, names, *walks)

    def predict_table(self, table: pd.DataFrame) -> pd.DataFrame:
        """The feature table with ``lex_score``, ``name_score``, ``p_first`` and ``p_content``
        (and the neighbour columns the stages read) added: a new table, made in one step."""
        rows = table["is_blank"].to_numpy() == 0
        outputs = {column: np.full(len(table), np.nan) for column in ("lex_score", "p_first", "p_content")}
        if not rows.any():
            return _with_columns(table, outputs)
        columns = ChainMap(outputs, table)  # the stages' columns are written to ``outputs``
        outputs["lex_score"][rows] = self.lexical_scores(table["text_key"].to_numpy()[rows])
        add_lexical_context(columns)
        outputs["name_score"] = np.full(len(table), np.nan)
        named = rows & (table["has_structure"].to_numpy() == 1)
        if named.any() and self.names is not None:
            outputs["name_score"][named] = self.name_scores(table[NAMES_COLUMN].to_numpy()[named])
        add_name_context(columns)
        # The revise stage's columns are the first pass's, then the first pass's outputs': one
        # matrix in column order, the first pass reading its first columns.
        first, pooled = first_pass_columns(), first_pass_output_columns()
        matrix = np.empty((len(table), len(first) + len(pooled)), dtype=np.float32, order="F")
        row_index = np.flatnonzero(rows)
        fill_feature_columns(matrix[:, : len(first)], columns, first)
        outputs["p_first"][rows] = self.first_pass.predict_proba(matrix[:, : len(first)], row_index)
        add_first_pass_context(columns)
        fill_feature_columns(matrix[:, len(first) :], columns, pooled)
        outputs["p_content"][rows] = self.revise.predict_proba(matrix, row_index)
        return _with_columns(table, outputs)

    def lexical_scores(self, keys: np.ndarray) -> np.ndarray:
        """The lexical model's decision per line key; each distinct key is scored once."""
        key_ids, distinct = lexical_inputs(keys, self.lexical_ngrams, len(self.lexical.coef))
        return self.lexical.decision(distinct)[key_ids]

    def name_scores(self, names: np.ndarray) -> np.ndarray:
        """The names model's decision per line; each distinct class/id text is scored once."""
        name_ids, distinct = name_inputs(names, len(self.names.coef))
        return self.names.decision(distinct)[name_ids]


class Predictor(PredictsPages):
    """A trained model's prediction from its arrays (see the module docstring).

    Example:
        >>> predictor = Predictor.load()            # the shipped model
        >>> predictor.predict(["Home", "News", "A long sentence of article text, as it goes on."])
    """

    def __init__(self, general: Stages, html: Stages | None = None, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.general = general
        self.html = html
        self.threshold = threshold

    @classmethod
    def load(cls, path: str | Path | None = None) -> Predictor:
        """The model saved at ``path`` (default: the shipped one), from its arrays file; a
        one-line ModelError names the file and the problem."""
        path, arrays = load_arrays(path, revise_columns())
        try:
            return cls.from_arrays(arrays)
        except (KeyError, ValueError, TypeError) as error:
            raise ModelError(f"{path}: its arrays file does not hold a model of this version ({error}); retrain it with `boilerline train`") from None

    # ----- arrays ---------------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        """Everything prediction needs, as named arrays (``from_arrays`` reads them back): the
        general stages' under their own names, the HTML stages' under ``html_``."""
        arrays = {"layout": np.array(ARRAYS_LAYOUT), "threshold": np.array(self.threshold), **self.general.arrays()}
        if self.html is not None:
            arrays |= self.html.arrays(HTML_PREFIX)
        return arrays

    @classmethod
    def from_arrays(cls, arrays) -> Predictor:
        layout = int(arrays["layout"])
        if layout not in READABLE_LAYOUTS:
            raise ValueError(f"layout {layout}, this version reads {', '.join(map(str, READABLE_LAYOUTS))}")
        html = Stages.from_arrays(arrays, HTML_PREFIX) if f"{HTML_PREFIX}lexical_coef" in arrays else None
        return cls(Stages.from_arrays(arrays), html, threshold=float(arrays["threshold"]))

    # ----- predicting -------------------------------------------------------------------------
    def predict_table(self, table: pd.DataFrame) -> pd.DataFrame:
        """The feature table with ``lex_score``, ``name_score``, ``p_first`` and ``p_content``
        added (each page by the stages of its view), as a new table."""
        if self.html is None:
            return self.general.predict_table(table)
        from_html = table["has_link_info"].to_numpy() == 1
        if from_html.all():
            return self.html.predict_table(table)
        if not from_html.any():
            return self.general.predict_table(table)
        # A page's rows are all of one view, so each part keeps its pages whole.
        parts = [self.general.predict_table(table[~from_html].copy()), self.html.predict_table(table[from_html].copy())]
        return pd.concat(parts).loc[table.index]


def _linear_stage(arrays, name: str) -> LinearStage:
    coef = np.ascontiguousarray(arrays[f"{name}_coef"], dtype=np.float64)
    if coef.ndim != 1 or not len(coef):
        raise ValueError(f"{name} weights of shape {coef.shape}")
    return LinearStage(coef, float(arrays[f"{name}_intercept"]))


def _with_columns(table: pd.DataFrame, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    return pd.concat([table, pd.DataFrame(columns, index=table.index)], axis=1)


def feature_matrix(columns: Columns, names: list[str], rows: np.ndarray | None = None) -> np.ndarray:
    """The float32 matrix of the columns ``names`` (of the ``rows`` a boolean mask keeps, else
    all). Missing values (no link information, no neighbour) become -1, below every real value
    (all features are >= 0 except lexical scores, whose missing neighbours sit at page edges);
    scikit-learn's tree binning fails on a column that is NaN throughout, as in text-only data.

    Filled column by column from each column's own array, all rows, then the rows taken at
    once, which also lays the matrix out by rows: selecting the columns as a frame and
    converting it (``table[columns].to_numpy()``) copied the table's blocks twice, and taking
    the rows of each column apart took three times as long as this."""
    matrix = np.empty((len(columns["is_blank"]), len(names)), dtype=np.float32, order="F")
    fill_feature_columns(matrix, columns, names)
    return np.ascontiguousarray(matrix) if rows is None else matrix.take(np.flatnonzero(rows), axis=0)


def fill_feature_columns(block: np.ndarray, columns: Columns, names: list[str]) -> None:
    """Write the columns ``names`` into ``block`` (float32, one column each, all rows; a
    slice of a matrix in column order, which the compiled tree walk reads fastest), missing
    values as -1 (``feature_matrix`` says why)."""
    for column_values, name in zip(block.T, names):
        column_values[:] = np.asarray(columns[name])
    np.copyto(block, -1.0, where=np.isnan(block))
    if np.isinf(block).any():  # rare: what ``np.nan_to_num`` makes of them, in fewer passes
        np.nan_to_num(block, copy=False)


def labels_of(probabilities, threshold: float) -> list[str | None]:
    """content / chrome per p(content) at ``threshold``; None where it is NaN (blank lines)."""
    return [label for label, _ in _labeled(probabilities, threshold)]


def _labeled(probabilities, threshold: float) -> list[tuple[str | None, float | None]]:
    """(label, p) per p(content); (None, None) where it is NaN. Python floats compared in a
    list comprehension: ``np.isnan`` on each numpy scalar took 18 times as long."""
    return [
        (None, None) if p != p else ((CONTENT if p >= threshold else CHROME), p)
        for p in np.asarray(probabilities, dtype=np.float64).tolist()
    ]


def add_lexical_context(columns: Columns) -> None:
    add_neighbour_columns(columns, ["lex_score"], LEXICAL_OFFSETS)
    add_window_means(columns, ["lex_score"], half_width=3)


def add_name_context(columns: Columns) -> None:
    add_neighbour_columns(columns, ["name_score"], NAME_OFFSETS)


def add_first_pass_context(columns: Columns) -> None:
    add_neighbour_columns(columns, ["p_first"], FIRST_PASS_OFFSETS)
    add_window_means(columns, ["p_first"], half_width=3)
    add_window_means(columns, ["p_first"], half_width=10, suffix="_wide")
    is_blank = np.asarray(columns["is_blank"])
    pages = Runs.of(np.asarray(columns["page_no"]))
    p_first = np.where(is_blank == 0, np.asarray(columns["p_first"], dtype=float), np.nan)
    # Means as pandas' groupby takes them (compensated sums), which the model was trained with.
    page_of_row = pages.run_of_row
    columns["page_p_first_mean"] = pd.Series(p_first).groupby(page_of_row).transform("mean").to_numpy()
    blanks_before = pages.cumsum(is_blank.astype(np.int64))
    block = page_of_row * (int(blanks_before.max(initial=0)) + 1) + blanks_before
    columns["block_p_first_mean"] = pd.Series(p_first).groupby(block).transform("mean").to_numpy()
    _add_page_ranks(columns, pages, p_first)


def _add_page_ranks(columns: Columns, pages: Runs, p_first: np.ndarray) -> None:
    """How a line's first-pass probability stands on its page: the page's largest
    (``page_p_first_max``) and the share of the page's other non-blank lines below it
    (``p_first_page_rank``; NaN on blank lines and on pages of one line). An article whose
    every line the first pass doubts still has its best lines, where a menu page has none
    much better than the rest."""
    scored = ~np.isnan(p_first)
    columns["page_p_first_max"] = np.where(scored, pages.per_row(pages.maxima(p_first)), np.nan)
    columns["p_first_page_rank"] = pages.shares_below(p_first)
