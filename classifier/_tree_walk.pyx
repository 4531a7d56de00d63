# cython: language_level=3, boundscheck=False, wraparound=False
"""The tree stages' raw scores: every row walked down every fitted tree, in tree order, as
scikit-learn's histogram gradient boosting walks them (numeric splits; NaN follows the
node's missing-value side)."""

from libc.math cimport exp, isnan
from libc.stdint cimport int64_t, uint8_t


def add_tree_values(
    const float[:, ::1] rows,
    const double[::1] value,
    const int64_t[::1] feature,
    const double[::1] threshold,
    const uint8_t[::1] missing_go_to_left,
    const int64_t[::1] left,
    const int64_t[::1] right,
    const uint8_t[::1] is_leaf,
    const int64_t[::1] tree_roots,
    double[::1] raw,
):
    """Add to ``raw[i]`` the leaf value of row ``i`` in each tree, tree after tree (the order
    scikit-learn adds them in, so the sums are the same floats). The nodes of all trees are
    concatenated; ``left``/``right`` are indices into the concatenation, ``tree_roots`` the
    trees' root nodes. The caller checks that every child and feature index is in range
    (``classifier/tree_walk.py``)."""
    cdef Py_ssize_t i, t, node
    cdef double x
    with nogil:
        for i in range(rows.shape[0]):
            for t in range(tree_roots.shape[0]):
                node = tree_roots[t]
                while not is_leaf[node]:
                    x = rows[i, feature[node]]
                    if isnan(x):
                        node = left[node] if missing_go_to_left[node] else right[node]
                    elif x <= threshold[node]:
                        node = left[node]
                    else:
                        node = right[node]
                raw[i] += value[node]


def logistic(double[::1] raw):
    """``raw`` -> 1 / (1 + exp(-raw)) in place: scipy's ``expit``, which scikit-learn applies
    to the summed scores, in the same C expression."""
    cdef Py_ssize_t i
    with nogil:
        for i in range(raw.shape[0]):
            raw[i] = 1.0 / (1.0 + exp(-raw[i]))
