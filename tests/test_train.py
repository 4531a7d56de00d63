"""Training inputs: line weights, the lexical model's text."""

from classifier.annotation import format_page, read_annotated_pages
from classifier.labeled import LABELED_BY_HAND
from classifier.predictor import lexical_document
from classifier.page import Page
from training.labeling import label_record
from training.train import HAND_LABELED_WEIGHT, line_weights


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
    text = [lexical_document(key) for key in ["read more: 12 ways", "المصدر: وكالات", ""]]
    assert text[0] == "read more: 00 ways §read §more: §00"
    assert text[1].endswith("§المصدر: §وكالات")
