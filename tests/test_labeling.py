"""Tests of the dataset-to-labeled-page conversion (training.labeling and its helpers)."""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path

import pytest

from classifier.labeled import read_labeled_pages, scored_mask, write_labeled_pages
from classifier.page import CHROME, CONTENT
from training.datasets import iter_records, resolve_data_dir, site_of
from training.labeling import build_labeled_pages, label_record

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE_HTML = (FIXTURES / "article.html").read_text(encoding="utf-8")

HEADLINE = "Harbour Town Opens New Library"
BODY = [
    "The new public library in Harbour Town opened its doors on Saturday morning to a crowd "
    "of several hundred residents.",
    "The building replaces the old reading room on Quay Street, which had served the town for "
    "more than sixty years and had become too small for the growing collection.",
    "Local officials said the project was the biggest public investment in the town since the "
    "harbour wall was rebuilt, and that the news of its opening had spread quickly from home "
    "to home across the whole county.",
]


def record(**fields) -> dict:
    base = {"id": "1", "dataset": "testset", "site": "", "url": None, "lang": "en", "html": ARTICLE_HTML}
    base.update(fields)
    return base


def label_of(page, text: str) -> str | None:
    """The label of the first line whose stripped text is ``text``."""
    for line, label in zip(page.lines, page.labels):
        if line.strip().lstrip("• ").strip() == text:
            return label
    raise AssertionError(f"no line {text!r} in {page.lines}")


@pytest.fixture
def article_page():
    # Gold without the headline, as scrapinghub-style, newspaper and wcxb golds are.
    return label_record(record(gold_type="human_full", gold="\n".join(BODY)))


def test_body_lines_are_content(article_page):
    for paragraph in BODY:
        assert label_of(article_page, paragraph) == CONTENT


def test_headline_left_out_of_gold_is_content(article_page):
    assert label_of(article_page, HEADLINE) == CONTENT


def test_menu_words_found_in_the_body_stay_chrome(article_page):
    # "news" and "home" are words of the third paragraph, but not inside a long in-order run.
    for text in ["Home", "News", "Sport", "Weather"]:
        assert label_of(article_page, text) == CHROME


def test_related_list_and_footer_are_chrome(article_page):
    for text in [
        "Read more",
        "Ferry timetable changes for winter",
        "© 2024 Coastal Gazette. All rights reserved.",
        "Privacy Contact us",
    ]:
        assert label_of(article_page, text) == CHROME


def test_labels_are_null_exactly_on_blank_lines(article_page):
    for line, label in zip(article_page.lines, article_page.labels):
        assert (label is None) == (line.strip() == "")


def test_page_identity(article_page):
    assert article_page.page_id == "testset/1"
    assert article_page.dataset == "testset"
    assert article_page.site == "coastalgazette.example"
    assert article_page.link_chars is not None


def test_without_snippets_are_chrome_even_inside_the_gold():
    page = label_record(record(gold_type="ai_generated", gold="\n".join(BODY), without=[BODY[1], "Home"]))
    assert label_of(page, BODY[1]) == CHROME
    assert label_of(page, BODY[0]) == CONTENT


def test_partial_snippets_score_only_covered_lines():
    page = label_record(
        record(
            gold_type="partial_snippets",
            gold="replaces the old reading room on Quay Street\nseveral hundred residents",
            without=["Fish market reopens after storm damage"],
        )
    )
    scored_lines = {page.lines[i].strip().lstrip("• ").strip() for i in page.extra["scored"]}
    assert scored_lines == {BODY[0], BODY[1], "Fish market reopens after storm damage"}
    assert label_of(page, BODY[0]) == CONTENT
    assert label_of(page, "Fish market reopens after storm damage") == CHROME
    mask = scored_mask(page)
    assert sum(mask) == 3
    assert not mask[page.lines.index("  • Home")]


def test_partial_snippets_without_any_match_are_skipped():
    assert label_record(record(gold_type="partial_snippets", gold="text that is not on the page")) is None


def test_scored_survives_the_cache(tmp_path):
    page = label_record(record(gold_type="partial_snippets", gold="several hundred residents"))
    path = tmp_path / "testset.abc.jsonl.gz"
    write_labeled_pages([page], path)
    (restored,) = read_labeled_pages(path)
    assert restored.extra["scored"] == page.extra["scored"]
    assert restored.labels == page.labels


ANNOTATED_HTML = """<html><body>
<ul><li><span class="x-nc-sel0">Home</span></li><li><span class="x-nc-sel0">News</span></li></ul>
<h1><span class="x-nc-sel1">Harbour Town Opens New Library</span></h1>
<p><span class="x-nc-sel3">By Jane Smith</span></p>
<p><span class="x-nc-sel2">The new public library in Harbour Town opened its doors on Saturday morning.</span></p>
<p><span class="x-nc-sel3">Residents queue outside the new library on Quay Street before the doors open on Saturday.</span></p>
<p><span class="x-nc-sel2">The building replaces the old reading room, which had become too small.</span></p>
<p><span class="x-nc-sel4">Ferry timetable changes for winter</span></p>
<p><span class="x-nc-sel5">Great news for the town, says a reader in the comments below</span></p>
</body></html>"""


