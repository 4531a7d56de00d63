"""Evaluation: a model on labeled pages, or K folds grouped by site."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from classifier.features import featurize
from classifier.model import LineClassifier, labels_of
from classifier.page import Page
from training.metrics import score
from training.train import DEFAULT_SEED, fit_model, training_table, without_links


def predicted_labels(model: LineClassifier, pages: Sequence[Page], text_only: bool, batch_pages: int = 256) -> list[list[str | None]]:
    """The model's label for every line of every page (links hidden when ``text_only``)."""
    inputs = [without_links(page) for page in pages] if text_only else list(pages)
    labels: list[list[str | None]] = []
    for start in range(0, len(inputs), batch_pages):
        for predictions in model.predict_pages(inputs[start : start + batch_pages]):
            labels.append([label for label, _ in predictions])
    return labels


def evaluate(model: LineClassifier, pages: Sequence[Page], *, text_only: bool = False) -> dict:
    """Scores of ``model`` on labeled ``pages``."""
    return {"text_only": text_only, **score(pages, predicted_labels(model, pages, text_only))}


def site_groups(pages: Sequence[Page]) -> np.ndarray:
    """One group per site; a page with no known site is a group of its own."""
    return np.array([page.site or f"{page.dataset}:{page.page_id}" for page in pages], dtype=object)


def cross_validate(
    pages: Sequence[Page], k: int, *, seed: int = DEFAULT_SEED, text_only: bool = True,
    progress: Callable[[str], None] | None = None, train_table: pd.DataFrame | None = None,
) -> dict:
    """Train on K-1 folds and score the held-out fold, folds grouped by site, then score all
    held-out predictions together. No site has pages on both sides of a split.

    Features are label-free and computed per page (repetition per site, and a site is never
    split), so both tables are computed once for all pages and sliced per fold. Pass
    ``train_table`` (from ``training_table(pages, seed)``) to reuse one already computed.
    Each fold's synthetic training pages are built from its own training pages only.
    """
    groups = site_groups(pages)
    if len(set(groups)) < k:
        raise ValueError(f"{k} folds need at least {k} sites; the data has {len(set(groups))}")
    if progress:
        progress(f"featurizing {len(pages)} pages")
    if train_table is None:
        train_table = training_table(pages, seed)
    test_table = featurize([without_links(page) for page in pages] if text_only else pages)
    predicted: list[list[str | None] | None] = [None] * len(pages)
    folds = GroupKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(pages)), groups=groups)
    for fold_no, (train_pages, test_pages) in enumerate(folds, start=1):
        if progress:
            progress(f"fold {fold_no}/{k}: training on {len(train_pages)} pages, testing on {len(test_pages)}")
        # fit_model stacks the fold's rows with its synthetic pages into a new table.
        fold_table = train_table[train_table["page_no"].isin(train_pages).to_numpy()]
        model = fit_model([pages[i] for i in train_pages], seed, fold_table)
        scored = model.predict_table(test_table[test_table["page_no"].isin(test_pages)].copy())
        for page_no, p_content in scored.groupby("page_no")["p_content"]:
            predicted[page_no] = labels_of(p_content, model.threshold)
    return {"folds": k, "grouped_by": "site", "text_only": text_only, "seed": seed, **score(pages, predicted)}
