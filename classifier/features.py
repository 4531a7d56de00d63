"""Page -> feature table: one row per line, named numeric columns.

The features are computed for a batch of pages at once, on one table (text features once per
distinct line), because per-site repetition looks across the pages of a batch. Blank lines keep
a row (their ``is_blank`` is 1) so that positions line up with the page; the model skips them.
Neighbour ("context") columns look at the nearest non-blank lines.

Lengths, words, scripts and punctuation are measured on the visible characters: bidi controls
and zero-width marks are left out (the ``text`` column keeps the line as written). Words are
word-equivalents (``classifier.text.word_equivalents``), so that Chinese, Japanese and Thai
lines, written without spaces, have as many words as a spaced line of the same content.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from classifier.language import detect_languages, stopwords, unspaced_stoplist
from classifier.comment_section import COMMENT_SECTION_COLUMNS, add_comment_section_features, comments_headings
from classifier.main_run import MAIN_RUN_COLUMNS, add_main_run_features, prose_lines
from classifier.page import Page, is_blank
from classifier.runs import Runs
from classifier.site_counts import SiteCounts, fingerprints
from classifier.structure_features import STRUCTURE_COLUMNS, STRUCTURE_CONTEXT_COLUMNS, add_structure_features
from classifier.text import (
    CHAR_CLASS_PATTERNS,
    SCRIPTS,
    LineTexts,
    measure_lines,
    without_surrogates,
    word_equivalents,
)

# Lines at least this long get their own language guess (langdetect is unreliable below ~10
# words and too slow to run on every line).
LONG_LINE_CHARS = 100
# At most this many long lines per page get a language guess (the longest ones), each from
# its first LINE_LANG_SAMPLE_CHARS characters: langdetect's cost grows with the text and it
# dominated featurization time (profiled on dragnet pages) before these bounds.
MAX_LINE_LANG_GUESSES = 4
LINE_LANG_SAMPLE_CHARS = 300
# Text used for the page-level guess: the longest lines, up to this many characters.
PAGE_LANG_SAMPLE_CHARS = 600

# The list, menu and sentence shapes of a line, measured by ``measure_lines`` (the compiled
# ``classifier/_line_text.pyx``, where each one's docstring gives the regex it was defined
# with): leading list markers and spaces, separators of menu items and breadcrumb parts, web
# and email addresses, terminal punctuation (closing quotes and brackets after it), a colon at
# the end, a short label before a colon ("Source: Agencies", "المصدر: ..."; runs of such lines
# are tickers, bylines and metadata lists), a copyright sign, the share of the line that is
# dates, times, times ago, reading times and counts ("March 5, 2024", "10:30", "3 hours ago",
# "hace 2 horas", "5 min read", "قراءة 3 دقائق", "١٤ مشاهدة", "814,871 views").
SHAPE_COLUMNS = (
    "starts_with_bullet", "indent_chars", "n_separators", "n_urls",
    "ends_with_terminal_punct", "ends_with_colon", "has_colon_prefix", "has_copyright_sign", "date_share",
)
# Lines near the page edges carry most chrome; positions are also given as counts.
CONTEXT_OFFSETS = (-2, -1, 1, 2)
CONTEXT_COLUMNS = ("log_chars", "link_char_share", "stopword_share", "ends_with_terminal_punct", "punct_share", "dup_count_in_page")
WINDOW_COLUMNS = ("log_chars", "stopword_share", "link_char_share", "has_colon_prefix", "starts_with_bullet")
WINDOW_HALF_WIDTH = 3
STRUCTURE_CONTEXT_OFFSETS = (-1, 1)

# A feature table being built: one array per column, one value per row.
Columns = MutableMapping[str, np.ndarray]

LINE_COLUMNS = (
    "log_chars", "n_chars", "n_words", "mean_word_chars",
    "has_link_info", "link_char_share", "starts_with_bullet", "indent_chars", "n_separators", "n_urls",
    *(f"{script}_share" for script in SCRIPTS), "digit_share", "punct_share", "upper_share",
    "script_matches_page", "page_script_is_arabic", "main_prose_before", "main_prose_after",
    "line_lang_matches_page", "line_lang_known",
    "stopword_share", "page_has_stoplist", "ends_with_terminal_punct", "ends_with_colon", "has_colon_prefix",
    "has_copyright_sign", "date_share",
    "dup_count_in_page", "site_dup_share", "site_pages_in_batch",
    "rel_position", "rel_char_position", "lines_before", "lines_after", "nonblank_index_rel",
    "block_n_lines", "block_log_chars", "block_bullet_share", "pos_in_block", "blank_before", "blank_after",
    "page_log_lines",
)


def featurize(pages: Sequence[Page], site_counts: SiteCounts | None = None) -> pd.DataFrame:
    """The feature table of a batch of pages: all lines, in page order.

    Columns ``page_no`` and ``line_no`` locate a row, ``is_blank`` marks rows the model skips,
    and ``text_key`` is the normalized line (the lexical model's input). Every name in
    ``feature_names()`` is a numeric column.

    Site repetition is counted among the batch's pages, or, given ``site_counts`` of the
    whole input (``classifier.site_counts``), among all the pages of each site in it.

    The columns are computed as numpy arrays in a dict (``Columns``) and made a table once:
    inserted one by one into a table, its hundred-odd columns took a fifth of featurizing.
    """
    lines = _DistinctLines.of([line for page in pages for line in page.lines])
    columns = _line_columns(pages, lines)
    char_counts = {name: lines.spread(lines.measured.measures[name]) for name in (*CHAR_CLASS_PATTERNS, "spaced_words")}
    _add_length_and_link_features(columns, pages, lines, char_counts)
    add_structure_features(columns, pages)
    _add_script_features(columns, char_counts)
    _add_language_features(columns, lines, char_counts)
    _add_repetition_features(columns, pages, lines, site_counts)
    _add_position_features(columns)
    add_main_run_features(columns)
    prose_chars = np.where(prose_lines(columns), np.asarray(columns["n_chars"], dtype=float), 0.0)
    add_comment_section_features(columns, prose_chars, lines.spread(comments_headings(lines.measured.stripped)))
    return _with_context_features(columns)


def feature_names() -> list[str]:
    """The numeric columns the model reads, in a fixed order."""
    context = [f"{name}_{offset_tag(k)}" for k in CONTEXT_OFFSETS for name in CONTEXT_COLUMNS]
    window = [f"window_{name}_mean" for name in WINDOW_COLUMNS]
    structure_context = [f"{name}_{offset_tag(k)}" for k in STRUCTURE_CONTEXT_OFFSETS for name in STRUCTURE_CONTEXT_COLUMNS]
    return [*LINE_COLUMNS, *context, *window, *MAIN_RUN_COLUMNS, *COMMENT_SECTION_COLUMNS, *STRUCTURE_COLUMNS, *structure_context]


def stack_tables(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Feature tables of separate batches as one table, page numbers kept apart and in order.

    Each batch keeps the features it was computed with (site repetition counts only within
    its own batch).
    """
    shifted, offset = [], 0
    for table in tables:
        shifted.append(table.assign(page_no=table["page_no"] + offset))
        if len(table):
            offset += int(table["page_no"].max()) + 1
    return pd.concat(shifted, ignore_index=True)


def offset_tag(offset: int) -> str:
    """``prev2``, ``prev1``, ``next1``... for a line offset."""
    return f"prev{-offset}" if offset < 0 else f"next{offset}"


@dataclass(frozen=True)
class _DistinctLines:
    """The distinct line texts of a batch and the one on each row: text features are computed
    once per distinct text (blank lines and menu items repeat) and spread over the rows.
    ``measured`` is what ``measure_lines`` finds in each text."""

    texts: list[str]
    measured: LineTexts
    of_row: np.ndarray

    @classmethod
    def of(cls, texts: list[str]) -> _DistinctLines:
        of_row, distinct = pd.factorize(np.array(texts, dtype=object))
        distinct = distinct.tolist()
        return cls(distinct, measure_lines(distinct), of_row)

    def spread(self, values: np.ndarray) -> np.ndarray:
        """Per row, the value of its text, from ``values`` per distinct text."""
        return values[self.of_row]


def _line_columns(pages: Sequence[Page], lines: _DistinctLines) -> Columns:
    page_no = np.repeat(np.arange(len(pages)), [len(p.lines) for p in pages])
    line_no = np.concatenate([np.arange(len(p.lines)) for p in pages]) if pages else np.array([], int)
    return {
        "page_no": page_no,
        "line_no": line_no,
        "text": lines.spread(_objects(lines.texts)),
        "stripped": lines.spread(_objects(lines.measured.stripped)),
        # Blank as the labeled format defines it: a zero-width space alone is not blank.
        "is_blank": lines.spread(_flags(map(is_blank, lines.texts))),
        "text_key": lines.spread(_objects(lines.measured.keys)),
    }


def _add_length_and_link_features(
    columns: Columns, pages: Sequence[Page], lines: _DistinctLines, char_counts: dict[str, np.ndarray]
) -> None:
    n_chars = lines.spread(lines.measured.measures["n_chars"])
    n_words = word_equivalents(char_counts)
    columns["n_chars"] = n_chars
    columns["log_chars"] = np.log1p(n_chars)
    columns["n_words"] = n_words
    columns["mean_word_chars"] = n_chars / n_words.clip(min=1)
    has_links = np.repeat([p.link_chars is not None for p in pages], [len(p.lines) for p in pages])
    link_chars = np.array(
        [n for p in pages for n in (p.link_chars if p.link_chars is not None else [0] * len(p.lines))], dtype=float
    )
    columns["has_link_info"] = has_links.astype(np.int8)
    # Unknown (plain-text input) is NaN, not 0: the model learns to lean on text cues instead.
    columns["link_char_share"] = np.where(has_links, link_chars / n_chars.clip(min=1), np.nan)
    for name in SHAPE_COLUMNS:
        columns[name] = lines.spread(lines.measured.measures[name])


def _objects(values: Sequence) -> np.ndarray:
    """A one-dimensional object array of ``values`` (lists stay elements)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _flags(values) -> np.ndarray:
    return np.fromiter(values, dtype=np.int8)


def _add_script_features(columns: Columns, counts: dict[str, np.ndarray]) -> None:
    non_space = (columns["n_chars"] - counts["space"]).clip(min=1)
    for script in SCRIPTS:
        columns[f"{script}_share"] = counts[script] / non_space
    columns["digit_share"] = counts["digit"] / non_space
    columns["punct_share"] = counts["punct"] / non_space
    columns["upper_share"] = counts["ascii_upper"] / counts["latin"].clip(min=1)
    script_chars = np.column_stack([counts[script] for script in SCRIPTS])
    line_script = np.where(script_chars.sum(axis=1) > 0, script_chars.argmax(axis=1), -1)
    # The page's dominant content script: letters counted on lines of 5+ words (word-equivalents:
    # 9+ Chinese characters), where body text lives; menus (many short lines) would otherwise
    # outvote a foreign-language article.
    long_mask = (columns["n_words"] >= 5)[:, None]
    pages = Runs.of(columns["page_no"])
    per_page = pages.sums(script_chars * long_mask)
    per_page = np.where(per_page.sum(axis=1, keepdims=True) > 0, per_page, pages.sums(script_chars))
    page_script = pages.per_row(per_page.argmax(axis=1)).astype(np.int64)
    columns["script_matches_page"] = np.where(line_script < 0, np.nan, (line_script == page_script).astype(float))
    columns["page_script_is_arabic"] = (page_script == SCRIPTS.index("arabic")).astype(np.int8)
    in_main_script = (line_script == page_script) & long_mask[:, 0]
    _add_main_prose_span(columns, pages, script_chars[np.arange(len(page_script)), page_script] * in_main_script)


def _add_main_prose_span(columns: Columns, pages: Runs, prose_letters: np.ndarray) -> None:
    """Share of the page's main-script prose (letters of the dominant script on its 5+ word
    lines) before and after each line. A line in another script is chrome when it sits outside
    that span (an Arabic share line under an English article) and can be content inside it
    (code or an English term in an Arabic article)."""
    prose = prose_letters.astype(float)
    total = pages.per_row(pages.sums(prose))
    total[total == 0] = np.nan
    through = pages.cumsum(prose)
    columns["main_prose_before"] = (through - prose) / total
    columns["main_prose_after"] = (total - through) / total


def _add_language_features(columns: Columns, lines: _DistinctLines, char_counts: dict[str, np.ndarray]) -> None:
    page_samples, line_rows, line_samples = _language_samples(columns)
    # One call for the batch: detect_languages works on all the texts at once.
    detected = detect_languages([*page_samples.values(), *line_samples])
    langs_of_pages = np.full(int(columns["page_no"][-1]) + 1 if len(columns["page_no"]) else 0, None, dtype=object)
    langs_of_pages[list(page_samples)] = detected[: len(page_samples)]
    page_lang = langs_of_pages[columns["page_no"]]
    line_lang = np.full(len(page_lang), None, dtype=object)
    line_lang[line_rows] = detected[len(page_samples) :]
    known = np.not_equal(line_lang, None)
    columns["page_lang"] = page_lang
    columns["line_lang_known"] = known.astype(np.int8)
    columns["line_lang_matches_page"] = np.where(known, (line_lang == page_lang).astype(float), np.nan)
    _add_stopword_features(columns, lines, page_lang, char_counts)


def _add_stopword_features(columns: Columns, lines: _DistinctLines, page_lang: np.ndarray, char_counts: dict[str, np.ndarray]) -> None:
    """``stopword_share`` in the page's language: of a spaced language, the share of the line's
    words in jusText's stoplist; of Chinese, Japanese or Thai, the share of the line's letters
    of that script (Han and kana, Thai) inside function words (``UnspacedStoplist``). NaN when
    the language has no list or the line has no words (letters) to count. Counted once per
    distinct line of each language (menus repeat across a site's pages)."""
    shares = np.full(len(page_lang), np.nan)
    has_list = np.zeros(len(page_lang), dtype=np.int8)
    lang_of_row, langs = pd.factorize(page_lang)  # a page of no guess (None) is left out: -1
    for code, lang in enumerate(langs):
        rows = np.flatnonzero(lang_of_row == code)
        distinct, of_row = np.unique(lines.of_row[rows], return_inverse=True)
        unspaced, stoplist = unspaced_stoplist(lang), stopwords(lang)
        if unspaced is not None:
            letters = char_counts[unspaced.script][rows]
            stripped = lines.measured.stripped
            in_function_words = np.fromiter(
                (unspaced.function_word_chars(stripped[i]) for i in distinct.tolist()), dtype=float, count=len(distinct)
            )[of_row]
            with np.errstate(invalid="ignore", divide="ignore"):
                shares[rows] = np.where(letters > 0, in_function_words / letters, np.nan)
        elif stoplist:
            shares[rows] = lines.measured.words.shares_in(stoplist, distinct)[of_row]
        has_list[rows] = unspaced is not None or bool(stoplist)
    columns["stopword_share"] = shares
    columns["page_has_stoplist"] = has_list


def _language_samples(columns: Columns) -> tuple[dict[int, str], list[int], list[str]]:
    """The text of each page's language guess (its longest lines, up to PAGE_LANG_SAMPLE_CHARS),
    and the rows and texts of the long lines that get their own guess."""
    page_no, n_chars, stripped = columns["page_no"], columns["n_chars"], columns["stripped"]
    starts = np.flatnonzero(np.diff(page_no, prepend=-1))
    page_samples, line_rows = {}, []
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(page_no)]):
        by_length = (start + _longest_first(n_chars[start:end])).tolist()
        sample, total = [], 0
        for row in by_length:
            if total >= PAGE_LANG_SAMPLE_CHARS or not stripped[row]:
                break
            sample.append(stripped[row])
            total += len(stripped[row])
        page_samples[int(page_no[start])] = "\n".join(sample)
        line_rows += [row for row in by_length[:MAX_LINE_LANG_GUESSES] if n_chars[row] >= LONG_LINE_CHARS]
    return page_samples, line_rows, [stripped[row][:LINE_LANG_SAMPLE_CHARS] for row in line_rows]


