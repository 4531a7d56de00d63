"""Evaluation: a model on labeled pages, or K folds grouped by site; with baselines, every
system on the same pages.

Beside baselines the model is scored in both input modes where pages have link counts:
``boilerline-text`` (links hidden, as for plain-text input) and ``boilerline-html`` (the link
counts the pages have). The top-level figures stay those of the mode asked for, as without
baselines; ``systems`` maps every system's name to its figures, speed and failed pages.

``evaluate`` and ``cross_validate`` give the scores (``.scores``) with the runs they come from:
every system's labels on its pages and the model's p(content) per line, which a report draws
from (``training.html_report``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from classifier.features import featurize
from classifier.model import LineClassifier
from classifier.predictor import PredictsPages, labels_of
from classifier.page import Page
from training.baselines import SystemRun, run_baselines
from training.extraction_cache import ExtractionCache
from training.metrics import calibration, score
from training.train import (
    CIPHERED_SITE_SHARE, DEFAULT_SEED, SYNTHETIC_PAGES_PER_DIRECTION, TrainingTables, fit_model, training_tables, without_links,
)

# The model's name among the systems, by input mode (text_only).
MODEL_SYSTEMS = {True: "boilerline-text", False: "boilerline-html"}


@dataclass
class Evaluation:
    """The scores (JSON-ready) and the runs they were computed from: the model's, the one of
    the top-level figures first, each with its p(content) per line, then the baselines'."""

    scores: dict
    model_runs: list[SystemRun]
    baseline_runs: list[SystemRun]


def predictions(
    model: PredictsPages, pages: Sequence[Page], text_only: bool, batch_pages: int = 256
) -> list[list[tuple[str | None, float | None]]]:
    """The model's (label, p_content) for every line of every page (links hidden when ``text_only``)."""
    inputs = [without_links(page) for page in pages] if text_only else list(pages)
    predicted: list[list[tuple[str | None, float | None]]] = []
    for start in range(0, len(inputs), batch_pages):
        predicted.extend(model.predict_pages(inputs[start : start + batch_pages]))
    return predicted


def predicted_labels(model: PredictsPages, pages: Sequence[Page], text_only: bool) -> list[list[str | None]]:
    """The model's label for every line of every page (links hidden when ``text_only``)."""
    return model_run(model, pages, text_only).labels


def model_modes(pages: Sequence[Page], text_only: bool, beside_baselines: bool) -> list[bool]:
    """The input modes (``text_only`` flags) to score the model in, the one asked for first:
    its figures are the top-level ones. Beside baselines, both modes when that one is HTML
    and some page has link counts."""
    if not beside_baselines:
        return [text_only]
    if text_only or all(page.link_chars is None for page in pages):
        return [True]
    return [False, True]


def evaluate(
    model: PredictsPages, pages: Sequence[Page], *, text_only: bool = False, baselines: Sequence[str] = (),
    html: Iterable[tuple[str, str]] = (), progress: Callable[[str], None] | None = None,
    extraction_cache: ExtractionCache | None = None,
) -> Evaluation:
    """Scores of ``model`` on labeled ``pages``; with ``baselines`` (names of
    ``training.baselines``) every system's too, under ``systems``. ``html`` gives the pages'
    HTML as (page id, HTML) pairs (``training.loading.html_records``); extractions kept in
    ``extraction_cache`` are not run again."""
    model_runs = [model_run(model, pages, mode) for mode in model_modes(pages, text_only, bool(baselines))]
    baseline_runs = run_baselines(baselines, pages, html, progress, extraction_cache)
    return Evaluation({"text_only": text_only, **system_scores(model_runs, baseline_runs)}, model_runs, baseline_runs)


def model_run(model: PredictsPages, pages: Sequence[Page], text_only: bool) -> SystemRun:
    """The model's labels and p(content) in one input mode, timed (featurizing and predicting)."""
    start = time.perf_counter()
    predicted = predictions(model, pages, text_only)
    seconds = time.perf_counter() - start
    return SystemRun(
        MODEL_SYSTEMS[text_only], list(pages), labels=[[label for label, _ in lines] for lines in predicted], seconds=seconds,
        p_content=[[p_content for _, p_content in lines] for lines in predicted],
    )


def system_scores(model_runs: Sequence[SystemRun], baseline_runs: Sequence[SystemRun]) -> dict:
    """The first model run's figures; beside baselines also ``systems``: every run's figures,
    its speed, its failed pages by reason and the pages it skipped (no HTML)."""
    runs = [*model_runs, *baseline_runs]
    figures = [run_figures(run) for run in runs]
    if not baseline_runs:
        return figures[0]
    systems = {
        run.name: {**run_figures, **run.speed(), "failed_pages": dict(run.failures), "skipped_pages": run.skipped_pages}
        for run, run_figures in zip(runs, figures)
    }
    return {**figures[0], "systems": systems}


def run_figures(run: SystemRun) -> dict:
    """A run's scores, and for a run with p(content) (the model's) its ``calibration``."""
    figures = score(run.pages, run.labels)
    if run.p_content is not None:
        figures["calibration"] = calibration(run.pages, run.p_content)
    return figures


def site_groups(pages: Sequence[Page]) -> np.ndarray:
    """One group per site; a page with no known site is a group of its own."""
    return np.array([page.site or f"{page.dataset}:{page.page_id}" for page in pages], dtype=object)


