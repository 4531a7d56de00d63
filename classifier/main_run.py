"""Where the main text of a page is, from its lines alone: the densest run of prose.

Extractors such as trafilatura and Readability find the main region of a page first and
judge lines by it; a line classifier sees one line and a few neighbours. This gives every
line that page-level view: each prose line (a sentence-long line, few links) scores its
characters, a bulleted one nothing, every other non-blank line costs ``GAP_COST_CHARS``, and the contiguous run of
lines with the highest total is the page's main run (computed in C, Kadane's algorithm). A
heading or a short list between paragraphs stays inside it; a menu of twenty items, or a
footer, does not join it to a teaser below.
"""

from __future__ import annotations

import numpy as np

from classifier._densest_run import densest_runs
from classifier.runs import Runs

# A prose line: at least this many word-equivalents, and either ending a sentence or this
# long (a paragraph without its full stop), with under LINK_SHARE_LIMIT of it linked.
PROSE_MIN_WORDS = 5
PROSE_UNPUNCTUATED_MIN_WORDS = 12
PROSE_MAX_LINK_SHARE = 0.5
# What a non-prose line costs the run, in characters of prose: a paragraph (typically 200+
# characters) carries a heading or two across; a menu of a dozen items cuts the run.
GAP_COST_CHARS = 40.0

MAIN_RUN_COLUMNS = ("in_main_run", "lines_to_main_run", "before_main_run", "main_run_char_share", "main_run_found")


def prose_lines(columns) -> np.ndarray:
    """Which lines are prose: PROSE_MIN_WORDS word-equivalents or more, under
    PROSE_MAX_LINK_SHARE linked, and ending a sentence or PROSE_UNPUNCTUATED_MIN_WORDS long."""
    nonblank = np.asarray(columns["is_blank"]) == 0
    link_share = np.nan_to_num(np.asarray(columns["link_char_share"], dtype=float), nan=0.0)
    n_words = np.asarray(columns["n_words"])
    return (
        nonblank & (n_words >= PROSE_MIN_WORDS) & (link_share < PROSE_MAX_LINK_SHARE)
        & ((np.asarray(columns["ends_with_terminal_punct"]) == 1) | (n_words >= PROSE_UNPUNCTUATED_MIN_WORDS))
    )


def add_main_run_features(columns) -> None:
    """Add ``MAIN_RUN_COLUMNS`` to the feature columns (a dict of arrays, or a table): whether
    the line is in its page's main run, how many non-blank lines away it is (log; 0 inside),
    whether it comes before it, the run's share of the page's characters, and whether the
    page has a run at all."""
    nonblank = np.asarray(columns["is_blank"]) == 0
    n_chars = np.asarray(columns["n_chars"], dtype=float)
    prose = prose_lines(columns)
    # A bulleted sentence is a teaser in a list of links as often as a point of the article:
    # it neither builds the run nor cuts it.
    bulleted = np.asarray(columns["starts_with_bullet"]) == 1
    scores = np.where(prose & ~bulleted, n_chars, np.where(nonblank & ~(prose & bulleted), -GAP_COST_CHARS, 0.0))
    pages = Runs.of(np.asarray(columns["page_no"]))
    n_pages, n_rows = len(pages.starts), len(nonblank)
    run_start = np.full(n_pages, -1, dtype=np.int64)
    run_end = np.full(n_pages, -1, dtype=np.int64)
    densest_runs(np.ascontiguousarray(scores), np.append(pages.starts, n_rows).astype(np.int64), run_start, run_end)

    start, end = pages.per_row(run_start), pages.per_row(run_end)
    found = start >= 0
    rows = np.arange(n_rows)
    # Distances count non-blank lines: a blank line between paragraphs is not a step away.
    nonblank_rank = np.cumsum(nonblank)
    start_rank, end_rank = nonblank_rank[np.maximum(start, 0)], nonblank_rank[np.maximum(end, 0)]
    before = found & (rows < start)
    after = found & (rows > end)
    distance = np.where(before, start_rank - nonblank_rank, np.where(after, nonblank_rank - end_rank, 0))
    in_run = found & ~before & ~after
    run_chars = pages.per_row(pages.sums(np.where(in_run & nonblank, n_chars, 0.0)))
    page_chars = pages.per_row(pages.sums(np.where(nonblank, n_chars, 0.0)))
    columns["in_main_run"] = in_run.astype(np.int8)
    columns["lines_to_main_run"] = np.where(found, np.log1p(distance), np.nan)
    columns["before_main_run"] = np.where(found, before, np.nan)
    columns["main_run_char_share"] = run_chars / np.clip(page_chars, 1, None)
    columns["main_run_found"] = found.astype(np.int8)