def test_l3s_annotated_classes():
    page = label_record(
        record(dataset="l3s_gn1", gold_type="human_annotated_dom", gold="x", annotated_html=ANNOTATED_HTML,
               html=ANNOTATED_HTML.replace("x-nc-sel", "plain"))
    )
    assert label_of(page, "Home") == CHROME
    assert label_of(page, HEADLINE) == CONTENT
    assert label_of(page, "By Jane Smith") == CHROME  # supplemental byline
    assert label_of(page, "The building replaces the old reading room, which had become too small.") == CONTENT
    caption = "Residents queue outside the new library on Quay Street before the doors open on Saturday."
    assert label_of(page, caption) == CONTENT  # supplemental caption
    assert label_of(page, "Ferry timetable changes for winter") == CHROME
    assert label_of(page, "Great news for the town, says a reader in the comments below") == CHROME


def hand_labeled_record(**fields) -> dict:
    base = {"id": "a", "dataset": "arabic", "gold_type": "human_lines", "site": "example.org", "html": "<p>x</p>",
            "lines": ["Menu", "", "Body text of the page"], "labels": [CHROME, None, CONTENT],
            "kind": "latin-content-arabic-chrome", "doubt": []}
    base.update(fields)
    return base


def test_hand_labeled_record_is_kept_as_given():
    page = label_record(hand_labeled_record())
    assert page.labels == [CHROME, None, CONTENT]
    assert page.kind == "latin-content-arabic-chrome"
    assert page.link_chars is None  # the given lines differ from this HTML's rendering


def test_hand_labeled_datasets_bypass_the_cache(tmp_path):
    data_dir, cache_dir = tmp_path / "data", tmp_path / "cache"
    data_dir.mkdir()
    for name, records in {
        "arabic": [hand_labeled_record(id="1"), hand_labeled_record(id="2", kind="arabic-content-latin-chrome")],
        "testset": [record(gold_type="human_full", gold="\n".join(BODY))],
    }.items():
        with gzip.open(data_dir / f"{name}.jsonl.gz", "wt", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r) + "\n" for r in records)
    pages, counts = build_labeled_pages(data_dir, n_jobs=1, cache_dir=cache_dir)
    assert [page.kind for page in pages if page.dataset == "arabic"] == ["latin-content-arabic-chrome", "arabic-content-latin-chrome"]
    assert [path.name.split(".")[0] for path in cache_dir.iterdir()] == ["testset"]
    assert not counts["arabic"].from_cache
    assert build_labeled_pages(data_dir, n_jobs=1, cache_dir=cache_dir)[1]["testset"].from_cache


def test_shared_arabic_pages_carry_their_kind(shared_data, tmp_path):
    pages, _ = build_labeled_pages(shared_data, datasets=["arabic"], cache_dir=tmp_path)
    assert {page.kind for page in pages} == {"arabic-content-arabic-chrome", "arabic-content-latin-chrome", "latin-content-arabic-chrome"}
    assert not any(tmp_path.iterdir())


def test_odd_records_are_skipped_not_raised():
    assert label_record({}) is None
    assert label_record(record(gold_type="human_full", gold="")) is None
    assert label_record(record(gold_type="human_full", gold="words that are nowhere on the page at all")) is None
    assert label_record(record(gold_type="human_full", gold="x", html=None)) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"site": "www.example.com", "url": "https://other.org/"}, "example.com"),
        ({"url": "https://www.example.com/a/b"}, "example.com"),
        ({"html": '<head><link href="https://news.example.net/x" rel="canonical"></head>'}, "news.example.net"),
        ({"html": '<head><meta property="og:url" content="http://www.og.example/p"></head>'}, "og.example"),
        ({"html": "<p>no hint</p>"}, "testset:7"),
    ],
)
def test_site_of_fallbacks(fields, expected):
    base = {"id": "7", "dataset": "testset", "site": "", "url": None, "html": ""}
    base.update(fields)
    assert site_of(base) == expected


def test_first_cleaneval_pages_have_a_sane_content_share():
    try:
        data_dir = resolve_data_dir(None)
    except FileNotFoundError:
        pytest.skip("../shared/data not found; set BOILERLINE_DATA")
    pages = [label_record(r) for r in islice(iter_records(data_dir / "cleaneval.jsonl.gz"), 5)]
    pages = [page for page in pages if page is not None]
    assert len(pages) >= 4
    labels = [label for page in pages for label in page.labels if label is not None]
    content_share = labels.count(CONTENT) / len(labels)
    assert 0.15 < content_share < 0.9


