"""The page's densest run of prose (classifier/main_run.py)."""

import numpy as np

from classifier.features import featurize
from classifier.page import Page

ARTICLE = [
    "The town council voted on Tuesday evening to rebuild the harbour library, closed since the storm.",
    "Councillors approved a budget of 2.4 million pounds after a three-hour meeting with residents.",
    "What happens next",
    "The new building will raise the reading rooms a full storey above the street, the plans show.",
]
MENU = [f"Section {i}" for i in range(12)]
FOOTER = ["Privacy policy", "Contact us", "© 2024 The Coastal Gazette"]


def _table(lines):
    return featurize([Page("p", lines)])


def test_the_article_is_the_run_and_the_menu_and_footer_are_not():
    lines = [*MENU, "", *ARTICLE, "", *FOOTER]
    table = _table(lines)
    in_run = dict(zip(table["text"], table["in_main_run"]))
    assert all(in_run[line] == 1 for line in ARTICLE)  # the short heading between paragraphs too
    assert not any(in_run[line] for line in MENU + FOOTER)
    before = dict(zip(table["text"], table["before_main_run"]))
    assert before["Section 0"] == 1 and before["Privacy policy"] == 0
    distance = dict(zip(table["text"], table["lines_to_main_run"]))
    # Blank lines are not steps: the last menu item is one line from the run.
    assert distance["Section 11"] == np.log1p(1) and distance["Section 0"] == np.log1p(12)


def test_a_long_menu_cuts_two_prose_blocks_apart():
    teaser = "A teaser of another story that runs to a full sentence of a dozen words or more."
    lines = [*ARTICLE, *MENU, *MENU, teaser]
    table = _table(lines)
    in_run = dict(zip(table["text"], table["in_main_run"]))
    assert in_run[ARTICLE[0]] == 1 and in_run[teaser] == 0


def test_a_page_without_prose_has_no_run():
    table = _table([*MENU, *FOOTER])
    assert (table["main_run_found"] == 0).all() and table["lines_to_main_run"].isna().all()


def test_chinese_prose_without_spaces_makes_a_run():
    article = [
        "市议会周二晚上投票决定重建港口图书馆，该馆自去年十一月风暴潮以来一直关闭。",
        "议员们在长达三个小时的会议后批准了二百四十万英镑的预算，四十多名居民发了言。",
    ]
    table = _table([*MENU, *article, *FOOTER])
    in_run = dict(zip(table["text"], table["in_main_run"]))
    assert all(in_run[line] == 1 for line in article) and not in_run["Privacy policy"]
