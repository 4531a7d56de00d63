"""Training inputs: line weights, the lexical model's text, the tables of the two views."""

from dataclasses import replace

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from classifier.annotation import format_page, read_annotated_pages
from classifier.labeled import LABELED_BY_HAND, read_labeled_pages
from classifier.model import LEXICAL_HASH_FEATURES, LEXICAL_NGRAMS
from classifier.ngram_hashing import lexical_inputs
from classifier.page import Page
from training.labeling import label_record
from tests.paths import GOLD
from training.train import HAND_LABELED_WEIGHT, fit_model, line_weights, training_tables


def test_hand_labeled_lines_weigh_more(tmp_path):
    by_hand = label_record({"id": "1", "dataset": "arabic", "gold_type": "human_lines", "html": "",
                            "lines": ["الرئيسية", "نص المقال هنا."], "labels": ["chrome", "content"]})
    aligned = Page("2", ["Home", "", "Text"], labels=["chrome", None, "content"])
    annotation = tmp_path / "site.annotated.txt"
    annotation.write_text(format_page(aligned, aligned.labels), encoding="utf-8")
    corrected = next(read_annotated_pages(annotation))
    assert by_hand.extra[LABELED_BY_HAND] and corrected.extra[LABELED_BY_HAND]
    weights = line_weights([by_hand, aligned, corrected])
    assert weights.tolist() == [HAND_LABELED_WEIGHT] * 2 + [1.0] * 3 + [HAND_LABELED_WEIGHT] * 3


def test_lexical_text_marks_the_opening_words_and_hides_digit_values():
    """The lexical input of a key is the vectorizer's on its document, written out here by hand."""
    keys = ["read more: 12 ways", "المصدر: وكالات", "", "Read More: 7 ways"]
    documents = ["read more: 00 ways §read §more: §00", "المصدر: وكالات §المصدر: §وكالات", " ", "read more: 0 ways §read §more: §0"]
    key_documents, hashed = lexical_inputs(keys, LEXICAL_NGRAMS, LEXICAL_HASH_FEATURES)
    vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=LEXICAL_NGRAMS, n_features=LEXICAL_HASH_FEATURES, alternate_sign=False)
    expected = vectorizer.transform(documents)
    actual = hashed.matrix()[key_documents]
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(actual, part), getattr(expected, part))


def test_the_html_stages_learn_from_the_pages_with_link_counts_only():
    """The general stages learn from every page (half of them with links hidden); the HTML
    stages from the pages that have link counts, as read, and there are none without such pages."""
    pages = list(read_labeled_pages(GOLD))
    assert all(page.link_chars is None for page in pages)
    assert fit_model(pages).html_ is None
    linked = [replace(page, link_chars=[0] * len(page.lines)) for page in pages]
    tables = training_tables([*pages, *linked])
    assert (tables.html["has_link_info"] == 1).sum() == sum(len(page.lines) for page in linked)
    model = fit_model([*pages, *linked], tables=tables)
    assert model.html_ is not None and model.html_.revise_.n_features_in_ == len(model.feature_names_)
    assert fit_model([*pages, *linked], tables=training_tables([*pages, *linked], html_stages=False)).html_ is None
