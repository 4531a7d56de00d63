"""Turn public gold datasets into line-labeled pages (content / chrome per LABELING.md).

Each record's HTML is rendered with ``classifier.html.render_html`` (the rendering the model
sees at prediction time) and every non-blank line is labeled by what the record's gold says:

- full golds (``human_full``, ``ai_generated``, ``algorithmic_snapshot``, and the markdown gold
  of ``human_annotated_dom`` sets other than l3s_gn1): the page's words are aligned in order
  with the gold's words (``training.alignment``); a line is content when most of its words
  lie in long matching runs. The main headline is added when the gold leaves it out
  (``training.headline``).
- l3s_gn1: the annotated DOM's classes; headline and full text are content, supplemental
  text only when it is a sentence-long caption, related content and comments are chrome.
- arabic (records with ``gold_type`` ``human_lines``): the hand labels as given. Such files
  are read anew each time, not cached: taking the labels over is cheap, and every field of
  the records (such as ``kind``) then reaches the pages without a ``LABELER_VERSION`` bump,
  which would relabel the large datasets too.
- ``without`` snippets (must-exclude, trafilatura_eval and wcxb) make the lines they cover
  chrome in every dataset.
- dragnet's golds hold a page's article, then, on 22 pages, a marker line ("!@#$%^&*()
  COMMENTS", typed with small variations) and the page's user comments, which LABELING.md
  calls chrome: the gold is read up to the marker (``article_gold``).
- A line of a code block inside the article (between its first and last content lines) that
  the alignment does not find in a full gold is not scored (``unscored_code_lines``).

Partial golds (``partial_snippets``, trafilatura_eval) say nothing about most lines. Their
pages keep all lines, because features need the page around a line, but only the lines a
snippet covers are scored (content under a must-include snippet, chrome under a must-exclude
one; a line under both is dropped): ``page.extra["scored"]`` lists their indices. The other non-blank
lines carry the provisional label ``chrome`` only to satisfy the Page format; trainers and
evaluators must skip them (``scored_mask``). Pages without ``extra["scored"]`` are scored on
every non-blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from joblib import Parallel, delayed

from classifier.cache_dir import resolve_cache_dir
from classifier.html import Rendering, render_html
from classifier.labeled import LABELED_BY_HAND, SCORED, read_labeled_pages, write_labeled_pages
from classifier.page import CHROME, CONTENT, Page, is_blank
from classifier.structure import FIELDS, LineStructure
from training.alignment import covered_lines, tokenize
from training.annotated import FULL_TEXT, HEADLINE, SUPPLEMENTAL, annotated_tokens
from training.datasets import (
    count_records,
    dataset_files,
    dataset_name,
    iter_records,
    resolve_data_dir,
    site_of,
)
from training.headline import headline_line
from training.labeled_cache import cache_path
from training.snippets import excluded_lines, included_lines, split_snippets

# Bump when a labeling rule changes: cached pages of an older version are then not reused.
# 4: pages carry the structure of their lines (classifier/structure.py).
# 5: images' alt texts are found in the DOM too (their lines had no structure).
# 6: dragnet's user comments, after its comments marker, are chrome (``article_gold``).
# 7: lines carry where they stand to the page's prose region (``structure.REGION_FIELDS``).
# 8: code lines inside the article that the gold leaves out are not scored (``unscored_code_lines``).
LABELER_VERSION = "8"

# Records sent to a worker at a time: large enough to amortise the hand-off, small enough to
# keep two workers busy on the small datasets and memory flat on the large ones.
RECORDS_PER_BATCH = 25

PARTIAL_SNIPPETS = "partial_snippets"
HAND_LABELED = "human_lines"
ANNOTATED_DATASET = "l3s_gn1"

# Supplemental text (x-nc-sel3) mixes captions (content) with bylines, dates, tags and
# photo credits (chrome). Read from the first pages of l3s_gn1: the captions are sentences,
# the rest are a few words, so a supplemental line counts as content from this many words on.
SUPPLEMENTAL_CAPTION_MIN_WORDS = 8


def label_record(record: dict) -> Page | None:
    """The labeled Page of a dataset record, or None when it cannot be labeled usefully.

    Never raises on odd data: a record that breaks the labeler is skipped like an empty one.
    """
    try:
        return _label_record(record)
    except Exception:  # noqa: BLE001 - any malformed record is a skip, counted by the caller
        return None


@dataclass(frozen=True)
class DatasetCounts:
    """How many pages of a dataset were labeled and skipped, and whether from the cache."""

    converted: int
    skipped: int
    from_cache: bool


def build_labeled_pages(
    data_dir: str | Path | None = None,
    datasets: list[str] | None = None,
    n_jobs: int = 2,
    cache_dir: str | Path | None = None,
) -> tuple[list[Page], dict[str, DatasetCounts]]:
    """Label every page of the datasets (all by default), reusing cached results.

    Returns the pages and, per dataset, how many were converted and skipped. The skip count
    of a dataset read from the cache is the source's record count minus the cached pages.
    Hand-labeled datasets are never cached (see the module docstring).
    """
    data_dir = resolve_data_dir(data_dir)
    cache_dir = resolve_cache_dir(cache_dir)
    files = dataset_files(data_dir)
    if datasets is not None:
        unknown = set(datasets) - {dataset_name(path) for path in files}
        if unknown:
            raise FileNotFoundError(f"no dataset file for {sorted(unknown)} in {data_dir}")
        files = [path for path in files if dataset_name(path) in datasets]
    pages: list[Page] = []
    counts: dict[str, DatasetCounts] = {}
    for source in files:
        name = dataset_name(source)
        if is_hand_labeled(source):
            dataset_pages, n_records = _label_batch(list(iter_records(source)))
            from_cache = False
        else:
            cached = cache_path(cache_dir, source, name, LABELER_VERSION)
            from_cache = cached.exists()
            if from_cache:
                dataset_pages = list(read_labeled_pages(cached))
                n_records = count_records(source)
            else:
                dataset_pages, n_records = _label_file(source, n_jobs)
                write_labeled_pages(dataset_pages, cached)
        pages.extend(dataset_pages)
        counts[name] = DatasetCounts(len(dataset_pages), n_records - len(dataset_pages), from_cache)
    return pages, counts


def is_hand_labeled(source: Path) -> bool:
    """True when the dataset's records carry hand labels for their lines (the first record tells)."""
    first = next(iter_records(source), None)
    return first is not None and first.get("gold_type") == HAND_LABELED