def _longest_first(n_chars: np.ndarray) -> np.ndarray:
    """Positions from the longest line to the shortest, equally long lines in the order of
    pandas' ``sort_values(ascending=False)`` (its unstable quicksort of the reversed values),
    which the features were first computed with: it picks which of them are sampled."""
    reversed_positions = np.arange(len(n_chars))[::-1]
    return reversed_positions[n_chars[::-1].argsort(kind="quicksort")][::-1]


def _add_repetition_features(
    columns: Columns, pages: Sequence[Page], lines: _DistinctLines, site_counts: SiteCounts | None
) -> None:
    """How often each line repeats: on its page (``dup_count_in_page``), and on its site's
    pages (``site_dup_share``). Lines are compared by their keys, numbered once per distinct
    text, so that the counting groups integers, not strings."""
    page_no, nonblank = columns["page_no"], columns["is_blank"] == 0
    key_of_text, keys = pd.factorize(np.asarray(lines.measured.keys, dtype=object))
    key_id, n_keys = key_of_text[lines.of_row], max(len(keys), 1)
    page_key = page_no * n_keys + key_id
    dup_count = np.zeros(len(page_no), dtype=np.int64)
    _, first_of_key, of_row, counts = np.unique(page_key[nonblank], return_index=True, return_inverse=True, return_counts=True)
    dup_count[nonblank] = counts[of_row] - 1
    columns["dup_count_in_page"] = dup_count
    # Lone surrogates out of the sites, as when the column held Arrow strings (which cannot hold
    # them) and the model was trained.
    sites = np.array([without_surrogates(p.site) if p.site else f"\0{i}" for i, p in enumerate(pages)], dtype=object)
    columns["site"] = sites[page_no]
    if site_counts is None:
        site_pages, pages_with_line = _batch_site_counts(page_no, key_id, n_keys, np.flatnonzero(nonblank)[first_of_key], sites)
    else:
        site_pages, pages_with_line = _whole_input_site_counts(columns, pages, site_counts)
    # Rows of one key on a page share its count: blank rows take that of a non-blank line
    # whose key is empty too (a line of bullets), as the model was trained with.
    groups, of_row = np.unique(page_key, return_inverse=True)
    group_max = np.full(len(groups), -np.inf)
    np.maximum.at(group_max, of_row, pages_with_line)
    pages_with_line = group_max[of_row]
    # The column keeps its name from when repetition was counted within a batch only.
    columns["site_pages_in_batch"] = site_pages
    other_pages = (site_pages - 1).clip(min=1)
    columns["site_dup_share"] = np.where(site_pages > 1, (pages_with_line - 1) / other_pages, np.nan)


