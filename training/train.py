"""The training loop: labeled pages -> fitted LineClassifier -> model file + metadata."""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from classifier.features import featurize, stack_tables
from classifier.labeled import LABELED_BY_HAND, scored_mask
from classifier.model import LabeledTable, LineClassifier, content_targets
from classifier.page import Page
from training.augment import mixed_script_pages
from training.cipher import ciphered_pages
from training.labeling import LABELER_VERSION

# Share of training pages whose link counts and structure are hidden, so the model also learns to work
# from plain text (WET dumps, Resiliparse output) where no HTML is at hand.
LINK_DROPOUT_SHARE = 0.5
# Lines learned from per page, sampled at random: long pages (big menus, comment threads)
# would otherwise dominate; 200 keeps 70% of the scored lines of ../shared/data.
MAX_TRAINING_LINES_PER_PAGE = 200
DEFAULT_SEED = 0
# Weight of a hand-labeled line (a human read it) against a line labeled by aligning a page
# with its gold text: the few dozen hand-labeled pages (Arabic and mixed-script ones, and a
# user's corrected annotation files) are not to be drowned by thousands of aligned pages.
HAND_LABELED_WEIGHT = 5.0
# The general stages (which read plain text) call content where p >= 0.4 rather than 0.5:
# their final log-odds are raised by log(0.6 / 0.4), so that 0.5 stays the decision in both
# modes. Out of fold (3 site-grouped folds over ../shared/data, docs/evaluation.md) text-mode
# line F1 is 0.764 with it and 0.759 without; recall is text mode's weak side.
GENERAL_LOG_ODDS_SHIFT = math.log(0.6 / 0.4)
# Synthetic mixed-script pages per direction (training/augment.py) added to the training
# pages. None by default: in site-grouped CV over the Arabic pages they cost Arabic recall
# (docs/evaluation-history.md, "Synthetic pages"); `--synthetic N` reruns that comparison.
SYNTHETIC_PAGES_PER_DIRECTION = 0
# Share of the Latin-script sites whose pages the general stages also learn from as ciphered
# copies (training/cipher.py): the same pages in a language the model cannot read. In the
# cheap protocol (docs/evaluation.md, "Languages the model has never read") they gain text
# mode 4.5 to 6 points of line F1 on ciphered held-out sites; in the 5-fold run from text the
# pooled figure holds (0.781), the languages with few pages gain and the Chinese and Japanese
# pages lose. `--ciphered-share 0` turns them off.
CIPHERED_SITE_SHARE = 0.3


def without_links(page: Page) -> Page:
    """The page as plain text gives it: no link counts, no HTML structure."""
    if page.link_chars is None and page.structure is None:
        return page
    return replace(page, link_chars=None, structure=None)


def drop_links(pages: Sequence[Page], share: float, seed: int) -> list[Page]:
    """Hide the link counts of a random ``share`` of pages (fixed by ``seed``)."""
    rng = random.Random(seed)
    return [without_links(page) if rng.random() < share else page for page in pages]


