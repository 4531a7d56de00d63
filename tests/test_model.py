"""LineClassifier on small data: output shape, blank and empty pages, save/load identity, and
the two views (pages with link counts predicted by the HTML stages, the others by the general ones)."""

import json
from dataclasses import replace

import numpy as np
import pytest

from classifier import LineClassifier, ModelError, Page
from classifier.features import featurize
from classifier.labeled import read_labeled_pages, scored_mask
from classifier.model import LabeledTable, content_targets
from classifier.persistence import save_model
from classifier.predictor import HTML_PREFIX, Predictor, revise_columns
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


def test_the_revise_stage_reads_where_each_line_ranks_on_its_page(fitted):
    """``page_p_first_max`` and ``p_first_page_rank`` on the seeds, against their pandas
    definitions: the page's largest first-pass p, and the share of its other lines below."""
    table = fitted.predict_table(featurize(list(read_labeled_pages(GOLD))))
    p_first = table["p_first"].groupby(table["page_no"])
    np.testing.assert_array_equal(table["page_p_first_max"], p_first.transform("max").where(table["p_first"].notna()))
    n_scored = p_first.transform("count")
    expected_rank = np.where(n_scored > 1, (p_first.rank(method="min") - 1) / (n_scored - 1), np.nan)
    np.testing.assert_array_equal(table["p_first_page_rank"], expected_rank)
    at_max = table["p_first"] == table["page_p_first_max"]
    top_rank = table["p_first_page_rank"].groupby(table["page_no"]).transform("max")
    assert at_max.any() and (table.loc[at_max, "p_first_page_rank"] == top_rank[at_max]).all()


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


def labeled(pages: list[Page]) -> LabeledTable:
    return LabeledTable(featurize(pages), content_targets(pages), np.concatenate([scored_mask(page) for page in pages]))


@pytest.fixture(scope="module")
def two_views():
    """A model with HTML stages: the general ones fitted on the seeds as text, the HTML ones on
    the same pages with link counts (every line under 20 characters a link)."""
    pages = list(read_labeled_pages(GOLD))
    linked = [replace(page, link_chars=[len(line) if len(line) < 20 else 0 for line in page.lines]) for page in pages]
    return LineClassifier(max_iter=30).fit_tables(labeled(pages), labeled(linked)), pages, linked


def test_pages_with_link_counts_are_predicted_by_the_html_stages(two_views):
    model, pages, linked = two_views
    predictor = model.predictor()
    table = featurize([pages[0], linked[1], linked[0], pages[1]])
    predicted = predictor.predict_table(table.copy())
    from_html = table["has_link_info"].to_numpy() == 1
    for stages, view in ((predictor.general, ~from_html), (predictor.html, from_html)):
        expected = stages.predict_table(table[view].copy())["p_content"]
        np.testing.assert_array_equal(predicted.loc[view, "p_content"], expected)
    # The views differ, so the routing above is seen: the HTML stages read the link counts.
    linked_rows = table[from_html].copy()
    assert not np.allclose(
        predictor.general.predict_table(linked_rows.copy())["p_content"], predictor.html.predict_table(linked_rows)["p_content"],
        equal_nan=True,
    )


def test_the_general_log_odds_shift_moves_the_general_stages_only(two_views):
    """The same fit with the general stages' log-odds raised: every text-mode line's log-odds
    is higher by exactly the shift (its decision at 0.5 is the unshifted one's at 0.4), and
    the HTML stages' outputs are untouched."""
    model, pages, linked = two_views
    shift = np.log(0.6 / 0.4)
    shifted = LineClassifier(max_iter=30, general_log_odds_shift=shift).fit_tables(labeled(pages), labeled(linked))

    def log_odds(clf, batch):
        p = np.concatenate(clf.predict_proba_pages(batch))
        p = p[~np.isnan(p)]
        return np.log(p / (1 - p))

    np.testing.assert_allclose(log_odds(shifted, pages), log_odds(model, pages) + shift, atol=1e-9)
    np.testing.assert_array_equal(log_odds(shifted, linked), log_odds(model, linked))
    # The shift is a property of the fitted stages: it survives the arrays file.
    saved = Predictor.from_arrays(shifted.predictor().arrays())
    assert saved.general.revise.baseline == pytest.approx(model.predictor().general.revise.baseline + shift)


def test_a_model_without_html_stages_predicts_every_page_with_the_general_ones(two_views):
    """Arrays of layout 1 (saved before the HTML stages) hold the general stages only."""
    model, _, linked = two_views
    arrays = {name: values for name, values in model.predictor().arrays().items() if not name.startswith(HTML_PREFIX)}
    arrays["layout"] = np.array(1)
    general_only = Predictor.from_arrays(arrays)
    assert general_only.html is None
    table = featurize(linked)
    np.testing.assert_array_equal(
        general_only.predict_table(table.copy())["p_content"], model.predictor().general.predict_table(table)["p_content"]
    )


def test_save_load_identity_of_both_views(two_views, tmp_path):
    model, pages, linked = two_views
    path = tmp_path / "m.joblib"
    model.save(path)
    for loaded in (LineClassifier.load(path), Predictor.load(path)):
        for before, after in zip(model.predict_proba_pages([*pages, *linked]), loaded.predict_proba_pages([*pages, *linked])):
            np.testing.assert_array_equal(before, after)


def test_a_model_saved_before_the_log_odds_shift_loads_unshifted(fitted, tmp_path):
    """A model pickled before ``general_log_odds_shift`` existed (its stages fitted without
    one) loads, predicts as it did, and has the parameter as 0 (repr and clone need it)."""
    older = LineClassifier(max_iter=30)
    older.__dict__.update({name: value for name, value in vars(fitted).items() if name != "_predictor"})
    del older.__dict__["general_log_odds_shift"]
    path = tmp_path / "older.joblib"
    save_model(older, fitted.predictor().arrays(), path, {})
    loaded = LineClassifier.load(path)
    assert loaded.get_params()["general_log_odds_shift"] == 0.0 and "LineClassifier(max_iter=30)" == repr(loaded)
    pages = list(read_labeled_pages(GOLD))
    for before, after in zip(fitted.predict_proba_pages(pages), loaded.predict_proba_pages(pages)):
        np.testing.assert_array_equal(before, after)


def test_load_refuses_a_model_saved_before_the_views(fitted, tmp_path):
    """A pickle of the one-view LineClassifier (stages as its own attributes) is refused with
    a one-line error, not a failure at its first prediction."""
    old = LineClassifier(max_iter=30)
    old.__dict__.update({"feature_names_": revise_columns(), **vars(fitted.general_)})
    path = tmp_path / "old.joblib"
    save_model(old, fitted.predictor().arrays(), path, {})
    with pytest.raises(ModelError, match="older boilerline.*retrain"):
        LineClassifier.load(path)