def site_folds(pages: Sequence[Page], k: int, tested: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """K (train, test) splits: the ``tested`` pages in K folds grouped by site, and for each
    fold every page (tested or not) of another site to train on. Test indexes count the
    tested pages only; train indexes count all pages."""
    groups = site_groups(pages)
    tested_groups = groups[tested]
    if len(set(tested_groups)) < k:
        raise ValueError(f"{k} folds need at least {k} sites; the data has {len(set(tested_groups))}")
    splits = GroupKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(tested_groups)), groups=tested_groups)
    return [(np.flatnonzero(~np.isin(groups, tested_groups[test])), test) for _, test in splits]


def cross_validate(
    pages: Sequence[Page], k: int, *, seed: int = DEFAULT_SEED, text_only: bool = True,
    progress: Callable[[str], None] | None = None, train_tables: TrainingTables | None = None,
    test_dataset: str | None = None, synthetic_per_direction: int = SYNTHETIC_PAGES_PER_DIRECTION,
    ciphered_share: float = CIPHERED_SITE_SHARE, baselines: Sequence[str] = (), html: Iterable[tuple[str, str]] = (),
    extraction_cache: ExtractionCache | None = None,
) -> Evaluation:
    """Train on K-1 folds and score the held-out fold, folds grouped by site, then score all
    held-out predictions together. No site has pages on both sides of a split.

    With ``test_dataset`` only that dataset's pages are split into folds and scored; every
    other page is always trained on (unless it shares a site with the held-out fold): how
    well a small set (a new language, a new kind of site) is served by a model trained on
    everything else plus the rest of that set.

    With ``baselines`` (and ``html``, as for ``evaluate``) every baseline is scored on the
    same held-out pages: they need no training, so one table compares all systems on the
    same folds (extractions kept in ``extraction_cache`` are not run again).

    Features are label-free and computed per page (repetition per site, and a site is never
    split), so the tables are computed once and sliced per fold. Pass ``train_tables`` (from
    ``training_tables(pages, seed)``) to reuse those already computed. Each fold's synthetic
    training pages, and its ciphered copies (``training.cipher``), are built from its own
    training pages only.
    """
    tested = np.array([test_dataset is None or page.dataset == test_dataset for page in pages])
    if not tested.any():
        raise ValueError(f"no page of dataset {test_dataset!r} in the data")
    folds = site_folds(pages, k, tested, seed)
    tested_pages = [pages[i] for i in np.flatnonzero(tested)]
    held_out = [held_out_run(tested_pages, mode) for mode in model_modes(tested_pages, text_only, bool(baselines))]
    # The HTML stages are fitted only where an HTML-mode figure is scored; where every page is
    # tested, the held-out HTML table is their training table.
    html_tables = [table for run, table in held_out if run.name == MODEL_SYSTEMS[False]]
    if train_tables is None:
        if progress:
            progress(f"featurizing {len(pages)} pages")
        as_read = html_tables[0] if html_tables and tested.all() else None
        train_tables = training_tables(pages, seed, html_stages=bool(html_tables), html=as_read)
    for fold_no, (train_pages, test_pages) in enumerate(folds, start=1):
        if progress:
            progress(f"fold {fold_no}/{k}: training on {len(train_pages)} pages, testing on {len(test_pages)}")
        fold_tables = train_tables.of_pages(train_pages, html=bool(html_tables))
        model = fit_model([pages[i] for i in train_pages], seed, fold_tables, synthetic_per_direction, ciphered_share)
        for run, test_table in held_out:
            predict_held_out(model, test_table, test_pages, run)
    model_runs = [run for run, _ in held_out]
    baseline_runs = run_baselines(baselines, tested_pages, html, progress, extraction_cache)
    scores = {
        "folds": k, "grouped_by": "site", "text_only": text_only, "seed": seed, "test_dataset": test_dataset,
        "synthetic_pages_per_direction": synthetic_per_direction, "ciphered_site_share": ciphered_share,
        **system_scores(model_runs, baseline_runs),
    }
    return Evaluation(scores, model_runs, baseline_runs)


def held_out_run(pages: Sequence[Page], text_only: bool) -> tuple[SystemRun, pd.DataFrame]:
    """An empty run of the model in one input mode over ``pages``, and their feature table
    (the time to featurize counted in the run)."""
    start = time.perf_counter()
    table = featurize([without_links(page) for page in pages] if text_only else pages)
    run = SystemRun(
        MODEL_SYSTEMS[text_only], list(pages), [None] * len(pages), time.perf_counter() - start, p_content=[None] * len(pages)
    )
    return run, table


def predict_held_out(model: PredictsPages, table: pd.DataFrame, test_pages: np.ndarray, run: SystemRun) -> None:
    """Label the held-out pages (numbers in ``table``'s page_no) into ``run``, with their
    p(content), timed."""
    start = time.perf_counter()
    scored = model.predict_table(table[table["page_no"].isin(test_pages)].copy())
    for page_no, p_content in scored.groupby("page_no")["p_content"]:
        run.labels[page_no] = labels_of(p_content, model.threshold)
        run.p_content[page_no] = [None if np.isnan(p) else float(p) for p in p_content]
    run.seconds += time.perf_counter() - start
