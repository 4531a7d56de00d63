# cython: language_level=3, boundscheck=False, wraparound=False
"""The tree stages' raw scores: every row walked down every fitted tree, in tree order, as
scikit-learn's histogram gradient boosting walks them (numeric splits; NaN follows the
node's missing-value side)."""

from libc.math cimport exp, isnan
from libc.stdint cimport int64_t, uint8_t


# Rows walked together, tree after tree: the nodes of one tree stay in cache while they are
# walked by every row of the block, and a block of a matrix in column order (Fortran) is a few
# short runs of each column a tree reads. On the shipped model's stages over bench/scale.py's
# text corpus (131,615 rows), 1.3-1.7 times as fast as walking every tree for one row, then
# the next; blocks of 16,384 rows were slower in row order.
cdef Py_ssize_t BLOCK_ROWS = 4096


def add_tree_values(
    const float[:, :] rows,
    const int64_t[::1] row_index,
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
    """Add to ``raw[k]`` the leaf value of row ``row_index[k]`` of ``rows`` in each tree, tree
    after tree (the order scikit-learn adds them in, so the sums are the same floats), in
    blocks of BLOCK_ROWS rows. ``rows`` may be in row or column order. The nodes of all trees
    are concatenated; ``left``/``right`` are indices into the concatenation, ``tree_roots`` the
    trees' root nodes. The caller checks that every child and feature index is in range
    (``classifier/tree_walk.py``); the row indices are checked here."""
    cdef Py_ssize_t k, i, t, node, start, end, n = row_index.shape[0]
    cdef double x
    if raw.shape[0] != n:
        raise ValueError(f"{raw.shape[0]} scores for {n} rows")
    for k in range(n):
        if row_index[k] < 0 or row_index[k] >= rows.shape[0]:
            raise ValueError("row index out of range")
    with nogil:
        start = 0
        while start < n:
            end = min(start + BLOCK_ROWS, n)
            for t in range(tree_roots.shape[0]):
                for k in range(start, end):
                    i = row_index[k]
                    node = tree_roots[t]
                    while not is_leaf[node]:
                        x = rows[i, feature[node]]
                        if isnan(x):
                            node = left[node] if missing_go_to_left[node] else right[node]
                        elif x <= threshold[node]:
                            node = left[node]
                        else:
                            node = right[node]
                    raw[k] += value[node]
            start = end


def logistic(double[::1] raw):
    """``raw`` -> 1 / (1 + exp(-raw)) in place: scipy's ``expit``, which scikit-learn applies
    to the summed scores, in the same C expression."""
    cdef Py_ssize_t i
    with nogil:
        for i in range(raw.shape[0]):
            raw[i] = 1.0 / (1.0 + exp(-raw[i]))
