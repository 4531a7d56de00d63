"""Page -> feature table: one row per line, named numeric columns.

The features are computed for a batch of pages at once (vectorized string operations on one
table), because per-site repetition looks across the pages of a batch. Blank lines keep a row
(their ``is_blank`` is 1) so that positions line up with the page; the model skips them.
Neighbour ("context") columns look at the nearest non-blank lines.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from classifier.language import detect_language, stopwords
from classifier.page import Page
from classifier.site_counts import SiteCounts, fingerprint
from classifier.text import (
    DIGIT_PATTERN,
    PUNCT_PATTERN,
    SCRIPT_PATTERNS,
    SCRIPTS,
    normalize_line,
    words,
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

# Terminal punctuation: Latin, Arabic question mark and full stop (؟ ۔), CJK and ellipsis.
TERMINAL_PUNCT = ".!?؟۔。！？…"
# Leading list/menu markers as Resiliparse and other renderers write them.
BULLET_PATTERN = r"^\s*(?:[•·◦▪►*\-–—]|\d+[.)])\s"
# Characters that separate menu items or breadcrumb parts on one line.
SEPARATOR_PATTERN = r"\s[|»›/·•>]\s|\s[|»›]$|^[|»›]\s"
URL_PATTERN = r"(?:https?://|www\.)\S+|\S+@\S+\.\w+"
# A short label before a colon that opens the line: "Source: Agencies", "Al-Dali: The visit...",
# "المصدر: ...". Runs of such lines are tickers, bylines and metadata lists.
COLON_PREFIX_PATTERN = r"^\s*(?:[•·◦▪►*\-–—]\s*)?[^:：.!?؟。]{1,40}[:：]\s+\S"
# Lines near the page edges carry most chrome; positions are also given as counts.
CONTEXT_OFFSETS = (-2, -1, 1, 2)
CONTEXT_COLUMNS = ("log_chars", "link_char_share", "stopword_share", "ends_with_terminal_punct", "punct_share", "dup_count_in_page")
WINDOW_COLUMNS = ("log_chars", "stopword_share", "link_char_share", "has_colon_prefix", "starts_with_bullet")
WINDOW_HALF_WIDTH = 3

LINE_COLUMNS = (
    "log_chars", "n_chars", "n_words", "mean_word_chars",
    "has_link_info", "link_char_share", "starts_with_bullet", "indent_chars", "n_separators", "n_urls",
    *(f"{script}_share" for script in SCRIPTS), "digit_share", "punct_share", "upper_share",
    "script_matches_page", "page_script_is_arabic", "main_prose_before", "main_prose_after",
    "line_lang_matches_page", "line_lang_known",
    "stopword_share", "page_has_stoplist", "ends_with_terminal_punct", "ends_with_colon", "has_colon_prefix",
    "has_copyright_sign",
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
    """
    table = _line_table(pages)
    _add_length_and_link_features(table, pages)
    _add_script_features(table)
    _add_language_features(table)
    _add_repetition_features(table, pages, site_counts)
    _add_position_features(table)
    _add_context_features(table)
    del table["tokens"]
    # The copy consolidates the columns added one by one into a few blocks; the model adds
    # more, and a table of hundreds of blocks is slow (and pandas warns about it).
    return table.copy()


def feature_names() -> list[str]:
    """The numeric columns the model reads, in a fixed order."""
    context = [f"{name}_{offset_tag(k)}" for k in CONTEXT_OFFSETS for name in CONTEXT_COLUMNS]
    window = [f"window_{name}_mean" for name in WINDOW_COLUMNS]
    return [*LINE_COLUMNS, *context, *window]


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


def _line_table(pages: Sequence[Page]) -> pd.DataFrame:
    page_no = np.repeat(np.arange(len(pages)), [len(p.lines) for p in pages])
    line_no = np.concatenate([np.arange(len(p.lines)) for p in pages]) if pages else np.array([], int)
    text = pd.Series([line for p in pages for line in p.lines], dtype=object)
    table = pd.DataFrame({"page_no": page_no, "line_no": line_no, "text": text})
    table["stripped"] = table["text"].str.strip()
    table["is_blank"] = (table["stripped"] == "").astype(np.int8)
    table["text_key"] = table["text"].map(normalize_line)
    return table


