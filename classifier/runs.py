"""Contiguous runs of rows: the pages of a batch's feature table, the blocks of a page.

The rows of a page are contiguous in a feature table, so per-page sums, maxima and running
sums are computed by position in numpy (``reduceat``, ``repeat``), without pandas' groupby.
On integer-valued counts they are the groupby's values exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Runs:
    """``starts`` are the first rows of the runs, ``n_rows`` the rows in all."""

    starts: np.ndarray
    n_rows: int

    @classmethod
    def of(cls, run_no: np.ndarray) -> Runs:
        """The runs of equal values in ``run_no`` (a table's ``page_no``)."""
        return cls(np.flatnonzero(np.diff(run_no, prepend=-1)), len(run_no))

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(np.append(self.starts, self.n_rows))

    @property
    def run_of_row(self) -> np.ndarray:
        """Each row's run, numbered from 0."""
        return self.per_row(np.arange(len(self.starts)))

    def per_row(self, values: np.ndarray) -> np.ndarray:
        """Each run's value on each of its rows."""
        return np.repeat(values, self.lengths)

    def sums(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, self.starts) if len(self.starts) else values[:0]

    def maxima(self, values: np.ndarray) -> np.ndarray:
        """Each run's largest value, NaN left out (NaN for a run of NaN only)."""
        return np.fmax.reduceat(values, self.starts) if len(self.starts) else values[:0]

    def shares_below(self, values: np.ndarray) -> np.ndarray:
        """Per row, the share of the other rows of its run whose value is lower (ties count
        as neither lower nor higher); NaN on rows of NaN and in runs of fewer than two values."""
        n = len(values)
        run = self.run_of_row
        valid = ~np.isnan(values)
        # By run, then by value, NaN last within the run.
        order = np.lexsort((np.where(valid, values, np.inf), run))
        sorted_values, sorted_runs = values[order], run[order]
        starts_tie = np.ones(n, dtype=bool)
        starts_tie[1:] = (sorted_runs[1:] != sorted_runs[:-1]) | (sorted_values[1:] != sorted_values[:-1])
        first_of_tie = np.maximum.accumulate(np.where(starts_tie, np.arange(n), 0))
        below = np.empty(n)
        below[order] = first_of_tie - self.starts[sorted_runs]
        n_valid = self.per_row(self.sums(valid.astype(np.int64)))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(valid & (n_valid > 1), below / (n_valid - 1), np.nan)

    def cumsum(self, values: np.ndarray) -> np.ndarray:
        """Running sums that start again at each run."""
        running = np.cumsum(values)
        return running - self.per_row(running[self.starts] - values[self.starts])

    def lasts(self) -> np.ndarray:
        return self.starts + self.lengths - 1
