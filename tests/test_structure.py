"""The HTML structure of each rendered line (classifier/structure.py and its compiled walk)."""

import gzip
import itertools
import json

import numpy as np
import pytest

from classifier._html_walk import subtree_totals
from classifier.features import featurize
from classifier.html import render_html
from classifier.labeled import Location, labeled_record, page_from_labeled_record
from classifier.page import Page
from classifier.structure import FIELDS, NAME_CHARS, LineStructure, line_structure
from classifier.structure_features import PROSE_REGION_COLUMNS

PAGE = """<html><body>
<header class="site-header"><nav role="navigation"><ul>
  <li><a href="/">Home</a></li><li><a href="/world">World news and analysis</a></li></ul></nav></header>
<main><article>
  <h1>The minister said the budget would grow</h1>
  <p class="lead">The minister said on Monday that the budget would grow by three percent next year.</p>
  <figure><img src="crowd.jpg" alt="People with flags in a square"><figcaption>A crowd outside the ministry on Monday.</figcaption></figure>
  <script>var tracker = "The minister said";</script>
  <div style="display: none">Hidden promotion text</div>
  <button>Share this story</button>
</article></main>
<aside class="relatedPosts"><h2>Related</h2><ul><li><a href="/x">Another story about the budget</a></li></ul></aside>
<footer id="footer">Copyright 2026 The Paper</footer>
</body></html>"""


def _by_line(html: str) -> dict[str, dict]:
    """Each non-blank rendered line's feature row, by its stripped text."""
    table = featurize([Page("p", *render_html(html))])
    return {row.stripped: row._asdict() for row in table[table["is_blank"] == 0].itertuples()}


def test_lines_know_their_region_tags_and_roles():
    rows = _by_line(PAGE)
    assert rows["• Home"]["in_nav_share"] == 1 and rows["• Home"]["in_header_share"] == 1
    assert rows["• World news and analysis"]["dom_block_link_density"] == 1
    headline = rows["The minister said the budget would grow"]
    assert headline["in_h1_share"] == 1 and headline["in_article_share"] == 1 and headline["in_nav_share"] == 0
    lead = rows["The minister said on Monday that the budget would grow by three percent next year."]
    assert lead["in_paragraph_share"] == 1 and lead["in_main_share"] == 1 and lead["dom_block_link_density"] == 0
    assert "lead" in lead["structure_names"]
    assert rows["A crowd outside the ministry on Monday."]["in_figure_share"] == 1
    # An image's alt text is rendered where the image stands: its line's element is the img.
    alt = rows["People with flags in a square"]
    assert alt["in_image_share"] == 1 and alt["in_figure_share"] == 1 and alt["mapped_share"] == 1
    related = rows["• Another story about the budget"]
    assert related["in_aside_share"] == 1 and "relatedPosts" in related["structure_names"]
    footer = rows["Copyright 2026 The Paper"]
    assert footer["in_footer_share"] == 1 and "footer" in footer["structure_names"]
    # Rendered, although its style hides it in a browser: the model may learn what that says.
    assert rows["Hidden promotion text"]["in_hidden_share"] == 1 and headline["in_hidden_share"] == 0
    assert all(row["mapped_share"] > 0.6 for row in rows.values())  # a bullet "• " is the renderer's


def test_text_the_renderer_hides_claims_no_line():
    lines, link_chars, structure = render_html(PAGE)
    assert not any("tracker" in line or "Share this" in line for line in lines)
    # The script's text repeats the headline's words: the headline still maps once, to h1.
    headline = next(i for i, line in enumerate(lines) if line.strip() == "The minister said the budget would grow")
    assert structure.values[headline, FIELDS.index("h1_chars")] == len("The minister said the budget would grow")


def test_plain_text_pages_have_no_structure():
    table = featurize([Page("t", ["Home", "", "The minister said on Monday that the budget would grow."])])
    assert (table["has_structure"] == 0).all()
    assert table["in_nav_share"].isna().all() and table["element_tag"].isna().all()
    assert (table["structure_names"] == "").all()


def test_structure_survives_the_labeled_format():
    lines, link_chars, structure = render_html(PAGE)
    labels = [None if not line.strip() else "chrome" for line in lines]
    page = Page("p", lines, link_chars, structure, labels=labels)
    again = page_from_labeled_record(json.loads(json.dumps(labeled_record(page))), Location("x", "line 1"))
    assert np.array_equal(again.structure.values, structure.values) and again.structure.tokens == structure.tokens


def test_structure_of_the_wrong_length_is_refused():
    lines, link_chars, structure = render_html(PAGE)
    with pytest.raises(ValueError, match="structure of"):
        Page("p", lines[:-1], link_chars[:-1], structure)
    with pytest.raises(ValueError, match="token strings"):
        LineStructure(structure.values, structure.tokens[:-1])


