# cython: language_level=3, boundscheck=False, wraparound=False
"""The densest run of each page: the contiguous lines whose scores add up to the most."""

from libc.stdint cimport int64_t


def densest_runs(const double[::1] scores, const int64_t[::1] page_starts, int64_t[::1] run_start, int64_t[::1] run_end):
    """For each page (rows ``page_starts[p]`` to ``page_starts[p + 1]``; the last entry is
    the number of rows), the first and last row of its highest-scoring run of rows (Kadane's
    maximum subarray), written to ``run_start`` and ``run_end``; -1 for a page whose best
    run is empty (no row scores above zero)."""
    cdef Py_ssize_t page, row, start, end
    cdef double best, current
    cdef Py_ssize_t best_start, best_end, current_start
    for page in range(page_starts.shape[0] - 1):
        start, end = page_starts[page], page_starts[page + 1]
        best, current = 0.0, 0.0
        best_start, best_end, current_start = -1, -1, start
        for row in range(start, end):
            if current <= 0.0:
                current, current_start = 0.0, row
            current += scores[row]
            if current > best:
                best, best_start, best_end = current, current_start, row
        run_start[page] = best_start
        run_end[page] = best_end
