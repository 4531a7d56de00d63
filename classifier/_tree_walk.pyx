# cython: language_level=3, boundscheck=False, wraparound=False
"""The tree stages' raw scores: every row walked down every fitted tree, in tree order, as
scikit-learn's histogram gradient boosting walks them (numeric splits; NaN follows the
node's missing-value side)."""

from libc.math cimport exp, isnan
from libc.stdint cimport int32_t, int64_t


# A node as the walk reads it: 16 bytes, four to a cache line (``classifier.tree_walk.packed``).
# ``threshold`` is the fitted float64 threshold rounded down to a float32, so that a float32
# feature is at most the one exactly when it is at most the other; a leaf has ``feature`` -1; a
# node's left child is the node after it (scikit-learn lays trees out so), its right child
# ``right``. The leaves' values stay float64, in their own array.
cdef packed struct Node:
    float threshold
    int32_t right
    int32_t feature
    int32_t missing_go_to_left


# Rows walked together, tree after tree: the nodes of one tree stay in cache while they are
# walked by every row of the block, and a block of a matrix in column order (Fortran) is a few
# short runs of each column a tree reads. On the shipped model's stages over bench/scale.py's
# text corpus (131,615 rows), 1.3-1.7 times as fast as walking every tree for one row, then
# the next; blocks of 16,384 rows were slower in row order.
cdef Py_ssize_t BLOCK_ROWS = 4096


def add_tree_values(
    const float[:, :] rows,
    const int64_t[::1] row_index,
    const Node[::1] nodes,
    const double[::1] value,
    const int64_t[::1] tree_roots,
    double[::1] raw,
):
    """Add to ``raw[k]`` the leaf value of row ``row_index[k]`` of ``rows`` in each tree, tree
    after tree (the order scikit-learn adds them in, so the sums are the same floats), in
    blocks of BLOCK_ROWS rows. ``rows`` may be in row or column order. The nodes of all trees
    are concatenated; ``right`` is an index into the concatenation, ``tree_roots`` the trees'
    root nodes, ``value`` each node's value. The caller checks that every child and feature
    index is in range (``classifier/tree_walk.py``); the row indices are checked here."""
    cdef Py_ssize_t k, i, t, node, start, end, n = row_index.shape[0]
    cdef float x
    cdef const Node* at
    if raw.shape[0] != n:
        raise ValueError(f"{raw.shape[0]} scores for {n} rows")
    if value.shape[0] != nodes.shape[0]:
        raise ValueError(f"{value.shape[0]} values for {nodes.shape[0]} nodes")
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
                    at = &nodes[node]
                    while at.feature >= 0:
                        x = rows[i, at.feature]
                        if x <= at.threshold or (isnan(x) and at.missing_go_to_left):
                            node += 1
                        else:
                            node = at.right
                        at = &nodes[node]
                    raw[k] += value[node]
            start = end


def logistic(double[::1] raw):
    """``raw`` -> 1 / (1 + exp(-raw)) in place: scipy's ``expit``, which scikit-learn applies
    to the summed scores, in the same C expression."""
    cdef Py_ssize_t i
    with nogil:
        for i in range(raw.shape[0]):
            raw[i] = 1.0 / (1.0 + exp(-raw[i]))