def _label_file(source: Path, n_jobs: int) -> tuple[list[Page], int]:
    """Label the records of one dataset file in parallel; return the pages and record count."""
    records = iter_records(source)
    batches = iter(lambda: list(islice(records, RECORDS_PER_BATCH)), [])
    results = Parallel(n_jobs=n_jobs)(delayed(_label_batch)(batch) for batch in batches)
    pages = [page for batch_pages, _ in results for page in batch_pages]
    return pages, sum(n_records for _, n_records in results)


def _label_batch(records: list[dict]) -> tuple[list[Page], int]:
    pages = [label_record(record) for record in records]
    return [page for page in pages if page is not None], len(records)


def _label_record(record: dict) -> Page | None:
    if record.get("gold_type") == HAND_LABELED:
        return _hand_labeled_page(record)
    source_html = record.get("annotated_html") if record.get("dataset") == ANNOTATED_DATASET else None
    rendering = render_html(record.get("html") or "")
    if source_html:
        annotated = render_html(source_html)
        if annotated.lines != rendering.lines:
            rendering = annotated
    lines = rendering.lines
    if all(is_blank(line) for line in lines):
        return None

    excluded = excluded_lines(lines, split_snippets(record.get("without")))
    scored = None
    if source_html:
        content = _annotated_content(lines, source_html)
    elif record.get("gold_type") == PARTIAL_SNIPPETS:
        content = included_lines(lines, split_snippets(record.get("gold")))
        scored = [i for i, (inc, exc) in enumerate(zip(content, excluded)) if inc != exc]
        if not scored:
            return None
    else:
        gold_tokens = tokenize(article_gold(record.get("gold") or ""))
        if not gold_tokens:
            return None
        content = covered_lines(lines, gold_tokens)
        headline = headline_line(lines, content, record.get("html") or "")
        if headline is not None:
            content[headline] = True

    content = [is_content and not is_excluded for is_content, is_excluded in zip(content, excluded)]
    if scored is None and not any(content):
        return None
    if scored is None and not source_html:
        unscored = unscored_code_lines(lines, rendering.structure, content, excluded)
        if unscored:
            scored = [i for i in range(len(lines)) if i not in unscored]
    page = _page(record, rendering, content)
    if scored is not None:
        page.extra[SCORED] = [i for i in scored if not is_blank(lines[i])]
    return page


