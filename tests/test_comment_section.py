"""Where a page's reader comments begin (classifier/comment_section.py)."""

import gzip
import json

import pytest

from classifier.comment_section import is_comments_heading
from classifier.features import featurize
from classifier.page import CONTENT, Page
from training.labeling import label_record

ARTICLE = [
    "The town council voted on Tuesday evening to rebuild the harbour library, closed since the storm.",
    "Councillors approved a budget of 2.4 million pounds after a three-hour meeting with residents.",
    "The new building will raise the reading rooms a full storey above the street, the plans show.",
]
COMMENTS = [
    "Margaret on March 3, 2024 at 9:12 am",
    "About time too. The old reading room flooded twice in my lifetime and nobody seemed to care.",
    "Reply",
]


@pytest.mark.parametrize(
    "line",
    ["Comments", "12 Comments", "Comments (3)", "0 comments:", "156 Responses to “Shuteye”", "12 thoughts on “Rebuilding”",
     "Leave a Reply", "Post a comment", "Kommentare", "Laisser un commentaire", "التعليقات", "أضف تعليقاً", "コメント"],
)
def test_headings_of_comment_sections(line):
    assert is_comments_heading(line)


@pytest.mark.parametrize(
    "line",
    ["Comment #1 - Posted by: Matt at November 10, 2012", "Most commented", "Readers' comments are moderated before they appear on the site.", ""],
)
def test_lines_that_are_not_headings(line):
    assert not is_comments_heading(line)


def test_the_lines_from_the_heading_on_are_below_it():
    lines = ["The Coastal Gazette", "12 comments", "", *ARTICLE, "", "Comments", *COMMENTS, "© 2024 The Coastal Gazette"]
    below = featurize([Page("p", lines)])["below_comments_heading"].tolist()
    heading = lines.index("Comments")
    # "12 comments" under the masthead has no prose above it: it opens nothing.
    assert below == [0] * heading + [1] * (len(lines) - heading)


def test_each_page_opens_its_own_section():
    commented = Page("a", [*ARTICLE, "Leave a Reply", *COMMENTS])
    plain = Page("b", [*COMMENTS, *ARTICLE])
    table = featurize([commented, plain])
    assert table["below_comments_heading"].tolist() == [0] * 3 + [1] * 4 + [0] * 6


def test_a_real_blog_post_with_156_comments(shared_data):
    """dragnet/R14: a column, then "Comments", "156 Responses to “Shuteye”" and the thread,
    which its gold leaves out; the section opens at "Comments" and holds no content line."""
    with gzip.open(shared_data / "dragnet.jsonl.gz", "rt", encoding="utf-8") as records:
        record = next(r for r in map(json.loads, records) if r["id"] == "R14")
    page = label_record(record)
    below = featurize([page])["below_comments_heading"].tolist()
    opens = below.index(1)
    assert page.lines[opens].strip() == "Comments"
    assert sum(below) > 700
    assert not any(label == CONTENT for label, inside in zip(page.labels, below) if inside)
    assert any(label == CONTENT for label in page.labels[:opens])