def _add_length_and_link_features(table: pd.DataFrame, pages: Sequence[Page]) -> None:
    stripped = table["stripped"]
    table["n_chars"] = stripped.str.len()
    table["log_chars"] = np.log1p(table["n_chars"])
    table["tokens"] = table["text"].map(words)
    table["n_words"] = table["tokens"].map(len)
    table["mean_word_chars"] = table["n_chars"] / table["n_words"].clip(lower=1)
    has_links = np.repeat([p.link_chars is not None for p in pages], [len(p.lines) for p in pages])
    link_chars = np.array(
        [n for p in pages for n in (p.link_chars if p.link_chars is not None else [0] * len(p.lines))], dtype=float
    )
    table["has_link_info"] = has_links.astype(np.int8)
    # Unknown (plain-text input) is NaN, not 0: the model learns to lean on text cues instead.
    table["link_char_share"] = np.where(has_links, link_chars / table["n_chars"].clip(lower=1), np.nan)
    table["starts_with_bullet"] = table["text"].str.contains(BULLET_PATTERN, regex=True).astype(np.int8)
    table["indent_chars"] = table["text"].str.len() - table["text"].str.lstrip().str.len()
    table["n_separators"] = stripped.str.count(SEPARATOR_PATTERN)
    table["n_urls"] = stripped.str.count(URL_PATTERN)
    last_char = stripped.str[-1:]
    table["ends_with_terminal_punct"] = last_char.isin(list(TERMINAL_PUNCT)).astype(np.int8)
    table["ends_with_colon"] = last_char.isin([":", "："]).astype(np.int8)
    table["has_colon_prefix"] = stripped.str.contains(COLON_PREFIX_PATTERN, regex=True).astype(np.int8)
    table["has_copyright_sign"] = stripped.str.contains("©|\\(c\\)|®", regex=True).astype(np.int8)


def _add_script_features(table: pd.DataFrame) -> None:
    stripped = table["stripped"]
    non_space = (table["n_chars"] - stripped.str.count(r"\s")).clip(lower=1)
    letters = pd.Series(0, index=table.index)
    for script, pattern in SCRIPT_PATTERNS.items():
        count = stripped.str.count(pattern)
        table[f"{script}_chars"] = count
        table[f"{script}_share"] = count / non_space
        letters = letters + count
    table["digit_share"] = stripped.str.count(DIGIT_PATTERN) / non_space
    table["punct_share"] = stripped.str.count(PUNCT_PATTERN) / non_space
    table["upper_share"] = stripped.str.count(r"[A-Z]") / table["latin_chars"].clip(lower=1)
    script_chars = table[[f"{s}_chars" for s in SCRIPTS]].to_numpy()
    line_script = np.where(script_chars.sum(axis=1) > 0, script_chars.argmax(axis=1), -1)
    # The page's dominant content script: letters counted on lines of 5+ words, where body
    # text lives; menus (many short lines) would otherwise outvote a foreign-language article.
    long_mask = (table["n_words"] >= 5).to_numpy()[:, None]
    per_page = pd.DataFrame(script_chars * long_mask).groupby(table["page_no"]).sum()
    fallback = pd.DataFrame(script_chars).groupby(table["page_no"]).sum()
    per_page = per_page.where(per_page.sum(axis=1) > 0, fallback, axis=0)
    dominant = pd.Series(per_page.to_numpy().argmax(axis=1), index=per_page.index)
    page_script = table["page_no"].map(dominant).to_numpy()
    table["script_matches_page"] = np.where(line_script < 0, np.nan, (line_script == page_script).astype(float))
    table["page_script_is_arabic"] = (page_script == SCRIPTS.index("arabic")).astype(np.int8)
    in_main_script = (line_script == page_script) & long_mask[:, 0]
    _add_main_prose_span(table, script_chars[np.arange(len(table)), page_script] * in_main_script)


def _add_main_prose_span(table: pd.DataFrame, prose_letters: np.ndarray) -> None:
    """Share of the page's main-script prose (letters of the dominant script on its 5+ word
    lines) before and after each line. A line in another script is chrome when it sits outside
    that span (an Arabic share line under an English article) and can be content inside it
    (code or an English term in an Arabic article)."""
    prose = pd.Series(prose_letters, index=table.index, dtype=float)
    by_page = prose.groupby(table["page_no"])
    total = by_page.transform("sum").replace(0, np.nan)
    through = by_page.cumsum()
    table["main_prose_before"] = (through - prose) / total
    table["main_prose_after"] = (total - through) / total