def _batch_site_counts(
    page_no: np.ndarray, key_id: np.ndarray, n_keys: int, first_rows: np.ndarray, sites: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: its site's pages in the batch, and how many of them hold the line (set on
    ``first_rows``, the first non-blank row of each key on a page; 1 elsewhere). Lines are
    keys numbered ``key_id`` < ``n_keys``."""
    site_of_page = pd.factorize(sites)[0]
    site_pages = np.bincount(site_of_page[np.unique(page_no)], minlength=len(sites))[site_of_page[page_no]]
    site_key = site_of_page[page_no[first_rows]] * n_keys + key_id[first_rows]
    _, of_first, pages_of_site_key = np.unique(site_key, return_inverse=True, return_counts=True)
    pages_with_line = np.ones(len(page_no))
    pages_with_line[first_rows] = pages_of_site_key[of_first]
    return site_pages, pages_with_line


def _whole_input_site_counts(columns: Columns, pages: Sequence[Page], site_counts: SiteCounts) -> tuple[np.ndarray, np.ndarray]:
    """The same two counts over the whole input; a page without a site is a site of its own."""
    page_no = columns["page_no"]
    page_site = [page.site for page in pages]
    site_pages = np.array([max(site_counts.pages_of(site), 1) if site else 1 for site in page_site], dtype=np.int64)[page_no]
    pages_with_line = np.ones(len(page_no))
    counted = np.flatnonzero((columns["is_blank"] == 0) & (site_pages > 1))
    if len(counted):
        # The page's own site, as ``SiteCounts`` fingerprinted it (not the table's, whose lone
        # surrogates are replaced).
        sites = np.array(page_site, dtype=object)[page_no[counted]]
        keys = columns["text_key"][counted]
        pages_with_line[counted] = site_counts.pages_with(fingerprints(sites, keys))
    return site_pages, pages_with_line


def _add_position_features(columns: Columns) -> None:
    """Where each line sits: in its page (by lines, characters and non-blank lines) and in its
    block (the run of non-blank lines it belongs to). Computed by position in numpy, as pages
    are contiguous and every count is an integer: the values are those of the groupby
    definitions (``tests/test_features.py``)."""
    pages = Runs.of(columns["page_no"])
    line_no, n_chars, is_blank = columns["line_no"], columns["n_chars"], columns["is_blank"]
    nonblank = is_blank == 0
    columns["rel_position"] = line_no / pages.per_row(pages.lengths).clip(min=1)
    chars_before = pages.cumsum(n_chars) - n_chars
    columns["rel_char_position"] = chars_before / pages.per_row(pages.sums(n_chars)).clip(min=1)
    nonblank_count = nonblank.astype(np.int64)
    nonblank_index = pages.cumsum(nonblank_count) - 1
    n_nonblank = pages.per_row(pages.sums(nonblank_count))
    columns["lines_before"] = np.log1p(nonblank_index.clip(min=0))
    columns["lines_after"] = np.log1p((n_nonblank - nonblank_index - 1).clip(min=0))
    columns["nonblank_index_rel"] = nonblank_index.clip(min=0) / n_nonblank.clip(min=1)
    columns["page_log_lines"] = np.log1p(n_nonblank)
    _add_block_features(columns, pages, nonblank, n_chars)
    first_of_page, last_of_page = pages.starts, pages.lasts()
    previous_blank = np.ones(len(line_no), dtype=np.int8)
    previous_blank[1:] = is_blank[:-1]
    previous_blank[first_of_page] = 1
    next_blank = np.ones(len(line_no), dtype=np.int8)
    next_blank[:-1] = is_blank[1:]
    next_blank[last_of_page] = 1
    columns["blank_before"] = previous_blank
    columns["blank_after"] = next_blank


def _add_block_features(columns: Columns, pages: Runs, nonblank: np.ndarray, n_chars: np.ndarray) -> None:
    """A block is a run of non-blank lines within a page (menus are runs of bulleted lines; a
    sentence inside one is a teaser, not the article). 0 on blank lines."""
    rows = np.flatnonzero(nonblank)
    starts_block = np.ones(len(rows), dtype=bool)
    starts_block[1:] = rows[1:] != rows[:-1] + 1
    starts_block |= np.isin(rows, pages.starts)
    blocks = Runs(np.flatnonzero(starts_block), len(rows))
    size = blocks.per_row(blocks.lengths)
    bullets = columns["starts_with_bullet"][rows].astype(np.int64)
    block_columns = {
        "block_n_lines": size,
        "block_log_chars": np.log1p(blocks.per_row(blocks.sums(n_chars[rows]))),
        "block_bullet_share": blocks.per_row(blocks.sums(bullets)) / size,
        "pos_in_block": (np.arange(len(rows)) - blocks.per_row(blocks.starts)) / size.clip(min=1),
    }
    for name, values in block_columns.items():
        column = np.zeros(len(nonblank))
        column[rows] = values
        columns[name] = column


def _with_context_features(columns: Columns) -> pd.DataFrame:
    """The table of ``columns`` and their neighbour and window columns, made in one step (a
    table of hundreds of single-column blocks is slow to add to and to read)."""
    add_neighbour_columns(columns, CONTEXT_COLUMNS, CONTEXT_OFFSETS)
    add_neighbour_columns(columns, STRUCTURE_CONTEXT_COLUMNS, STRUCTURE_CONTEXT_OFFSETS)
    add_window_means(columns, WINDOW_COLUMNS, WINDOW_HALF_WIDTH)
    # Text columns stay arrays of the Python strings (rows of one text share its object):
    # pandas would copy them into Arrow strings, which took a tenth of featurizing.
    as_objects = {name: pd.Series(values, dtype=object, copy=False) for name, values in columns.items() if values.dtype == object}
    return pd.DataFrame({**columns, **as_objects})


def add_neighbour_columns(columns: Columns, names: Sequence[str], offsets: Sequence[int]) -> None:
    """Add ``{name}_prev{k}`` / ``{name}_next{k}`` to ``columns`` (a dict of arrays, or a
    table): the value on the k-th non-blank line away in the same page (float; NaN past the
    page's ends and on blank lines). Pages are contiguous, so the neighbour is found by
    position, without grouping."""
    is_blank = np.asarray(columns["is_blank"])
    nonblank = np.flatnonzero(is_blank == 0)
    page_nos = np.asarray(columns["page_no"])[nonblank]
    values = {name: np.asarray(columns[name], dtype=np.float64)[nonblank] for name in names}
    for offset in offsets:
        source = np.arange(len(nonblank)) + offset
        inside = (source >= 0) & (source < len(nonblank))
        inside[inside] = page_nos[source[inside]] == page_nos[inside]
        for name in names:
            shifted = np.full(len(is_blank), np.nan)
            shifted[nonblank[inside]] = values[name][source[inside]]
            columns[f"{name}_{offset_tag(offset)}"] = shifted


def add_window_means(columns: Columns, names: Sequence[str], half_width: int, suffix: str = "") -> None:
    """Add ``window_{name}_mean{suffix}`` to ``columns`` (a dict of arrays, or a table): mean
    over the non-blank lines within ``half_width`` (NaN on blank lines).

    Computed with cumulative sums over the whole batch (pages are contiguous), not per group.
    """
    is_blank = np.asarray(columns["is_blank"])
    nonblank = np.flatnonzero(is_blank == 0)
    page_nos = np.asarray(columns["page_no"])[nonblank]
    position = np.arange(len(page_nos))
    low = np.maximum(position - half_width, np.searchsorted(page_nos, page_nos, side="left"))
    high = np.minimum(position + half_width + 1, np.searchsorted(page_nos, page_nos, side="right"))
    for name in names:
        values = np.asarray(columns[name], dtype=float)[nonblank]
        valid = ~np.isnan(values)
        sums = np.concatenate([[0.0], np.cumsum(np.where(valid, values, 0.0))])
        counts = np.concatenate([[0], np.cumsum(valid)])
        n_valid = counts[high] - counts[low]
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(n_valid > 0, (sums[high] - sums[low]) / n_valid, np.nan)
        column = np.full(len(is_blank), np.nan)
        column[nonblank] = means
        columns[f"window_{name}_mean{suffix}"] = column
