"""Scores by group: overall, by dataset, by language and by kind; the calibration of p(content)."""

from classifier.labeled import SCORED
from classifier.page import CHROME, CONTENT, Page
from training.metrics import calibration, score
from training.report import format_markdown, format_report

LINES = ["القائمة", "", "Article text of the page.", "© 2024"]
GOLD = [CHROME, None, CONTENT, CHROME]


def page(page_id: str, kind: str | None, lang: str = "ar") -> Page:
    return Page(page_id, LINES, labels=GOLD, lang=lang, dataset="arabic", kind=kind)


def test_by_kind_counts_pages_and_lines_of_each_kind():
    pages = [
        page("a", "arabic-content-arabic-chrome"),
        page("b", "arabic-content-arabic-chrome"),
        page("c", "latin-content-arabic-chrome", lang="en"),
        page("d", None),
    ]
    one_miss = [CONTENT, None, CONTENT, CHROME]  # the menu taken for content
    scores = score(pages, [GOLD, one_miss, GOLD, GOLD])
    by_kind = scores["by_kind"]
    assert set(by_kind) == {"arabic-content-arabic-chrome", "latin-content-arabic-chrome"}  # "d" has no kind
    arabic = by_kind["arabic-content-arabic-chrome"]
    assert (arabic["pages"], arabic["lines"]) == (2, 6)
    assert arabic["line"] == {"p": 0.6667, "r": 1.0, "f1": 0.8}
    latin = by_kind["latin-content-arabic-chrome"]
    assert (latin["pages"], latin["lines"], latin["line"]["f1"]) == (1, 3, 1.0)
    assert scores["pages"] == 4 and scores["by_lang"]["ar"]["pages"] == 3


def test_by_kind_is_present_and_empty_without_kinds():
    scores = score([page("a", None)], [GOLD])
    assert scores["by_kind"] == {}
    assert "-- by kind: no page has one" in format_report(scores, title="t")


def test_report_has_a_row_per_kind():
    report = format_report(score([page("a", "arabic-content-latin-chrome")], [GOLD]), title="t")
    rows = report.splitlines()
    kind_row = rows[rows.index("-- by kind") + 1]
    assert kind_row.startswith("arabic-content-latin-chrome ") and kind_row.split()[1:3] == ["1", "3"]


def test_markdown_tables_give_every_group_and_the_earlier_f1():
    pages = [page("a", "arabic-content-arabic-chrome"), page("b", None, lang="en")]
    perfect = score(pages, [GOLD, GOLD])
    one_miss = score(pages, [[CONTENT, None, CONTENT, CHROME], GOLD])
    text = format_markdown(one_miss, before=perfect)
    tables = text.split("\n\n")
    assert [table.split(" | ")[0] for table in tables] == ["| all", "| dataset", "| lang", "| kind"]
    all_row = tables[0].splitlines()[2]
    assert all_row.startswith("| all | 2 | 6 |") and all_row.endswith("| 1.000 |")
    assert "| en | 1 | 3 | 1.000 | 1.000 | **1.000** |" in tables[2]


def test_calibration_bins_the_scored_lines_by_p_and_weighs_each_gap_by_its_lines():
    pages = [page("a", None), page("b", None)]
    # Per page: the menu, a blank line (no p), the article line, the footer.
    p_content = [[0.05, None, 0.95, 0.15], [0.12, None, 1.0, 0.58]]
    figures = calibration(pages, p_content)
    assert [(b["p_from"], b["p_to"], b["lines"]) for b in figures["bins"]] == [(0.0, 0.1, 1), (0.1, 0.2, 2), (0.5, 0.6, 1), (0.9, 1.0, 2)]
    assert [(b["mean_p"], b["content_share"]) for b in figures["bins"]] == [(0.05, 0.0), (0.135, 0.0), (0.58, 0.0), (0.975, 1.0)]
    # |0.05 - 0| + |0.27 - 0| + |0.58 - 0| + |1.95 - 2| over 6 lines
    assert figures["expected_error"] == round((0.05 + 0.27 + 0.58 + 0.05) / 6, 4)


def test_calibration_leaves_out_lines_outside_a_partial_pages_scored_mask():
    partial = Page("p", LINES, labels=GOLD, dataset="arabic", extra={SCORED: [2]})
    figures = calibration([partial], [[0.9, None, 0.7, 0.8]])
    assert figures["bins"] == [{"p_from": 0.7, "p_to": 0.8, "lines": 1, "mean_p": 0.7, "content_share": 1.0}]
    assert figures["expected_error"] == 0.3
    assert calibration([partial], [[None] * 4]) == {"expected_error": None, "bins": []}


def test_report_gives_the_calibration_table_after_the_scores():
    scores = {**score([page("a", None)], [GOLD]), "calibration": calibration([page("a", None)], [[0.05, None, 0.95, 0.15]])}
    rows = format_report(scores, title="t").splitlines()
    start = rows.index("# calibration of p(content): expected calibration error 0.083")
    assert rows[start + 2].split() == ["0.0-0.1", "1", "0.050", "0.000"]
    assert rows[start + 4].split() == ["0.9-1.0", "1", "0.950", "1.000"]