def _add_language_features(table: pd.DataFrame) -> None:
    page_langs, line_langs = {}, {}
    for page_no, group in table.groupby("page_no", sort=True):
        by_length = group.sort_values("n_chars", ascending=False)
        sample, total = [], 0
        for text in by_length["stripped"]:
            if total >= PAGE_LANG_SAMPLE_CHARS or not text:
                break
            sample.append(text)
            total += len(text)
        page_langs[page_no] = detect_language("\n".join(sample))
        long_lines = by_length[by_length["n_chars"] >= LONG_LINE_CHARS].head(MAX_LINE_LANG_GUESSES)
        for row, text in long_lines["stripped"].items():
            line_langs[row] = detect_language(text[:LINE_LANG_SAMPLE_CHARS])
    page_lang = table["page_no"].map(page_langs).to_numpy(dtype=object)
    line_lang = pd.Series(line_langs, dtype=object).reindex(table.index)
    known = line_lang.notna().to_numpy()
    table["page_lang"] = page_lang
    table["line_lang_known"] = known.astype(np.int8)
    table["line_lang_matches_page"] = np.where(known, (line_lang.to_numpy() == page_lang).astype(float), np.nan)
    shares, has_list = [], []
    for tokens, lang in zip(table["tokens"], page_lang):
        stoplist = stopwords(lang)
        has_list.append(bool(stoplist))
        shares.append(sum(t in stoplist for t in tokens) / len(tokens) if stoplist and tokens else np.nan)
    table["stopword_share"] = shares
    table["page_has_stoplist"] = np.array(has_list, dtype=np.int8)


def _add_repetition_features(table: pd.DataFrame, pages: Sequence[Page], site_counts: SiteCounts | None) -> None:
    key = table["text_key"].where(table["is_blank"] == 0)
    table["dup_count_in_page"] = table.groupby(["page_no", key], dropna=False)["line_no"].transform("size") - 1
    table.loc[table["is_blank"] == 1, "dup_count_in_page"] = 0
    site = pd.Series([p.site or f"\0{i}" for i, p in enumerate(pages)], dtype=object)[table["page_no"]].to_numpy()
    table["site"] = site
    if site_counts is None:
        site_pages, pages_with_line = _batch_site_counts(table)
    else:
        site_pages, pages_with_line = _whole_input_site_counts(table, pages, site_counts)
    # Rows of one key on a page share its count: blank rows take that of a non-blank line
    # whose key is empty too (a line of bullets), as the model was trained with.
    pages_with_line = pd.Series(pages_with_line, index=table.index).groupby([table["page_no"], table["text_key"]]).transform("max")
    # The column keeps its name from when repetition was counted within a batch only.
    table["site_pages_in_batch"] = site_pages
    other_pages = (table["site_pages_in_batch"] - 1).clip(lower=1)
    table["site_dup_share"] = np.where(table["site_pages_in_batch"] > 1, (pages_with_line - 1) / other_pages, np.nan)


