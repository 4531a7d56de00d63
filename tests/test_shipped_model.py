"""Quality gate for the shipped model (models/default.joblib).

The floors are pinned; never lower one silently. The seeds are not in the model's training
data, so they are a visible check on pages it never saw; their digest is pinned beside the
floor so a changed evaluation set cannot pass unnoticed.
"""

import hashlib

import pytest

from classifier import LineClassifier
from classifier.labeled import read_labeled_pages
from classifier.persistence import DEFAULT_MODEL_PATH, file_sha256, metadata_path
from tests.paths import GOLD
from training.evaluate import evaluate, predicted_labels

SEEDS_SHA256 = "31480d8b18bace26675b650db098e88011ea005f21e95c1a50f6050658815ad2"
# Issue 3's target (issue 2 asked 0.90), met by the shipped model: 0.935 (text-only) when
# trained on 2026-11-22 (the model with main-prose span features, no synthetic pages).
SEEDS_LINE_F1_FLOOR = 0.93


@pytest.fixture(scope="module")
def model():
    return LineClassifier.load()


@pytest.fixture(scope="module")
def seeds():
    assert hashlib.sha256(GOLD.read_bytes()).hexdigest() == SEEDS_SHA256, "seeds/gold.jsonl changed: review the floor"
    return list(read_labeled_pages(GOLD))


def test_metadata_describes_the_file(model):
    meta = model.metadata_
    assert meta["sha256"] == file_sha256(DEFAULT_MODEL_PATH)
    assert metadata_path(DEFAULT_MODEL_PATH).is_file()
    assert meta["feature_names"] == LineClassifier.revise_columns()
    assert "gold" not in meta["trained_on"]["datasets"], "the seeds are the visible check, not training data"
    assert meta["cv"]["grouped_by"] == "site" and meta["cv"]["text_only"]
    assert DEFAULT_MODEL_PATH.stat().st_size < 50 * 1024 * 1024


def test_seeds_text_only_line_f1_floor(model, seeds):
    scores = evaluate(model, seeds, text_only=True).scores
    assert scores["line"]["f1"] >= SEEDS_LINE_F1_FLOOR


def test_seed_000_every_line_right(model, seeds):
    page = next(page for page in seeds if page.page_id == "seed-000")
    [predicted] = predicted_labels(model, [page], text_only=True)
    wrong = [(line, gold) for line, gold, guess in zip(page.lines, page.labels, predicted) if gold != guess]
    assert wrong == []