@pytest.mark.parametrize("dataset", ["dragnet", "wcxb"])
def test_lines_of_real_pages_are_found_in_the_dom(shared_data, dataset):
    # Measured on the first 40 pages: 99.9% of dragnet's non-blank lines, 100% of wcxb's
    # (83% on wcxb before images' alt texts were read).
    with gzip.open(shared_data / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in itertools.islice(handle, 40)]
    found = total = 0
    for record in records:
        lines, link_chars, structure = render_html(record["html"])
        nonblank = np.array([bool(line.strip()) for line in lines])
        found += int((structure.values[nonblank, 0] > 0).sum())
        total += int(nonblank.sum())
    assert found / total > 0.99


def _chars(structure: LineStructure, line: int, field: str) -> int:
    return int(structure.values[line, FIELDS.index(field)])


def test_the_walk_reads_names_and_escapes_as_python_does():
    # The walk reads a serialized body: escaped text, names in any case, and (from Python's
    # str.lower) a Kelvin sign that lowercases to "k", which makes "blockquote" here.
    body = (
        '<body><div ROLE="Navigation  Banner" class="top">Fish &amp; chips&nbsp;2</div>'
        "<bloc\u212aquote>Quoted words</bloc\u212aquote>"
        "<p>&copy; 2026 &lt;Paper&gt;</p>"
        '<aside role="complementary\xa0Navigation">Related</aside></body>'
    )
    lines = ["Fish & chips\xa02", "Quoted words", "\xa9 2026 <Paper>", "Related"]
    structure = line_structure(body, lines)
    assert [_chars(structure, line, "mapped_chars") for line in range(4)] == [len(line) for line in lines]
    # Roles split as str.split() splits them, at a no-break space too.
    assert _chars(structure, 3, "aside_chars") == _chars(structure, 3, "nav_chars") == len("Related")
    assert _chars(structure, 0, "nav_chars") == _chars(structure, 0, "header_chars") == len(lines[0])
    assert _chars(structure, 1, "blockquote_chars") == len(lines[1]) and _chars(structure, 2, "blockquote_chars") == 0
    assert structure.tokens[0] == "top "


def test_class_and_id_text_runs_from_the_line_outwards_and_is_cut():
    nested = "".join(f'<div class="{"level" + str(depth) * 30}">' for depth in range(10))
    body = f'<body class="page">{nested}<span id="deepest">Deep text</span>{"</div>" * 10}</body>'
    structure = line_structure(body, ["Deep text"])
    token = structure.tokens[0]
    assert token.startswith(" deepest level9999") and len(token) == NAME_CHARS


def test_the_prose_region_holds_the_article_not_the_menus_or_the_related_links(shared_data):
    # newspaper3k's about.com page: a menu of 80 topics, the article, then "Related Articles",
    # teaser lists and the footer, all in one page wrapper.
    with gzip.open(shared_data / "newspaper3k_fixtures.jsonl.gz", "rt", encoding="utf-8") as handle:
        record = json.loads(next(itertools.islice(handle, 3, None)))
    rows = _by_line(record["html"])
    paragraph = next(row for text, row in rows.items() if text.startswith("Genetic testing involves"))
    assert paragraph["in_prose_region"] == 1 and paragraph["after_prose_region"] == 0
    assert paragraph["outer_prose_share"] > 0.9
    menu_item = rows["• Southern Food"]
    assert menu_item["in_prose_region"] == 0 and menu_item["after_prose_region"] == 0
    assert menu_item["outer_prose_share"] == 0
    related = rows["Related Articles"]
    assert related["in_prose_region"] == 0 and related["after_prose_region"] == 1
    # A page-level figure: every line has the same.
    assert 0.3 < paragraph["prose_region_text_share"] == menu_item["prose_region_text_share"] < 1


def test_a_page_without_prose_has_no_prose_region():
    rows = _by_line("<html><body><nav><ul><li><a href='/'>Home</a></li><li>World</li></ul></nav></body></html>")
    assert all(np.isnan(row[column]) for row in rows.values() for column in PROSE_REGION_COLUMNS)


def test_subtree_totals_refuses_a_child_before_its_parent():
    with pytest.raises(ValueError, match="parents must come first"):
        subtree_totals(np.array([-1, 2, 0], dtype=np.int32), np.zeros(3), np.zeros(3, dtype=np.int32))
    totals, ends = np.array([1.0, 2.0, 4.0, 8.0]), np.zeros(4, dtype=np.int32)
    subtree_totals(np.array([-1, 0, 1, 0], dtype=np.int32), totals, ends)
    assert totals.tolist() == [15.0, 6.0, 4.0, 8.0] and ends.tolist() == [3, 2, 2, 3]
