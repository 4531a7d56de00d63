"""Gradient-boosted trees' probabilities, the trees walked over binned features."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads


def tree_probabilities(trees: HistGradientBoostingClassifier, x: np.ndarray) -> np.ndarray:
    """``trees.predict_proba(x)[:, 1]``, the trees walked over the bins of ``x`` rather than
    its values, as scikit-learn does on its training data: a split at bin b has the upper edge
    of bin b as threshold, so ``value <= threshold`` exactly when ``bin <= b`` (and no value is
    missing: model.py's ``_matrix`` fills them). A byte per bin instead of eight per value
    makes the walk much faster. This uses scikit-learn internals; a model file holds its version.
    """
    binned = trees._bin_mapper.transform(trees._preprocess_X(x, reset=False))
    raw = np.zeros((len(binned), trees.n_trees_per_iteration_), dtype=trees._baseline_prediction.dtype, order="F")
    raw += trees._baseline_prediction
    trees._predict_iterations(binned, trees._predictors, raw, is_binned=True, n_threads=_openmp_effective_n_threads())
    return trees._loss.predict_proba(raw)[:, 1]
