"""The tree stages' predictions, walked in compiled code (``_tree_walk.pyx``) over the nodes of
the fitted scikit-learn trees: the same probabilities, bit for bit, without scikit-learn, without
converting the feature matrix to float64 or starting OpenMP threads for every batch. The walk
reads each node as one 16-byte record (``packed``), made when the model is loaded.

Training fits scikit-learn's ``HistGradientBoostingClassifier``; its out-of-fold outputs and
all prediction walk here. The nodes are plain arrays, saved in the model's arrays file
(``classifier/predictor.py``).
"""

from __future__ import annotations

import numpy as np

from classifier._tree_walk import add_tree_values, logistic

# The node arrays and their types, as they are saved.
NODE_ARRAYS = {
    "value": np.float64, "feature": np.int64, "threshold": np.float64, "missing_go_to_left": np.uint8,
    "is_leaf": np.uint8, "left": np.int64, "right": np.int64, "roots": np.int64,
}


# A node as the walk reads it (``Node`` in ``_tree_walk.pyx``, field for field).
PACKED_NODE = np.dtype([("threshold", "<f4"), ("right", "<i4"), ("feature", "<i4"), ("missing_go_to_left", "<i4")])


def float32_at_most(values: np.ndarray) -> np.ndarray:
    """Each float64 rounded down to a float32: the largest float32 at most the value. For a
    float32 ``x`` (NaN aside), ``x <= value`` exactly when ``x <= float32_at_most(value)``, so
    the walk compares float32 with float32 and goes where scikit-learn's float64 comparison goes."""
    with np.errstate(over="ignore"):  # beyond float32's range: infinity, then the largest float32
        nearest = values.astype(np.float32)
    above = nearest.astype(np.float64) > values
    nearest[above] = np.nextafter(nearest[above], np.float32(-np.inf))
    return nearest


def packed(walk: TreeWalk) -> np.ndarray:
    """The walk's nodes as PACKED_NODE records (a leaf's feature -1)."""
    nodes = np.zeros(len(walk.value), dtype=PACKED_NODE)
    nodes["threshold"] = float32_at_most(walk.threshold)
    nodes["right"] = walk.right
    nodes["feature"] = np.where(walk.is_leaf == 1, -1, walk.feature)
    nodes["missing_go_to_left"] = walk.missing_go_to_left
    return nodes


class TreeWalk:
    """P(class 1) of a binary gradient-boosted tree model on numeric features: ``roots`` are the
    trees' first nodes in the concatenated node arrays, ``baseline`` the score before any tree."""

    def __init__(self, nodes: dict[str, np.ndarray], n_features: int, baseline: float) -> None:
        for name, dtype in NODE_ARRAYS.items():
            setattr(self, name, np.ascontiguousarray(nodes[name], dtype=dtype))
        self.n_features = int(n_features)
        self.baseline = float(baseline)
        self._check_indices()
        self._packed = packed(self)

    @classmethod
    def of_estimator(cls, estimator) -> TreeWalk:
        """The walk of a fitted binary ``HistGradientBoostingClassifier``."""
        trees = [predictors[0].nodes for predictors in estimator._predictors]
        if any(tree["is_categorical"].any() for tree in trees):
            raise ValueError("categorical splits are not walked here")
        nodes = np.concatenate(trees)
        lengths = [len(tree) for tree in trees]
        roots = np.cumsum([0, *lengths[:-1]])
        offsets = np.repeat(roots, lengths)
        return cls(
            {
                "value": nodes["value"], "feature": nodes["feature_idx"], "threshold": nodes["num_threshold"],
                "missing_go_to_left": nodes["missing_go_to_left"], "is_leaf": nodes["is_leaf"],
                "left": nodes["left"].astype(np.int64) + offsets, "right": nodes["right"].astype(np.int64) + offsets,
                "roots": roots,
            },
            estimator.n_features_in_,
            estimator._baseline_prediction.ravel()[0],
        )

    def nodes(self) -> dict[str, np.ndarray]:
        """The node arrays (``NODE_ARRAYS``), for saving."""
        return {name: getattr(self, name) for name in NODE_ARRAYS}

    def _check_indices(self) -> None:
        """The walk does not check bounds, so the indices are checked once, here, whatever
        file they came from: the trees lie one after another from their roots, a node's left
        child is the node after it and its right child comes later within the node's tree (so
        every walk ends at a leaf), every index fits the walk's 32 bits, and a feature is a
        column of the matrix."""
        n_nodes = len(self.value)
        if any(len(getattr(self, name)) != n_nodes for name in NODE_ARRAYS if name != "roots"):
            raise ValueError("the trees' node arrays differ in length")
        if n_nodes >= 2**31:
            raise ValueError(f"{n_nodes} nodes; the walk reads at most 2**31 - 1")
        roots = self.roots
        if len(roots) == 0 or roots[0] != 0 or (np.diff(roots) <= 0).any() or roots[-1] >= n_nodes:
            raise ValueError("the trees' root indices are out of range")
        lengths = np.diff(np.append(roots, n_nodes))
        inner = self.is_leaf == 0
        node_index = np.flatnonzero(inner)
        tree_end = np.repeat(roots + lengths, lengths)[inner]
        right = self.right[inner]
        children_ok = (self.left[inner] == node_index + 1).all() and ((right > node_index + 1) & (right < tree_end)).all()
        if not children_ok or not ((self.feature[inner] >= 0) & (self.feature[inner] < self.n_features)).all():
            raise ValueError("the trees' node or feature indices are out of range")

    def predict_proba(self, rows: np.ndarray, row_index: np.ndarray | None = None) -> np.ndarray:
        """P(class 1) for each row of a float32 matrix with the model's features (in row or
        column order; column order walks faster), or for the rows ``row_index`` lists."""
        rows = np.asarray(rows, dtype=np.float32)
        if rows.ndim != 2 or rows.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got an array of shape {rows.shape}")
        row_index = np.arange(len(rows), dtype=np.int64) if row_index is None else np.ascontiguousarray(row_index, dtype=np.int64)
        raw = np.full(len(row_index), self.baseline, dtype=np.float64)
        add_tree_values(rows, row_index, self._packed, self.value, self.roots, raw)
        logistic(raw)
        return raw
