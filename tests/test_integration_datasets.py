"""The ``Dataset.map`` function (classifier/integrations/hf_datasets.py) and the shared
reading of texts (classifier/integrations/texts.py), on the seed pages, which are always
present, and an HTML page of the fixtures."""

from __future__ import annotations

import pickle

import pytest
from datasets import Dataset
from datasets.fingerprint import Hasher

from classifier.formats.records import cleaned_text, host_of
from classifier.integrations.hf_datasets import BoilerlineColumns, boilerline_columns
from classifier.integrations.texts import TextClassifier, looks_like_html
from classifier.io import page_from_record
from classifier.limits import Limits
from classifier.pipeline import loaded_model
from classifier.predictor import Predictor
from classifier.unrendered import UnrenderedPage
from tests.paths import ROOT, SEEDS

ARTICLE_HTML = (ROOT / "tests" / "fixtures" / "article.html").read_text(encoding="utf-8")
# A plain text that opens like a tag (a chat log) but holds no closing tag.
CHAT_LOG = "<bob> is the harbour library open on Sundays?\n<alice> yes, from ten to four\n\n<bob> thanks"


def rows() -> dict[str, list]:
    """The seed pages as text rows of one site, the fixture article as an HTML row of another,
    and a chat log, without a URL."""
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    return {
        "text": [*seeds, ARTICLE_HTML, CHAT_LOG],
        "url": [*(f"https://www.seed-news.example/{i}" for i in range(len(seeds))), "https://www.coastalgazette.example/news/harbour-library", None],
    }


def pages_as_the_readers_make_them(data: dict[str, list]) -> list:
    """The rows' pages through the project's readers: a JSONL record for text, a WARC
    response's page for HTML."""
    return [
        UnrenderedPage(str(row), text.encode("utf-8"), url, host_of(url)).render() if text.startswith("<!DOCTYPE")
        else page_from_record({"text": text, "url": url}, str(row))
        for row, (text, url) in enumerate(zip(data["text"], data["url"]))
    ]


def assert_columns_match(mapped: Dataset, pages: list, predictions: list) -> None:
    assert len(mapped) == len(pages)
    for row, page, page_predictions in zip(mapped, pages, predictions):
        labels = [label for label, _ in page_predictions]
        assert row["line_labels"] == labels
        assert row["line_p_content"] == [p for _, p in page_predictions]
        assert len(row["line_labels"]) == len(page.lines)
        assert row["content_text"] == cleaned_text(page.lines, labels)


def test_columns_are_the_predictors_for_the_pages_of_one_batch():
    data = rows()
    mapped = Dataset.from_dict(data).map(boilerline_columns, batched=True)
    pages = pages_as_the_readers_make_them(data)
    predictions = Predictor.load().predict_pages(pages)
    assert_columns_match(mapped, pages, predictions)
    assert mapped.column_names == ["text", "url", "content_text", "line_labels", "line_p_content"]
    # The HTML row was rendered (its lines are not the markup's), the chat log read as text.
    assert "<nav>" not in mapped[2]["content_text"] and "Harbour Town Opens New Library" in mapped[2]["content_text"]
    assert len(mapped[3]["line_labels"]) == len(CHAT_LOG.split("\n"))
    # Blank lines: no label and no probability, as in the JSONL output.
    blank = [i for i, line in enumerate(pages[0].lines) if not line.strip()]
    assert blank and all(mapped[0]["line_labels"][i] is None and mapped[0]["line_p_content"][i] is None for i in blank)


def test_each_batch_is_classified_on_its_own_and_the_model_is_loaded_once():
    data = rows()
    loaded_before = loaded_model.cache_info().misses
    mapped = Dataset.from_dict(data).map(boilerline_columns, batched=True, batch_size=1)
    Dataset.from_dict(data).map(boilerline_columns, batched=True, batch_size=2)
    assert loaded_model.cache_info().misses - loaded_before <= 1
    pages = pages_as_the_readers_make_them(data)
    predictor = Predictor.load()
    assert_columns_match(mapped, pages, [predictor.predict_pages([page])[0] for page in pages])


def test_options_reach_the_pages_and_the_model():
    data = {"html": [ARTICLE_HTML], "link": ["https://www.coastalgazette.example/news/harbour-library"]}
    columns = BoilerlineColumns(
        text_column="html", url_column="link",
        classifier=TextClassifier(input_format="text", threshold=0.9, limits=Limits(max_lines=12)),
    )
    mapped = Dataset.from_dict(data).map(columns, batched=True)
    # Read as text: the markup's own lines, the first 12 of them.
    page = page_from_record({"text": ARTICLE_HTML, "url": data["link"][0]}, "0")
    page = Limits(max_lines=12).apply(page)
    assert page.site == "coastalgazette.example"
    assert_columns_match(mapped, [page], Predictor.load().predict_pages([page], threshold=0.9))


def test_the_function_hashes_and_pickles_so_datasets_can_cache_it_and_send_it_to_processes():
    assert Hasher.hash(boilerline_columns) == Hasher.hash(BoilerlineColumns())
    assert Hasher.hash(boilerline_columns) != Hasher.hash(BoilerlineColumns(classifier=TextClassifier(threshold=0.7)))
    assert pickle.loads(pickle.dumps(boilerline_columns)) == boilerline_columns


@pytest.mark.parametrize("text, expected", [
    (ARTICLE_HTML, True),
    ("\ufeff  <html><body><p>Text</p></body></html>", True),
    ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Text</body></html>', True),
    ("<div class=story><p>A fragment</p></div>", True),
    (CHAT_LOG, False),
    ("Home | News\n\nThe minister said on Monday that the budget would grow.", False),
    ("<3 this library </3", False),
    ("", False),
])
def test_html_is_told_from_text(text, expected):
    assert looks_like_html(text) is expected


def test_bad_settings_and_columns_fail_with_one_line():
    with pytest.raises(ValueError, match="input_format must be one of auto, html, text"):
        TextClassifier(input_format="warc")
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        TextClassifier(threshold=50)
    with pytest.raises(KeyError, match="no column 'text'"):
        boilerline_columns({"body": ["Home"]})
    with pytest.raises(TypeError, match="batched=True"):
        boilerline_columns({"text": "Home"})
    with pytest.raises(TypeError, match="row 1 of the batch is NoneType"):
        boilerline_columns({"text": ["Home", None]})