def _batch_site_counts(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per row: its site's pages in the batch, and how many of them hold the line (set on the
    first row of each key on a page)."""
    site = table["site"].to_numpy()
    site_pages = pd.Series(site).map(pd.Series(site[~table["page_no"].duplicated().to_numpy()]).value_counts()).to_numpy()
    distinct = table.loc[table["is_blank"] == 0, ["site", "page_no", "text_key"]].drop_duplicates()
    pages_with_line = np.ones(len(table))
    pages_with_line[distinct.index] = distinct.groupby(["site", "text_key"])["page_no"].transform("size").to_numpy()
    return site_pages, pages_with_line


def _whole_input_site_counts(table: pd.DataFrame, pages: Sequence[Page], site_counts: SiteCounts) -> tuple[np.ndarray, np.ndarray]:
    """The same two counts over the whole input; a page without a site is a site of its own."""
    page_site = [page.site for page in pages]
    site_pages = np.array([max(site_counts.pages_of(site), 1) if site else 1 for site in page_site])[table["page_no"]]
    pages_with_line = np.ones(len(table))
    counted = np.flatnonzero((table["is_blank"] == 0).to_numpy() & (site_pages > 1))
    if len(counted):
        sites, keys = table["site"].to_numpy()[counted], table["text_key"].to_numpy()[counted]
        fingerprints = np.fromiter((fingerprint(s, k) for s, k in zip(sites, keys)), dtype=np.uint64, count=len(counted))
        pages_with_line[counted] = site_counts.pages_with(fingerprints)
    return site_pages, pages_with_line


def _add_position_features(table: pd.DataFrame) -> None:
    by_page = table.groupby("page_no")
    n_lines = by_page["line_no"].transform("size")
    table["rel_position"] = table["line_no"] / n_lines.clip(lower=1)
    chars_before = by_page["n_chars"].cumsum() - table["n_chars"]
    table["rel_char_position"] = chars_before / by_page["n_chars"].transform("sum").clip(lower=1)
    nonblank = table["is_blank"] == 0
    nonblank_index = nonblank.astype(int).groupby(table["page_no"]).cumsum() - 1
    n_nonblank = nonblank.groupby(table["page_no"]).transform("sum")
    table["lines_before"] = np.log1p(nonblank_index.clip(lower=0))
    table["lines_after"] = np.log1p((n_nonblank - nonblank_index - 1).clip(lower=0))
    table["nonblank_index_rel"] = nonblank_index.clip(lower=0) / n_nonblank.clip(lower=1)
    table["page_log_lines"] = np.log1p(n_nonblank)
    block_id = table["is_blank"].groupby(table["page_no"]).cumsum()
    block = table[nonblank].groupby([table["page_no"], block_id])
    table["block_n_lines"] = block["line_no"].transform("size")
    table["block_log_chars"] = np.log1p(block["n_chars"].transform("sum"))
    # Menus are runs of bulleted lines; a sentence inside one is a teaser, not the article.
    table["block_bullet_share"] = block["starts_with_bullet"].transform("mean")
    table["pos_in_block"] = block.cumcount() / table["block_n_lines"].clip(lower=1)
    previous_blank = by_page["is_blank"].shift(1, fill_value=1)
    next_blank = by_page["is_blank"].shift(-1, fill_value=1)
    table["blank_before"] = previous_blank.astype(np.int8)
    table["blank_after"] = next_blank.astype(np.int8)
    for column in ("block_n_lines", "block_log_chars", "block_bullet_share", "pos_in_block"):
        table[column] = table[column].fillna(0)


def _add_context_features(table: pd.DataFrame) -> None:
    add_neighbour_columns(table, CONTEXT_COLUMNS, CONTEXT_OFFSETS)
    add_window_means(table, WINDOW_COLUMNS, WINDOW_HALF_WIDTH)


def add_neighbour_columns(table: pd.DataFrame, columns: Sequence[str], offsets: Sequence[int]) -> None:
    """Add ``{column}_prev{k}`` / ``{column}_next{k}``: the value on the k-th non-blank line away."""
    nonblank = table[table["is_blank"] == 0]
    shifted_by_page = nonblank.groupby("page_no")[list(columns)]
    for offset in offsets:
        shifted = shifted_by_page.shift(-offset)
        for name in columns:
            table[f"{name}_{offset_tag(offset)}"] = shifted[name]


def add_window_means(table: pd.DataFrame, columns: Sequence[str], half_width: int, suffix: str = "") -> None:
    """Add ``window_{column}_mean{suffix}``: mean over the non-blank lines within ``half_width``.

    Computed with cumulative sums over the whole batch (pages are contiguous), not per group.
    """
    nonblank = table[table["is_blank"] == 0]
    page_nos = nonblank["page_no"].to_numpy()
    position = np.arange(len(page_nos))
    low = np.maximum(position - half_width, np.searchsorted(page_nos, page_nos, side="left"))
    high = np.minimum(position + half_width + 1, np.searchsorted(page_nos, page_nos, side="right"))
    for name in columns:
        values = nonblank[name].to_numpy(dtype=float)
        valid = ~np.isnan(values)
        sums = np.concatenate([[0.0], np.cumsum(np.where(valid, values, 0.0))])
        counts = np.concatenate([[0], np.cumsum(valid)])
        n_valid = counts[high] - counts[low]
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(n_valid > 0, (sums[high] - sums[low]) / n_valid, np.nan)
        table[f"window_{name}_mean{suffix}"] = pd.Series(means, index=nonblank.index)