def test_user_comments_after_dragnets_comments_marker_are_chrome(shared_data):
    """dragnet's gold of page 39 holds its article, "!@#$%^&*() COMMENTS" and 572 lines of
    user comments: chrome by LABELING.md, so the page's labels end with the article."""
    [record] = [record for record in iter_records(shared_data / "dragnet.jsonl.gz") if record["id"] == "39"]
    assert "!@#$%^&*() COMMENTS" in record["gold"]
    page = label_record(record)
    assert label_of(page, "Anna — July 18th, 2012, 4:09 pm") == CHROME
    assert label_of(page, "Very well-timed article for me. Thanks! :)") == CHROME
    assert label_of(page, "So, make sure that someone is you.") == CONTENT
    with_comments = label_record({**record, "gold": record["gold"].replace("!@#$%^&*() COMMENTS", "")})
    assert label_of(with_comments, "Very well-timed article for me. Thanks! :)") == CONTENT
    assert page.labels.count(CONTENT) < with_comments.labels.count(CONTENT) / 3


CODE_ARTICLE_HTML = """<html><body>
<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
<article>
<h1>Counting words in Go</h1>
<p>This post shows a small program that counts the words of a file and prints the most common ones.</p>
<pre><code>func main() {
    counts := map[string]int{}
}</code></pre>
<p>The map holds one entry per word, and the program sorts the entries by their counts at the end.</p>
<pre><code>sort.Slice(entries, less)</code></pre>
<p>That is all the program needs to print the ten most common words of any file you give it.</p>
</article>
<footer><pre><code>&lt;script src="https://example.com/embed.js"&gt;&lt;/script&gt;</code></pre>
<p>Copyright 2026 Example Blog</p></footer>
</body></html>"""
CODE_ARTICLE_PROSE = [
    "This post shows a small program that counts the words of a file and prints the most common ones.",
    "The map holds one entry per word, and the program sorts the entries by their counts at the end.",
    "That is all the program needs to print the ten most common words of any file you give it.",
]


def test_code_inside_the_article_that_the_gold_leaves_out_is_not_scored():
    """LABELING.md keeps an article's code blocks; a gold that leaves one out (as wcxb's do)
    cannot say so, nor can an aligned gold for a line without words ("}")."""
    gold = "\n".join([CODE_ARTICLE_PROSE[0], CODE_ARTICLE_PROSE[1], "sort.Slice(entries, less)", CODE_ARTICLE_PROSE[2]])
    page = label_record(record(gold_type="ai_generated", gold=gold, html=CODE_ARTICLE_HTML))
    scored = {page.lines[i].strip() for i, is_scored in enumerate(scored_mask(page)) if is_scored}
    left_out = {"func main() {", "counts := map[string]int{}", "}"}
    assert left_out <= {line.strip() for line in page.lines} and not left_out & scored
    assert label_of(page, "sort.Slice(entries, less)") == CONTENT and "sort.Slice(entries, less)" in scored
    assert all(label_of(page, line) == CONTENT and line in scored for line in CODE_ARTICLE_PROSE)
    # Code after the article, and chrome that is not code, keep their chrome label.
    embed = '<script src="https://example.com/embed.js"></script>'
    assert label_of(page, embed) == CHROME and embed in scored
    assert label_of(page, "Copyright 2026 Example Blog") == CHROME and "Copyright 2026 Example Blog" in scored


def test_code_lines_under_a_must_exclude_snippet_stay_chrome():
    gold = "\n".join(CODE_ARTICLE_PROSE)
    page = label_record(record(gold_type="ai_generated", gold=gold, html=CODE_ARTICLE_HTML, without=["sort.Slice(entries, less)"]))
    scored = {page.lines[i].strip() for i, is_scored in enumerate(scored_mask(page)) if is_scored}
    assert label_of(page, "sort.Slice(entries, less)") == CHROME and "sort.Slice(entries, less)" in scored
    assert "}" not in scored


def test_wcxb_code_blocks_left_out_of_the_gold_are_not_scored(shared_data):
    """wcxb's gold of page 0476 (a ColdFusion code kata) keeps the prose around its code
    blocks and leaves out the code."""
    [record_0476] = [record for record in iter_records(shared_data / "wcxb.jsonl.gz") if record["id"] == "0476"]
    assert "<cfscript>" not in record_0476["gold"]
    page = label_record(record_0476)
    mask = scored_mask(page)
    code = [i for i, line in enumerate(page.lines) if line.strip() in ("<cfscript>", "};", "}")]
    assert code and not any(mask[i] for i in code)
    prose = [i for i, line in enumerate(page.lines) if line.startswith("Earlier this week, in my Big Sexy Poems")]
    assert prose and all(mask[i] and page.labels[i] == CONTENT for i in prose)
    first_content = page.labels.index(CONTENT)
    assert any(mask[i] and page.labels[i] == CHROME for i in range(first_content))  # the menus above stay chrome