def unscored_code_lines(lines: list[str], structure: LineStructure, content: list[bool], excluded: list[bool]) -> set[int]:
    """The lines of a full-gold page whose chrome label is not to be trusted: non-blank lines of
    a code block (most of their characters under ``pre``, ``code``, ``kbd`` or ``samp``) between
    the page's first and last content lines that the alignment left out of the gold and no
    must-exclude snippet covers. (A line of only no-break spaces is blank, yet its characters
    can be under ``pre``.)

    LABELING.md keeps a code block of the article as content, but an aligned gold loses it two
    ways: a line without words (``}``, ``];``, ``|``) cannot be aligned, so it was chrome on every
    page of every dataset, and a gold written by a language model (wcxb) leaves out some code
    blocks of its articles and keeps others (inside wcxb's articles 11,502 code lines are in the
    gold and 4,528 are not). Learned as chrome, these lines taught the model to drop code from
    articles: from HTML, the hand-labeled arabic pages' code blocks. Code lines outside the
    article (embed snippets, widgets) keep their chrome label."""
    content_lines = [i for i, is_content in enumerate(content) if is_content]
    if not content_lines:
        return set()
    values = structure.values
    mapped, code = values[:, FIELDS.index("mapped_chars")], values[:, FIELDS.index("code_chars")]
    return {
        i for i in range(content_lines[0] + 1, content_lines[-1])
        if not content[i] and not excluded[i] and code[i] > 0 and 2 * code[i] >= mapped[i] and not is_blank(lines[i])
    }


# The line between the article and the user comments in dragnet's golds: punctuation, then
# "COMMENTS" ("!@#$%^&*() COMMENTS", "@#$%^&*() COMMENTS", "!@#$%^&* COMMENTS", ...).
COMMENTS_MARKER = re.compile(r"^[ \t]*[!@#$%^&*()][!@#$%^&*() ]{3,}COMMENTS[ \t]*$", re.MULTILINE)


def article_gold(gold: str) -> str:
    """``gold`` up to its comments marker (``COMMENTS_MARKER``), if it has one."""
    marker = COMMENTS_MARKER.search(gold)
    return gold if marker is None else gold[: marker.start()]


def _annotated_content(lines: list[str], annotated_html: str) -> list[bool]:
    """Content per line from the annotators' classes (see SUPPLEMENTAL_CAPTION_MIN_WORDS)."""
    tokens, classes = annotated_tokens(annotated_html)
    core = covered_lines(lines, tokens, [c in (HEADLINE, FULL_TEXT) for c in classes])
    supplemental = covered_lines(lines, tokens, [c == SUPPLEMENTAL for c in classes])
    return [
        is_core or (is_supplemental and _n_letter_words(line) >= SUPPLEMENTAL_CAPTION_MIN_WORDS)
        for is_core, is_supplemental, line in zip(core, supplemental, lines)
    ]


def _n_letter_words(line: str) -> int:
    """Words with a letter: dates and times ("2007-11-24 16:23:08") are not caption words."""
    return sum(1 for token in tokenize(line) if any(char.isalpha() for char in token))


def page_id_of(record: dict) -> str:
    """The id of a dataset record's page: ``<dataset>/<id>``, unique across the datasets."""
    return f"{record.get('dataset')}/{record.get('id')}"


def line_labels(lines: list[str], content: list[bool]) -> list[str | None]:
    """Per line: ``content`` or ``chrome`` as ``content`` says, None on blank lines."""
    return [None if is_blank(line) else CONTENT if is_content else CHROME for line, is_content in zip(lines, content)]


def _hand_labeled_page(record: dict) -> Page | None:
    lines = [str(line) for line in record.get("lines") or []]
    if not lines:
        return None
    rendering = render_html(record.get("html") or "")
    rendered = rendering.lines == lines
    return Page(
        page_id=page_id_of(record),
        lines=lines,
        link_chars=rendering.link_chars if rendered else None,
        structure=rendering.structure if rendered else None,
        site=site_of(record),
        url=record.get("url") or None,
        lang=record.get("lang") or None,
        dataset=record.get("dataset") or None,
        labels=record.get("labels"),
        kind=record.get("kind") or None,
        extra={LABELED_BY_HAND: True},
    )


def _page(record: dict, rendering: Rendering, content: list[bool]) -> Page:
    lines = rendering.lines
    return Page(
        page_id=page_id_of(record),
        lines=lines,
        link_chars=rendering.link_chars,
        structure=rendering.structure,
        site=site_of(record),
        url=record.get("url") or None,
        lang=record.get("lang") or None,
        dataset=record.get("dataset") or None,
        labels=line_labels(lines, content),
    )
