"""The tree stages' predictions, walked in compiled code (``_tree_walk.pyx``) over the nodes of
the fitted scikit-learn trees: the same probabilities, bit for bit, without converting the
feature matrix to float64 or starting OpenMP threads for every batch.

Training fits scikit-learn's ``HistGradientBoostingClassifier``; its out-of-fold outputs and
all prediction walk here.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from classifier._tree_walk import add_tree_values


class TreeWalk:
    """P(class 1) of a fitted binary ``HistGradientBoostingClassifier`` on numeric features."""

    def __init__(self, estimator) -> None:
        trees = [predictors[0].nodes for predictors in estimator._predictors]
        if any(tree["is_categorical"].any() for tree in trees):
            raise ValueError("categorical splits are not walked here")
        nodes = np.concatenate(trees)
        lengths = [len(tree) for tree in trees]
        roots = np.cumsum([0, *lengths[:-1]]).astype(np.int64)
        offsets = np.repeat(roots, lengths)
        self.value = np.ascontiguousarray(nodes["value"], dtype=np.float64)
        self.feature = nodes["feature_idx"].astype(np.int64)
        self.threshold = np.ascontiguousarray(nodes["num_threshold"], dtype=np.float64)
        self.missing_go_to_left = np.ascontiguousarray(nodes["missing_go_to_left"], dtype=np.uint8)
        self.is_leaf = np.ascontiguousarray(nodes["is_leaf"], dtype=np.uint8)
        self.left = nodes["left"].astype(np.int64) + offsets
        self.right = nodes["right"].astype(np.int64) + offsets
        self.roots = roots
        self.n_features = int(estimator.n_features_in_)
        self.baseline = float(estimator._baseline_prediction.ravel()[0])
        # The walk does not check bounds, so the indices are checked once, here: a child comes
        # after its node and within the node's tree (so every walk ends at a leaf), and a
        # feature is a column of the matrix.
        inner = self.is_leaf == 0
        node_index = np.flatnonzero(inner)
        tree_end = np.repeat(roots + lengths, lengths)[inner]
        children_ok = all(((index[inner] > node_index) & (index[inner] < tree_end)).all() for index in (self.left, self.right))
        if not children_ok or not ((self.feature[inner] >= 0) & (self.feature[inner] < self.n_features)).all():
            raise ValueError("the trees' node or feature indices are out of range")

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """P(class 1) for each row of a float32 matrix with the estimator's features."""
        rows = np.ascontiguousarray(rows, dtype=np.float32)
        if rows.ndim != 2 or rows.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got an array of shape {rows.shape}")
        raw = np.full(len(rows), self.baseline, dtype=np.float64)
        add_tree_values(
            rows, self.value, self.feature, self.threshold, self.missing_go_to_left, self.left, self.right, self.is_leaf,
            self.roots, raw,
        )
        return expit(raw)
