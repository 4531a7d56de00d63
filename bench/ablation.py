"""Does each feature group earn its place? Site-grouped CV line F1 with and without it, and
what it costs per line.

    python bench/ablation.py [--data ../shared/data] [--sites 900] [--folds 3] [--seed 0 [1 2 ...]]

The cheap protocol of docs/evaluation.md: K folds grouped by site over a seeded sample of
``--sites`` sites plus every hand-labeled arabic page (one sample per ``--seed``, with the
mean over the samples when there are several), scored in HTML mode (links and
structure) and text mode; line F1 also over the pages of ordinary size (see
``ORDINARY_PAGE_LINES``). Variants:
- ``all``: the model as shipped;
- ``no-structure``: pages keep their link counts but lose their structure (the element
  features, their neighbours and the class/id names model), i.e. HTML mode before it read
  the structure;
- ``no-main-run``: the main-run columns (classifier/main_run.py) left empty;
- ``no-prose-region``: the prose-region columns (``structure_features.PROSE_REGION_COLUMNS``:
  where a line stands to the element that holds most of the page's prose) left empty;
- ``no-dates``: the ``date_share`` column (dates, times, times ago, reading times and
  counts) left empty;
- ``no-comment-section``: ``below_comments_heading`` (classifier/comment_section.py: the
  lines below a comment section's heading) left empty;
- ``no-p-first-ranks``: where a line's first-pass p ranks on its page (``page_p_first_max``,
  ``p_first_page_rank``, read by the revise stage) left empty;
- ``code-as-chrome``: trained as labeler version 7 labeled, with the code lines inside the
  article that the gold leaves out (``training.labeling.unscored_code_lines``) learned as
  chrome; scored, as every variant, on the current labels (those lines not scored).

Costs are wall µs per line of the group's own work on the same pages: for structure, the
DOM walk (html.render_html minus Resiliparse's rendering, on raw HTML of the datasets) plus
its columns and the names model at prediction; for the main run, its columns.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

import numpy as np

import classifier.features as features
import classifier.predictor as predictor
from classifier.comment_section import COMMENT_SECTION_COLUMNS, add_comment_section_features, comments_headings
from classifier.main_run import MAIN_RUN_COLUMNS, add_main_run_features, prose_lines
from classifier.labeled import SCORED
from classifier.page import CONTENT, Page
from classifier.persistence import ModelError
from classifier.predictor import Predictor
from classifier.runs import Runs
from classifier.structure import line_structure
from classifier.structure_features import NAMES_COLUMN, PROSE_REGION_COLUMNS, add_structure_features
from classifier.text import LineTexts, measure_lines
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree
from training.datasets import iter_records, resolve_data_dir
from training.evaluate import cross_validate
from training.metrics import score
from training.labeling import build_labeled_pages, unscored_code_lines

ARABIC = "arabic"
# A sample of a few hundred pages can hold one huge page (a novel's chapter index of 10,755
# lines, every chapter link content in its gold) that outweighs a hundred others in pooled
# line F1: the scores are also given over the pages up to this many lines.
ORDINARY_PAGE_LINES = 5000


def sampled_pages(pages: Sequence[Page], n_sites: int, seed: int) -> list[Page]:
    """Every arabic page and every page of ``n_sites`` sites drawn with ``seed``."""
    sites = sorted({page.site or page.page_id for page in pages if page.dataset != ARABIC})
    kept = set(random.Random(seed).sample(sites, min(n_sites, len(sites))))
    return [page for page in pages if page.dataset == ARABIC or (page.site or page.page_id) in kept]


def without_structure(page: Page) -> Page:
    return dataclasses.replace(page, structure=None)


def blank_main_run(columns) -> None:
    for column in MAIN_RUN_COLUMNS:
        columns[column] = np.full(len(columns["page_no"]), np.nan)


def structure_without_prose_region(columns, pages: Sequence[Page]) -> None:
    add_structure_features(columns, pages)
    for column in PROSE_REGION_COLUMNS:
        columns[column] = np.full(len(columns["page_no"]), np.nan)


def measured_without_dates(texts: Sequence[str]) -> LineTexts:
    """``measure_lines`` with no ``date_share`` (NaN): the column it fills, left empty."""
    measured = measure_lines(texts)
    measured.measures["date_share"] = np.full(len(texts), np.nan)
    return measured


def blank_comment_section(columns, prose: np.ndarray, heading: np.ndarray) -> None:
    for column in COMMENT_SECTION_COLUMNS:
        columns[column] = np.full(len(prose), np.nan)


def blank_p_first_ranks(columns, pages, p_first) -> None:
    for column in ("page_p_first_max", "p_first_page_rank"):
        columns[column] = np.full(len(p_first), np.nan)


# Variants that leave a group's columns empty: the step that adds them (module, name),
# replaced for the variant's run.
REPLACED_STEPS = {
    "no-main-run": (features, "add_main_run_features", blank_main_run),
    "no-prose-region": (features, "add_structure_features", structure_without_prose_region),
    "no-dates": (features, "measure_lines", measured_without_dates),
    "no-comment-section": (features, "add_comment_section_features", blank_comment_section),
    "no-p-first-ranks": (predictor, "_add_page_ranks", blank_p_first_ranks),
}


def with_code_scored(page: Page) -> Page:
    """``page`` as labeler version 7 scored it: where the only lines it leaves unscored are
    ``unscored_code_lines``, every line scored (those as chrome)."""
    scored = page.extra.get(SCORED)
    if scored is None or page.structure is None or page.labels is None:
        return page
    content = [label == CONTENT for label in page.labels]
    unscored = {i for i, label in enumerate(page.labels) if label is not None} - set(scored)
    if unscored != unscored_code_lines(page.lines, page.structure, content, [False] * len(content)):
        return page
    return dataclasses.replace(page, extra={key: value for key, value in page.extra.items() if key != SCORED})


def cv_scores(pages: list[Page], folds: int, seed: int, scored_on: list[Page] | None = None) -> dict[str, dict]:
    """HTML- and text-mode scores (c4-rule as a baseline only to get both modes), each with
    ``ordinary_pages``: the scores over pages of at most ``ORDINARY_PAGE_LINES`` lines. The
    predictions are scored on the labels of ``scored_on`` (the same pages, labeled otherwise)
    when it is given."""
    evaluation = cross_validate(pages, folds, seed=seed, text_only=False, baselines=("c4-rule",))
    labeled = {page.page_id: page for page in scored_on or pages}
    systems = {}
    for run in evaluation.model_runs:
        run_pages = [labeled[page.page_id] for page in run.pages]
        ordinary = [i for i, page in enumerate(run_pages) if len(page.lines) <= ORDINARY_PAGE_LINES]
        systems[run.name] = {
            **score(run_pages, run.labels),
            "ordinary_pages": score([run_pages[i] for i in ordinary], [run.labels[i] for i in ordinary]),
        }
    return systems


def run_variant(name: str, pages: list[Page], folds: int, seed: int) -> dict[str, dict]:
    if name == "no-structure":
        return cv_scores([without_structure(page) for page in pages], folds, seed)
    if name == "code-as-chrome":
        return cv_scores([with_code_scored(page) for page in pages], folds, seed, scored_on=pages)
    if name in REPLACED_STEPS:
        with mock.patch.object(*REPLACED_STEPS[name]):
            return cv_scores(pages, folds, seed)
    return cv_scores(pages, folds, seed)


def timed(function: Callable, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def walk_us_per_line(data_dir: Path, n_pages: int, seed: int) -> tuple[float, int]:
    """µs per rendered line of the structure walk alone, over ``n_pages`` raw HTML pages."""
    htmls = [record["html"] for path in sorted(data_dir.glob("*.jsonl.gz")) for record in iter_records(path) if record.get("html")]
    htmls = random.Random(seed).sample(htmls, min(n_pages, len(htmls)))
    seconds, n_lines = 0.0, 0
    for html in htmls:
        tree = HTMLTree.parse(html)
        lines = extract_plain_text(tree).split("\n")
        body = tree.body.html if tree.body is not None else ""
        seconds += timed(line_structure, body, lines)
        n_lines += len(lines)
    return 1e6 * seconds / n_lines, n_lines


def column_costs(pages: list[Page]) -> dict[str, float]:
    """µs per line of the structure columns, the main-run columns, the comment section (its
    headings matched once per distinct text, as ``featurize`` does, and its column), the
    first-pass ranks and the shipped names model (left out, with a message, where the shipped
    model does not fit this checkout's features: an experiment's worktree)."""
    table = features.featurize(pages)
    n = len(table)
    runs, nonblank = Runs.of(table["page_no"].to_numpy()), ~table["is_blank"].to_numpy(dtype=bool)
    distinct_stripped = list({line.strip() for page in pages for line in page.lines})
    prose_chars = np.where(prose_lines(table), table["n_chars"].to_numpy(dtype=float), 0.0)
    costs = {
        "structure columns": timed(add_structure_features, table.copy(), pages),
        "main-run columns": timed(add_main_run_features, table.copy()),
        "comment-section column": timed(comments_headings, distinct_stripped)
        + timed(add_comment_section_features, table.copy(), prose_chars, np.zeros(n, dtype=bool)),
        # Any p per line costs the same to rank: the line's length stands in for the first pass's.
        "first-pass ranks": timed(predictor._add_page_ranks, {}, runs, np.where(nonblank, table["log_chars"].to_numpy(), np.nan)),
    }
    try:
        costs["names model"] = timed(Predictor.load().general.name_scores, table[NAMES_COLUMN].to_numpy())
    except ModelError as error:
        print(f"names model not timed: {error}")
    return {group: 1e6 * seconds / n for group, seconds in costs.items()}


def figures_row(figures: dict) -> list[float]:
    """The printed figures of a system's scores: line F1 (all pages, ordinary pages), char
    F1, mean page token F1, and line F1 on the arabic dataset and on zh pages (NaN if none)."""
    by_lang = figures["by_lang"]
    return [
        figures["line"]["f1"], figures["ordinary_pages"]["line"]["f1"], figures["char"]["f1"], figures["page_token_f1_mean"],
        figures["by_dataset"][ARABIC]["line"]["f1"], by_lang["zh"]["line"]["f1"] if "zh" in by_lang else float("nan"),
    ]


def print_row(variant: str, seed: str, system: str, row: Sequence[float]) -> None:
    line_f1, ordinary, char_f1, page_tokens, arabic, zh = row
    print(f"{variant:<16} {seed:>5} {system:<16} {line_f1:8.3f} {ordinary:11.3f} {char_f1:8.3f} {page_tokens:12.3f}  {arabic:.3f}  {zh:.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="default: $BOILERLINE_DATA or ../shared/data")
    parser.add_argument("--sites", type=int, default=900, help="sites sampled from the non-arabic datasets")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument(
        "--seed", type=int, nargs="+", default=[0],
        help="one sample of sites per seed; with several, each variant's mean over them too (a text-mode figure "
        "moves by a point or two between samples when anything in training changes)",
    )
    parser.add_argument("--variants", nargs="*", default=["all", "no-structure", "no-main-run", "no-prose-region"], help="none: the costs only")
    parser.add_argument("--cost-pages", type=int, default=300, help="raw HTML pages to time the walk on (0: do not time it)")
    args = parser.parse_args()

    data_dir = resolve_data_dir(args.data)
    every_page = build_labeled_pages(data_dir)[0]
    samples = {seed: sampled_pages(every_page, args.sites, seed) for seed in args.seed}
    for seed, pages in samples.items():
        print(f"seed {seed}: {len(pages)} pages ({args.sites} sampled sites + arabic), {args.folds} site-grouped folds")
    if args.variants:
        print(f"{'variant':<16} {'seed':>5} {'mode':<16} {'line F1':>8} {'<=' + str(ORDINARY_PAGE_LINES) + ' lines':>11} "
              f"{'char F1':>8} {'page tok F1':>12}  arabic  zh")
    for variant in args.variants:
        start = time.perf_counter()
        rows: dict[str, list[list[float]]] = {}
        for seed, pages in samples.items():
            for system, figures in run_variant(variant, pages, args.folds, seed).items():
                rows.setdefault(system, []).append(figures_row(figures))
                print_row(variant, str(seed), system, rows[system][-1])
        if len(samples) > 1:
            for system, system_rows in rows.items():
                print_row(variant, "mean", system, np.mean(system_rows, axis=0))
        print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)
    first_seed, first_pages = next(iter(samples.items()))
    if args.cost_pages > 0:
        walk_us, walk_lines = walk_us_per_line(data_dir, args.cost_pages, first_seed)
        print(f"cost, µs per line: structure walk {walk_us:.2f} (over {walk_lines:,} rendered lines)")
    for group, us in column_costs(first_pages).items():
        print(f"cost, µs per line: {group} {us:.2f}")


if __name__ == "__main__":
    main()