def targets(pages: Sequence[Page], seed: int = DEFAULT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Per line of all pages: 1 for content, and whether the label is learned from (scored,
    and among at most MAX_TRAINING_LINES_PER_PAGE lines sampled per page)."""
    rng = np.random.default_rng(seed)
    y = content_targets(pages)
    masks = []
    for page in pages:
        mask = np.array(scored_mask(page), dtype=bool)
        scored = np.flatnonzero(mask)
        if len(scored) > MAX_TRAINING_LINES_PER_PAGE:
            mask[rng.choice(scored, len(scored) - MAX_TRAINING_LINES_PER_PAGE, replace=False)] = False
        masks.append(mask)
    return y, np.concatenate(masks) if masks else np.array([], dtype=bool)


@dataclass
class TrainingTables:
    """The feature tables a model learns from, rows in page order: ``general`` with the link
    counts and structure of a seeded share of pages hidden (the general stages), and ``html``
    with every page as read (the HTML stages learn from its pages with link counts); no
    ``html`` where no HTML stages are to be fitted (a text-only cross-validation)."""

    general: pd.DataFrame
    html: pd.DataFrame | None

    def of_pages(self, page_numbers: np.ndarray, html: bool = True) -> TrainingTables:
        """The rows of the pages numbered ``page_numbers`` (a fold's training pages); the
        ``html`` table's only if ``html``."""
        def rows(table: pd.DataFrame) -> pd.DataFrame:
            return table[table["page_no"].isin(page_numbers).to_numpy()]

        return TrainingTables(rows(self.general), rows(self.html) if html and self.html is not None else None)


def training_tables(
    pages: Sequence[Page], seed: int = DEFAULT_SEED, html_stages: bool = True, html: pd.DataFrame | None = None
) -> TrainingTables:
    """The feature tables to learn from (see ``TrainingTables``), the HTML one only with
    ``html_stages``; ``html``: the pages' table as read, where it is already computed
    (``featurize(pages)``)."""
    if html_stages and html is None:
        html = featurize(pages)
    return TrainingTables(featurize(drop_links(pages, LINK_DROPOUT_SHARE, seed)), html if html_stages else None)


def fit_model(
    pages: Sequence[Page], seed: int = DEFAULT_SEED, tables: TrainingTables | None = None,
    synthetic_per_direction: int = SYNTHETIC_PAGES_PER_DIRECTION, ciphered_share: float = CIPHERED_SITE_SHARE,
) -> LineClassifier:
    """Fit a LineClassifier on labeled pages: its general stages on them plus
    ``synthetic_per_direction`` synthetic mixed-script pages per direction and the ciphered
    copies of a ``ciphered_share`` of their Latin-script sites (``training.cipher``), all
    built from them; and where ``tables`` has an HTML table, its HTML stages on the pages with
    link counts (``tables``: the pages' precomputed training tables, rows in page order).

    The ciphered copies are for the general stages only: they read plain text, where the words
    are most of what a line shows. The HTML stages read the page's structure, which is the
    same in any language; with the copies they lost as much as they gained from HTML, in the
    cheap protocol (docs/evaluation.md, "Languages the model has never read")."""
    augmented = [*mixed_script_pages(pages, seed, synthetic_per_direction), *ciphered_pages(pages, seed, ciphered_share)]
    tables = training_tables(pages, seed) if tables is None else tables
    general = tables.general
    if augmented:
        # A batch of their own, so that the copies' sites' repetition is counted over them only.
        general = stack_tables([general, featurize(drop_links(augmented, LINK_DROPOUT_SHARE, seed))])
    html_pages = [page for page in pages if page.link_chars is not None] if tables.html is not None else []
    html = None
    if html_pages:
        from_html = tables.html["has_link_info"].to_numpy() == 1
        html = labeled_table(tables.html if from_html.all() else tables.html[from_html], html_pages, seed)
    model = LineClassifier(random_state=seed, general_log_odds_shift=GENERAL_LOG_ODDS_SHIFT)
    return model.fit_tables(labeled_table(general, [*pages, *augmented], seed), html)


def labeled_table(table: pd.DataFrame, pages: Sequence[Page], seed: int) -> LabeledTable:
    """``table`` (the rows of ``pages``, in order) with their targets, learned rows and weights."""
    y, mask = targets(pages, seed)
    return LabeledTable(table, y, mask, line_weights(pages))


def line_weights(pages: Sequence[Page]) -> np.ndarray:
    """The training weight of every line of ``pages``."""
    page_weights = [HAND_LABELED_WEIGHT if page.extra.get(LABELED_BY_HAND) else 1.0 for page in pages]
    return np.repeat(page_weights, [len(page.lines) for page in pages])


def data_digest(pages: Sequence[Page]) -> str:
    """sha256 over the labeled pages as trained on (ids, lines, labels, link counts, masks)."""
    digest = hashlib.sha256()
    for page in pages:
        record = [page.page_id, page.lines, page.labels, page.link_chars, page.extra.get("scored")]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def train(
    pages: Sequence[Page], out: Path, *, seed: int = DEFAULT_SEED, sources: Sequence[str] = (),
    cv_scores: dict | None = None, tables: TrainingTables | None = None,
    synthetic_per_direction: int = SYNTHETIC_PAGES_PER_DIRECTION, ciphered_share: float = CIPHERED_SITE_SHARE,
) -> dict:
    """Fit on all ``pages`` and save the model with its metadata; return the metadata."""
    model = fit_model(pages, seed, tables, synthetic_per_direction, ciphered_share)
    metadata = {
        "trained_on": {
            "sources": list(sources),
            "pages": len(pages),
            "lines_scored": sum(sum(scored_mask(page)) for page in pages),
            "sites": len({page.site for page in pages}),
            "datasets": sorted({page.dataset or "unknown" for page in pages}),
            "data_sha256": data_digest(pages),
            # The rules that turned the datasets' golds into line labels (hand labels are as given).
            "labeler_version": LABELER_VERSION,
        },
        "seed": seed,
        "link_dropout_share": LINK_DROPOUT_SHARE,
        "general_log_odds_shift": GENERAL_LOG_ODDS_SHIFT,
        "html_stages": model.html_ is not None,
        "hand_labeled_weight": HAND_LABELED_WEIGHT,
        "synthetic_pages_per_direction": synthetic_per_direction,
        "ciphered_site_share": ciphered_share,
        "cv": cv_scores,
    }
    return model.save(out, metadata)
