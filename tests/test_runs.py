"""Per-run arithmetic by position (``classifier.runs``) against its pandas groupby definition."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.runs import Runs


def shares_below_by_groupby(run_no: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The share of the other valued rows of a run whose value is lower, from pandas' rank."""
    frame = pd.DataFrame({"run": run_no, "value": values})
    lower = frame.groupby("run")["value"].rank(method="min", na_option="keep") - 1
    n_valid = frame.groupby("run")["value"].transform("count")
    return np.where(n_valid > 1, lower / (n_valid - 1), np.nan)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from([np.nan, 0.0, 0.1, 0.5, 0.5, 0.9, 3.2]), min_size=1, max_size=9), max_size=6))
def test_shares_below_are_the_groupby_ranks(runs):
    run_no = np.repeat(np.arange(len(runs)), [len(run) for run in runs])
    values = np.array([value for run in runs for value in run], dtype=float)
    np.testing.assert_array_equal(Runs.of(run_no).shares_below(values), shares_below_by_groupby(run_no, values))


def test_shares_below_rank_within_each_run_only():
    shares = Runs.of(np.array([0, 0, 0, 1, 1, 2])).shares_below(np.array([0.2, 0.9, np.nan, 0.1, 0.1, 5.0]))
    np.testing.assert_array_equal(shares, [0.0, 1.0, np.nan, 0.0, 0.0, np.nan])
