"""LineClassifier on small data: output shape, blank and empty pages, save/load identity."""

import json

import numpy as np
import pytest

from classifier import LineClassifier, ModelError, Page
from classifier.labeled import read_labeled_pages
from classifier.predictor import revise_columns
from tests.paths import GOLD


@pytest.fixture(scope="module")
def fitted():
    return LineClassifier(max_iter=30).fit(list(read_labeled_pages(GOLD)))


def test_predict_gives_a_label_and_probability_per_nonblank_line(fitted):
    lines = ["Home", "", "The minister said on Monday that the budget would grow.", "   "]
    result = fitted.predict(lines)
    assert [label for label, _ in result][1::2] == [None, None]
    for label, p in result[0::2]:
        assert label in ("content", "chrome") and 0.0 <= p <= 1.0


def test_empty_and_blank_pages_in_a_batch(fitted):
    pages = [Page("empty", []), Page("blank", ["", " "]), Page("text", ["Hello there, this is a page."])]
    results = fitted.predict_pages(pages)
    assert results[0] == [] and results[1] == [(None, None), (None, None)]
    assert len(results[2]) == 1 and results[2][0][0] in ("content", "chrome")


def test_threshold_moves_labels(fitted):
    lines = ["A line of text that the model will score somewhere between zero and one."]
    [(_, p)] = fitted.predict(lines)
    assert fitted.predict(lines, threshold=min(1.0, p + 1e-6))[0][0] == "chrome"
    assert fitted.predict(lines, threshold=p)[0][0] == "content"


def test_save_load_identity(fitted, tmp_path):
    pages = list(read_labeled_pages(GOLD))
    path = tmp_path / "m.joblib"
    meta = fitted.save(path, {"note": "test"})
    loaded = LineClassifier.load(path)
    for before, after in zip(fitted.predict_proba_pages(pages), loaded.predict_proba_pages(pages)):
        np.testing.assert_array_equal(before, after)
    assert loaded.metadata_["note"] == "test" and meta["feature_names"] == revise_columns()


def test_load_refuses_changed_features_and_tampered_files(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    fitted.save(path)
    meta_file = path.with_suffix(".json")
    meta = json.loads(meta_file.read_text())
    meta["feature_names"] = meta["feature_names"][:-1]
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="feature list differs"):
        LineClassifier.load(path)
    with open(path, "ab") as handle:
        handle.write(b"x")
    with pytest.raises(ModelError, match="sha256"):
        LineClassifier.load(path)


def test_fit_needs_both_classes():
    page = Page("p", ["only chrome here"], labels=["chrome"])
    with pytest.raises(ValueError, match="both content and chrome"):
        LineClassifier().fit([page])
